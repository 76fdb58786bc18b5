package io.rtx.tools;

import io.rtx.ledger.BackOffice;
import io.rtx.ledger.Balance;
import io.rtx.ledger.Receipt;
import java.sql.SQLException;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ./rtx ledger}: money in and out of a client account through the back office, each
 * operation one balanced ledger transaction plus its audit event (actor: the OS user).
 */
@Command(
    name = "ledger",
    description =
        "Deposit, withdraw, adjust, balance: money through the back office (`ledger deposit --help`).",
    subcommands = {
      LedgerCommand.Deposit.class,
      LedgerCommand.Withdraw.class,
      LedgerCommand.Adjust.class,
      LedgerCommand.BalanceOf.class
    })
final class LedgerCommand implements Runnable {

  @Override
  public void run() {
    throw new CommandLine.ParameterException(
        new CommandLine(this),
        "usage: ./rtx ledger deposit|withdraw|adjust|balance --account ID ...");
  }

  static BackOffice backOffice() {
    return new BackOffice(BackOfficeDatabase.dataSource(System.getenv(), Rtx.stack().settings()));
  }

  static String actor() {
    return System.getProperty("user.name");
  }

  /** The flags every money operation takes. */
  static final class MoneyOptions {
    @Option(
        names = "--account",
        required = true,
        description = "The client account, e.g. ACC-0001.")
    String account;

    @Option(
        names = "--amount",
        required = true,
        description = "A decimal like 100, 100.5 or 0.01, within the currency's decimals.")
    String amount;

    @Option(
        names = "--currency",
        required = true,
        description = "The account's currency, e.g. USD.")
    String currency;

    @Option(names = "--reference", description = "Free text kept on the entries (200 at most).")
    String reference;

    @Option(
        names = "--id",
        description =
            "Idempotency id, used as the transaction id: repeating the command books nothing more.")
    String id;
  }

  interface Operation {
    Receipt apply(BackOffice backOffice, MoneyOptions o) throws SQLException;
  }

  static int book(MoneyOptions o, Operation op) throws SQLException {
    Receipt r = op.apply(backOffice(), o);
    System.out.printf(
        "%s %s: %s %s %s %s, balance %s %s%n",
        r.replayed() ? "already booked" : "booked",
        r.transactionId(),
        r.account(),
        r.kind(),
        r.amount().toPlainString(),
        r.currency(),
        r.balance().toPlainString(),
        r.currency());
    return 0;
  }

  @Command(
      name = "deposit",
      mixinStandardHelpOptions = true,
      description = "Money into a client account (the house account of the currency pays).")
  static final class Deposit implements Callable<Integer> {
    @Mixin MoneyOptions o;

    @Override
    public Integer call() throws SQLException {
      return book(
          o, (b, x) -> b.deposit(x.account, x.amount, x.currency, x.reference, actor(), x.id));
    }
  }

  @Command(
      name = "withdraw",
      mixinStandardHelpOptions = true,
      description = "Money out of a client account; refused beyond its balance.")
  static final class Withdraw implements Callable<Integer> {
    @Mixin MoneyOptions o;

    @Override
    public Integer call() throws SQLException {
      return book(
          o, (b, x) -> b.withdraw(x.account, x.amount, x.currency, x.reference, actor(), x.id));
    }
  }

  @Command(
      name = "adjust",
      mixinStandardHelpOptions = true,
      description =
          "A correction of either sign (--amount -12.50); may take the balance below zero.")
  static final class Adjust implements Callable<Integer> {
    @Mixin MoneyOptions o;

    @Override
    public Integer call() throws SQLException {
      return book(
          o, (b, x) -> b.adjust(x.account, x.amount, x.currency, x.reference, actor(), x.id));
    }
  }

  @Command(name = "balance", mixinStandardHelpOptions = true, description = "An account's balance.")
  static final class BalanceOf implements Callable<Integer> {
    @Option(names = "--account", required = true, description = "The account, e.g. ACC-0001.")
    String account;

    @Override
    public Integer call() throws SQLException {
      Balance b = backOffice().balance(account);
      System.out.printf("%s %s %s%n", b.account(), b.amount().toPlainString(), b.currency());
      return 0;
    }
  }
}
