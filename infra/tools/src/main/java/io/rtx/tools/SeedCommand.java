package io.rtx.tools;

import io.rtx.ledger.BackOffice;
import io.rtx.ledger.Currency;
import io.rtx.ledger.ReferenceData;
import io.rtx.ledger.ReferenceData.AccountSpec;
import io.rtx.ledger.ReferenceData.Change;
import io.rtx.ledger.ReferenceData.InstrumentSpec;
import io.rtx.ledger.ReferenceData.UserSpec;
import java.math.BigDecimal;
import java.sql.SQLException;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import javax.sql.DataSource;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ./rtx seed}: the reference data and clients a fresh database needs to trade — currencies,
 * every instrument the simulator knows, a system user owning a house account per currency, and N
 * traders with a USD account each funded through the ledger. Every id is fixed (the opening deposit
 * of ACC-0001 is {@code SEED-DEP-ACC-0001}), so running it again changes nothing.
 */
@Command(
    name = "seed",
    description =
        "Reference data, house accounts and N funded client accounts (ACC-0001…); harmless to repeat.")
final class SeedCommand implements Callable<Integer> {

  static final List<Currency> CURRENCIES =
      List.of(
          new Currency("USD", 2),
          new Currency("EUR", 2),
          new Currency("GBP", 2),
          new Currency("JPY", 0),
          new Currency("CHF", 2),
          new Currency("CAD", 2),
          new Currency("AUD", 2),
          new Currency("NZD", 2),
          new Currency("BTC", 8));

  static final String SYSTEM_USER = "system";
  static final String OPENING_DEPOSIT = "100000.00";
  static final String CLIENT_CURRENCY = "USD";

  @Spec CommandSpec spec;

  private int accounts;

  @Option(
      names = "--accounts",
      defaultValue = "10",
      description = "How many client accounts, 1..9999 (default: ${DEFAULT-VALUE}).")
  void accounts(int value) {
    accounts = Flags.within(spec, "--accounts", value, 1, 9999);
  }

  @Override
  public Integer call() throws SQLException {
    var stack = Rtx.stack().settings();
    DataSource db = BackOfficeDatabase.dataSource(System.getenv(), stack);
    Summary s =
        seed(
            new ReferenceData(db, BackOfficeDatabase.pii(System.getenv(), stack)),
            new BackOffice(db),
            accounts,
            LedgerCommand.actor());
    s.print();
    return 0;
  }

  /** How many of each kind of thing the seed gave, and what it had to do. */
  record Summary(
      Map<Change, Integer> currencies,
      Map<Change, Integer> instruments,
      Map<Change, Integer> users,
      Map<Change, Integer> accounts,
      int depositsBooked,
      int depositsAlreadyBooked) {

    void print() {
      line("currencies", currencies);
      line("instruments", instruments);
      line("users", users);
      line("accounts", accounts);
      System.out.printf(
          "%-12s %4d  booked %d, already booked %d (%s %s each)%n",
          "deposits",
          depositsBooked + depositsAlreadyBooked,
          depositsBooked,
          depositsAlreadyBooked,
          OPENING_DEPOSIT,
          CLIENT_CURRENCY);
    }

    private static void line(String what, Map<Change, Integer> changes) {
      System.out.printf(
          "%-12s %4d  created %d, updated %d%n",
          what,
          changes.values().stream().mapToInt(Integer::intValue).sum(),
          changes.get(Change.CREATED),
          changes.get(Change.UPDATED));
    }
  }

  static Summary seed(ReferenceData ref, BackOffice backOffice, int accounts, String actor)
      throws SQLException {
    Map<Change, Integer> currencies = counter();
    Map<Change, Integer> instruments = counter();
    Map<Change, Integer> users = counter();
    Map<Change, Integer> accountChanges = counter();
    for (Currency c : CURRENCIES) {
      currencies.merge(ref.currency(c, actor), 1, Integer::sum);
    }
    for (Instrument i : Instrument.known()) {
      instruments.merge(ref.instrument(instrument(i), actor), 1, Integer::sum);
    }
    users.merge(
        ref.user(new UserSpec(SYSTEM_USER, "system", null, null, null, "ACTIVE"), actor),
        1,
        Integer::sum);
    for (Currency c : CURRENCIES) {
      accountChanges.merge(
          ref.account(
              new AccountSpec(
                  "HOUSE-" + c.code(),
                  SYSTEM_USER,
                  "HOUSE",
                  c.code(),
                  BigDecimal.ONE,
                  "ACTIVE",
                  null,
                  null,
                  null),
              actor),
          1,
          Integer::sum);
    }
    int booked = 0;
    int already = 0;
    for (int n = 1; n <= accounts; n++) {
      String login = String.format("trader-%04d", n);
      String account = accountId(n);
      users.merge(
          ref.user(
              new UserSpec(login, "trader", null, login + "@example.com", null, "ACTIVE"), actor),
          1,
          Integer::sum);
      accountChanges.merge(
          ref.account(
              new AccountSpec(
                  account,
                  login,
                  "CLIENT",
                  CLIENT_CURRENCY,
                  new BigDecimal("30"),
                  "ACTIVE",
                  new BigDecimal("1000000"),
                  new BigDecimal("5000000"),
                  50),
              actor),
          1,
          Integer::sum);
      boolean replayed =
          backOffice
              .deposit(
                  account,
                  OPENING_DEPOSIT,
                  CLIENT_CURRENCY,
                  "opening deposit",
                  actor,
                  "SEED-DEP-" + account)
              .replayed();
      if (replayed) {
        already++;
      } else {
        booked++;
      }
    }
    return new Summary(currencies, instruments, users, accountChanges, booked, already);
  }

  /** The n-th seeded client account: {@code ACC-0001} for 1. */
  static String accountId(int n) {
    return String.format("ACC-%04d", n);
  }

  private static Map<Change, Integer> counter() {
    Map<Change, Integer> m = new EnumMap<>(Change.class);
    for (Change c : Change.values()) {
      m.put(c, 0);
    }
    return m;
  }

  /**
   * An instrument as the order path will trade it: tick size {@code 10^-decimals}, quoted in the
   * last three letters of its symbol; lots, limits, margin and price band by asset class.
   */
  static InstrumentSpec instrument(Instrument i) {
    String symbol = i.symbol();
    String quote = symbol.substring(symbol.length() - 3);
    BigDecimal tick = BigDecimal.ONE.movePointLeft(i.decimals());
    if (symbol.startsWith("XAU")) {
      // ounces, 100 to a contract
      return spec(symbol, quote, tick, "0.01", "0.01", "100", "100", "0.05", "3");
    }
    if (symbol.startsWith("BTC")) {
      return spec(symbol, quote, tick, "0.0001", "0.0001", "10", "1", "0.5", "10");
    }
    // FX: units of the base currency, micro lots of 1,000, 50:1 margin
    return spec(symbol, quote, tick, "1000", "1000", "10000000", "1", "0.02", "1");
  }

  private static InstrumentSpec spec(
      String symbol,
      String quote,
      BigDecimal tick,
      String lot,
      String min,
      String max,
      String contract,
      String margin,
      String bandPct) {
    return new InstrumentSpec(
        symbol,
        quote,
        tick,
        new BigDecimal(lot),
        new BigDecimal(min),
        new BigDecimal(max),
        new BigDecimal(contract),
        new BigDecimal(margin),
        new BigDecimal(bandPct),
        "TRADING");
  }
}
