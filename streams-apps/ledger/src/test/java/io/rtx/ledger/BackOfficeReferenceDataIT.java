package io.rtx.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rtx.ledger.ReferenceData.AccountSpec;
import io.rtx.ledger.ReferenceData.Change;
import io.rtx.ledger.ReferenceData.InstrumentSpec;
import io.rtx.ledger.ReferenceData.UserSpec;
import io.rtx.schemas.Component;
import io.rtx.testkit.LocalStack;
import io.rtx.testkit.UsesLocalStack;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Reference data and users through {@link ReferenceData}: created once, unchanged (no write, no
 * event) when given again, changed and audited when something differs; passwords as bcrypt cost 12,
 * email and phone sealed with the stack's PII key and never in the database in the clear.
 */
@UsesLocalStack({Component.POSTGRES})
class BackOfficeReferenceDataIT {

  private static final String ACTOR = LedgerFixture.ACTOR;

  private final LedgerFixture f;
  private final ReferenceData ref;

  BackOfficeReferenceDataIT(LocalStack stack) {
    this.f = new LedgerFixture(stack);
    this.ref = f.referenceData;
  }

  @AfterEach
  void balancesStillMatchTheLedger() throws Exception {
    f.assertBalancesMatchTheLedger();
  }

  private List<List<String>> events(String subject) throws Exception {
    return f.rows(
        "SELECT action, before::text, after::text FROM audit.events WHERE subject = ?"
            + " ORDER BY event_id",
        subject);
  }

  private List<List<String>> row(String sql, Object... params) throws Exception {
    return f.rows(sql, params);
  }

  @Test
  void aUserIsStoredWithABcryptPasswordAndSealedPersonalData() throws Exception {
    String login = ("boit-" + f.run + "-user").toLowerCase(java.util.Locale.ROOT);
    UserSpec spec =
        new UserSpec(
            login, "trader", "correct horse", "ada@example.com", "+44 20 7946 0000", "ACTIVE");

    assertThat(ref.user(spec, ACTOR)).isEqualTo(Change.CREATED);
    List<List<String>> stored =
        row(
            "SELECT role, status, password_hash LIKE '$2a$12$%',"
                + " password_hash = crypt('correct horse', password_hash),"
                + " password_hash = crypt('wrong', password_hash), updated_at::text"
                + " FROM users.users WHERE login = ?",
            login);
    assertThat(stored.get(0).subList(0, 5)).containsExactly("trader", "ACTIVE", "t", "t", "f");

    Pii pii = Pii.fromKey(f.stack.settings().secrets().piiKey());
    try (Connection c = f.owner.getConnection();
        PreparedStatement s =
            c.prepareStatement("SELECT email_enc, phone_enc FROM users.users WHERE login = ?")) {
      s.setString(1, login);
      try (ResultSet r = s.executeQuery()) {
        r.next();
        byte[] email = r.getBytes(1);
        assertThat(new String(email, StandardCharsets.ISO_8859_1)).doesNotContain("ada");
        assertThat(pii.open(email, ReferenceData.context("email", login)))
            .isEqualTo("ada@example.com");
        assertThat(pii.open(r.getBytes(2), ReferenceData.context("phone", login)))
            .isEqualTo("+44 20 7946 0000");
      }
    }
    assertThat(
            f.count(
                "SELECT count(*) FROM users.users WHERE login = ?"
                    + " AND position(convert_to('example', 'UTF8') IN email_enc) > 0",
                login))
        .isZero();

    // the same again: nothing written, not even updated_at; no event
    assertThat(ref.user(spec, ACTOR)).isEqualTo(Change.UNCHANGED);
    assertThat(row("SELECT updated_at::text FROM users.users WHERE login = ?", login).get(0).get(0))
        .isEqualTo(stored.get(0).get(5));

    // a new email: re-sealed, audited without the address itself
    UserSpec moved =
        new UserSpec(
            login, "trader", "correct horse", "ada@example.org", "+44 20 7946 0000", "ACTIVE");
    assertThat(ref.user(moved, ACTOR)).isEqualTo(Change.UPDATED);
    // a new password
    assertThat(
            ref.user(
                new UserSpec(
                    login,
                    "trader",
                    "battery staple",
                    "ada@example.org",
                    "+44 20 7946 0000",
                    "DISABLED"),
                ACTOR))
        .isEqualTo(Change.UPDATED);
    assertThat(
            row(
                "SELECT password_hash = crypt('battery staple', password_hash), status FROM"
                    + " users.users WHERE login = ?",
                login))
        .containsExactly(List.of("t", "DISABLED"));
    assertThat(events(login))
        .containsExactly(
            java.util.Arrays.asList(
                "user.create",
                null,
                "{\"role\": \"trader\", \"status\": \"ACTIVE\", \"changed\": [\"role\", \"status\","
                    + " \"password\", \"email\", \"phone\"]}"),
            List.of(
                "user.update",
                "{\"role\": \"trader\", \"status\": \"ACTIVE\"}",
                "{\"role\": \"trader\", \"status\": \"ACTIVE\", \"changed\": [\"email\"]}"),
            List.of(
                "user.update",
                "{\"role\": \"trader\", \"status\": \"ACTIVE\"}",
                "{\"role\": \"trader\", \"status\": \"DISABLED\", \"changed\": [\"status\","
                    + " \"password\"]}"));
  }

  @Test
  void currenciesInstrumentsAndAccountsAreCreatedOnceAndChangedOnlyWhenTheyDiffer()
      throws Exception {
    ref.currency(new Currency("QBR", 3), ACTOR);
    String symbol = "BOIT" + f.run;
    InstrumentSpec instrument =
        new InstrumentSpec(
            symbol,
            "QBR",
            new BigDecimal("0.001"),
            new BigDecimal("100"),
            new BigDecimal("100"),
            new BigDecimal("1000000"),
            BigDecimal.ONE,
            new BigDecimal("0.05"),
            new BigDecimal("2.5"),
            "TRADING");
    assertThat(ref.instrument(instrument, ACTOR)).isEqualTo(Change.CREATED);
    // numerically equal is equal: 100.00 is 100
    InstrumentSpec same =
        new InstrumentSpec(
            symbol,
            "QBR",
            new BigDecimal("0.00100"),
            new BigDecimal("100.00"),
            new BigDecimal("100"),
            new BigDecimal("1000000"),
            new BigDecimal("1.0"),
            new BigDecimal("0.050"),
            new BigDecimal("2.5"),
            "TRADING");
    assertThat(ref.instrument(same, ACTOR)).isEqualTo(Change.UNCHANGED);
    assertThat(
            ref.instrument(
                new InstrumentSpec(
                    symbol,
                    "QBR",
                    new BigDecimal("0.001"),
                    new BigDecimal("100"),
                    new BigDecimal("100"),
                    new BigDecimal("1000000"),
                    BigDecimal.ONE,
                    new BigDecimal("0.05"),
                    new BigDecimal("2.5"),
                    "HALTED"),
                ACTOR))
        .isEqualTo(Change.UPDATED);
    assertThat(events(symbol))
        .extracting(e -> e.get(0) + " " + e.get(2))
        .containsExactly(
            "instrument.create {\"status\": \"TRADING\", \"symbol\": \""
                + symbol
                + "\", \"lot_size\": 100.00000000, \"tick_size\": 0.00100000, \"margin_rate\":"
                + " 0.05000000, \"max_quantity\": 1000000.00000000, \"min_quantity\": 100.00000000,"
                + " \"contract_size\": 1.00000000, \"price_band_pct\": 2.5000, \"quote_currency\":"
                + " \"QBR\"}",
            "instrument.update {\"status\": \"HALTED\", \"symbol\": \""
                + symbol
                + "\", \"lot_size\": 100.00000000, \"tick_size\": 0.00100000, \"margin_rate\":"
                + " 0.05000000, \"max_quantity\": 1000000.00000000, \"min_quantity\": 100.00000000,"
                + " \"contract_size\": 1.00000000, \"price_band_pct\": 2.5000, \"quote_currency\":"
                + " \"QBR\"}");

    String owner = f.login("refowner");
    String acc = "BOIT-" + f.run + "-REF";
    AccountSpec account =
        new AccountSpec(
            acc,
            owner,
            "CLIENT",
            "QBR",
            new BigDecimal("30"),
            "ACTIVE",
            new BigDecimal("1000"),
            new BigDecimal("5000"),
            50);
    assertThat(ref.account(account, ACTOR)).isEqualTo(Change.CREATED);
    assertThat(ref.account(account, ACTOR)).isEqualTo(Change.UNCHANGED);
    assertThat(
            ref.account(
                new AccountSpec(
                    acc,
                    owner,
                    "CLIENT",
                    "QBR",
                    new BigDecimal("30"),
                    "SUSPENDED",
                    new BigDecimal("1000"),
                    new BigDecimal("5000"),
                    50),
                ACTOR))
        .isEqualTo(Change.UPDATED);
    assertThat(events(acc))
        .extracting(e -> e.get(0))
        .containsExactly("account.create", "account.update");
    assertThat(events(acc).get(1).get(1)).contains("\"status\": \"ACTIVE\"");
    assertThat(events(acc).get(1).get(2)).contains("\"status\": \"SUSPENDED\"");

    LedgerFixture.Counts before = f.counts();
    assertThatThrownBy(
            () ->
                ref.account(
                    new AccountSpec(
                        acc, owner, "CLIENT", "QBA", BigDecimal.ONE, "ACTIVE", null, null, null),
                    ACTOR))
        .isInstanceOf(Refused.class)
        .hasMessage(
            "account " + acc + " is a CLIENT account in QBR; its kind and currency do not change");
    assertThat(f.counts()).isEqualTo(before);
  }
}
