package io.rtx.ledger;

import java.math.BigDecimal;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * Currencies, instruments, users and accounts, created or brought to what is given, as the {@code
 * rtx_backoffice} role. Idempotent: giving what is already there changes nothing (no write, no
 * {@code updated_at}, no audit event); every creation or change writes its {@code audit.events} row
 * ({@code currency.create}, {@code account.update}, …) in the same transaction.
 *
 * <p>Users' passwords are stored as bcrypt (cost 12) by pgcrypto; their email and phone are sealed
 * by {@link Pii} before they leave the JVM.
 */
public final class ReferenceData {

  /** What an upsert did. */
  public enum Change {
    CREATED,
    UPDATED,
    UNCHANGED
  }

  public record InstrumentSpec(
      String symbol,
      String quoteCurrency,
      BigDecimal tickSize,
      BigDecimal lotSize,
      BigDecimal minQuantity,
      BigDecimal maxQuantity,
      BigDecimal contractSize,
      BigDecimal marginRate,
      BigDecimal priceBandPct,
      String status) {}

  /**
   * A user. {@code password} {@code null}: keep the stored one (a new user gets a random one that
   * nobody knows until it is set); {@code email}/{@code phone} {@code null}: none.
   */
  public record UserSpec(
      String login, String role, String password, String email, String phone, String status) {
    @Override
    public String toString() {
      return "UserSpec[" + login + ", " + role + ", " + status + "]";
    }
  }

  /** An account; its kind and currency never change once it exists (its ledger is in it). */
  public record AccountSpec(
      String accountId,
      String ownerLogin,
      String kind,
      String currency,
      BigDecimal leverage,
      String status,
      BigDecimal maxOrderQuantity,
      BigDecimal maxPositionQuantity,
      Integer maxOrdersPerSecond) {}

  private final DataSource dataSource;
  private final Pii pii;
  private final SecureRandom random = new SecureRandom();

  public ReferenceData(DataSource dataSource, Pii pii) {
    this.dataSource = Objects.requireNonNull(dataSource);
    this.pii = Objects.requireNonNull(pii);
  }

  public Change currency(Currency currency, String actor) throws SQLException {
    return Db.inTransaction(
        dataSource,
        c ->
            upsert(
                c,
                "currency",
                currency.code(),
                actor(actor),
                "SELECT to_jsonb(x) FROM accounts.currencies x WHERE x.code = ? FOR UPDATE",
                "INSERT INTO accounts.currencies AS x (code, decimals) VALUES (?, ?)"
                    + " ON CONFLICT (code) DO UPDATE SET decimals = EXCLUDED.decimals"
                    + " WHERE x.decimals <> EXCLUDED.decimals"
                    + " RETURNING to_jsonb(x)",
                currency.code(),
                currency.decimals()));
  }

  public Change instrument(InstrumentSpec i, String actor) throws SQLException {
    String json = "to_jsonb(x) - 'updated_at'";
    return Db.inTransaction(
        dataSource,
        c ->
            upsert(
                c,
                "instrument",
                i.symbol(),
                actor(actor),
                "SELECT " + json + " FROM instruments.instruments x WHERE x.symbol = ? FOR UPDATE",
                "INSERT INTO instruments.instruments AS x (symbol, quote_currency, tick_size,"
                    + " lot_size, min_quantity, max_quantity, contract_size, margin_rate,"
                    + " price_band_pct, status) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                    + " ON CONFLICT (symbol) DO UPDATE SET quote_currency = EXCLUDED.quote_currency,"
                    + " tick_size = EXCLUDED.tick_size, lot_size = EXCLUDED.lot_size,"
                    + " min_quantity = EXCLUDED.min_quantity, max_quantity = EXCLUDED.max_quantity,"
                    + " contract_size = EXCLUDED.contract_size, margin_rate = EXCLUDED.margin_rate,"
                    + " price_band_pct = EXCLUDED.price_band_pct, status = EXCLUDED.status,"
                    + " updated_at = now()"
                    + " WHERE (x.quote_currency, x.tick_size, x.lot_size, x.min_quantity,"
                    + " x.max_quantity, x.contract_size, x.margin_rate, x.price_band_pct, x.status)"
                    + " IS DISTINCT FROM (EXCLUDED.quote_currency, EXCLUDED.tick_size,"
                    + " EXCLUDED.lot_size, EXCLUDED.min_quantity, EXCLUDED.max_quantity,"
                    + " EXCLUDED.contract_size, EXCLUDED.margin_rate, EXCLUDED.price_band_pct,"
                    + " EXCLUDED.status)"
                    + " RETURNING "
                    + json,
                i.symbol(),
                i.quoteCurrency(),
                i.tickSize(),
                i.lotSize(),
                i.minQuantity(),
                i.maxQuantity(),
                i.contractSize(),
                i.marginRate(),
                i.priceBandPct(),
                i.status()));
  }

  public Change account(AccountSpec a, String actor) throws SQLException {
    String json = "to_jsonb(x) - 'created_at' - 'updated_at'";
    return Db.inTransaction(
        dataSource,
        c -> {
          try (PreparedStatement s =
                  Db.prepare(
                      c,
                      "SELECT kind, currency FROM accounts.accounts WHERE account_id = ?",
                      a.accountId());
              ResultSet r = s.executeQuery()) {
            if (r.next()
                && !(r.getString(1).equals(a.kind()) && r.getString(2).equals(a.currency()))) {
              throw new Refused(
                  "account "
                      + a.accountId()
                      + " is a "
                      + r.getString(1)
                      + " account in "
                      + r.getString(2)
                      + "; its kind and currency do not change");
            }
          }
          return upsert(
              c,
              "account",
              a.accountId(),
              actor(actor),
              "SELECT " + json + " FROM accounts.accounts x WHERE x.account_id = ? FOR UPDATE",
              "INSERT INTO accounts.accounts AS x (account_id, owner_login, kind, currency,"
                  + " leverage, status, max_order_quantity, max_position_quantity,"
                  + " max_orders_per_second) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
                  + " ON CONFLICT (account_id) DO UPDATE SET owner_login = EXCLUDED.owner_login,"
                  + " leverage = EXCLUDED.leverage, status = EXCLUDED.status,"
                  + " max_order_quantity = EXCLUDED.max_order_quantity,"
                  + " max_position_quantity = EXCLUDED.max_position_quantity,"
                  + " max_orders_per_second = EXCLUDED.max_orders_per_second, updated_at = now()"
                  + " WHERE (x.owner_login, x.leverage, x.status, x.max_order_quantity,"
                  + " x.max_position_quantity, x.max_orders_per_second)"
                  + " IS DISTINCT FROM (EXCLUDED.owner_login, EXCLUDED.leverage, EXCLUDED.status,"
                  + " EXCLUDED.max_order_quantity, EXCLUDED.max_position_quantity,"
                  + " EXCLUDED.max_orders_per_second)"
                  + " RETURNING "
                  + json,
              a.accountId(),
              a.ownerLogin(),
              a.kind(),
              a.currency(),
              a.leverage(),
              a.status(),
              a.maxOrderQuantity(),
              a.maxPositionQuantity(),
              a.maxOrdersPerSecond());
        });
  }

  public Change user(UserSpec u, String actor) throws SQLException {
    String who = actor(actor);
    return Db.inTransaction(
        dataSource,
        c -> {
          try (PreparedStatement s =
                  Db.prepare(
                      c,
                      "SELECT role, status, email_enc, phone_enc,"
                          + " ?::text IS NULL OR password_hash = crypt(?::text, password_hash)"
                          + " FROM users.users WHERE login = ? FOR UPDATE",
                      u.password(),
                      u.password(),
                      u.login());
              ResultSet r = s.executeQuery()) {
            if (!r.next()) {
              create(c, u, who);
              return Change.CREATED;
            }
            List<String> changed = new ArrayList<>();
            if (!r.getString(1).equals(u.role())) {
              changed.add("role");
            }
            if (!r.getString(2).equals(u.status())) {
              changed.add("status");
            }
            byte[] email = keptOrSealed(r.getBytes(3), u.email(), "email", u.login(), changed);
            byte[] phone = keptOrSealed(r.getBytes(4), u.phone(), "phone", u.login(), changed);
            boolean newPassword = !r.getBoolean(5);
            if (newPassword) {
              changed.add("password");
            }
            if (changed.isEmpty()) {
              return Change.UNCHANGED;
            }
            try (PreparedStatement update =
                Db.prepare(
                    c,
                    "UPDATE users.users SET role = ?, status = ?, email_enc = ?, phone_enc = ?,"
                        + " password_hash = CASE WHEN ? THEN crypt(?::text, gen_salt('bf', 12))"
                        + " ELSE password_hash END, updated_at = now() WHERE login = ?",
                    u.role(),
                    u.status(),
                    email,
                    phone,
                    newPassword,
                    u.password(),
                    u.login())) {
              update.executeUpdate();
            }
            auditUser(c, who, "user.update", u, r.getString(1), r.getString(2), changed);
            return Change.UPDATED;
          }
        });
  }

  private void create(Connection c, UserSpec u, String actor) throws SQLException {
    String password = u.password() == null ? randomSecret() : u.password();
    try (PreparedStatement s =
        Db.prepare(
            c,
            "INSERT INTO users.users (login, role, password_hash, email_enc, phone_enc, status)"
                + " VALUES (?, ?, crypt(?::text, gen_salt('bf', 12)), ?, ?, ?)",
            u.login(),
            u.role(),
            password,
            seal(u.email(), "email", u.login()),
            seal(u.phone(), "phone", u.login()),
            u.status())) {
      s.executeUpdate();
    }
    List<String> given = new ArrayList<>(List.of("role", "status", "password"));
    if (u.email() != null) {
      given.add("email");
    }
    if (u.phone() != null) {
      given.add("phone");
    }
    auditUser(c, actor, "user.create", u, null, null, given);
  }

  /** The stored value when it already holds {@code wanted}, else {@code wanted} sealed anew. */
  private byte[] keptOrSealed(
      byte[] stored, String wanted, String field, String login, List<String> changed) {
    String current = stored == null ? null : pii.open(stored, context(field, login));
    if (Objects.equals(current, wanted)) {
      return stored;
    }
    changed.add(field);
    return seal(wanted, field, login);
  }

  private byte[] seal(String value, String field, String login) {
    return value == null ? null : pii.seal(value, context(field, login));
  }

  /** Binds a sealed value to its column and user: copied elsewhere, it does not open. */
  public static String context(String field, String login) {
    return "users." + field + ":" + login;
  }

  /** Role and status before and after, and which fields changed; never a secret or PII. */
  private static void auditUser(
      Connection c,
      String actor,
      String action,
      UserSpec u,
      String roleBefore,
      String statusBefore,
      List<String> changed)
      throws SQLException {
    try (PreparedStatement s =
        Db.prepare(
            c,
            "INSERT INTO audit.events (actor, action, subject, before, after) VALUES (?, ?, ?,"
                + " CASE WHEN ?::text IS NULL THEN NULL"
                + " ELSE jsonb_build_object('role', ?::text, 'status', ?::text) END,"
                + " jsonb_build_object('role', ?::text, 'status', ?::text,"
                + " 'changed', to_jsonb(string_to_array(?::text, ','))))",
            actor,
            action,
            u.login(),
            roleBefore,
            roleBefore,
            statusBefore,
            u.role(),
            u.status(),
            String.join(",", changed))) {
      s.executeUpdate();
    }
  }

  private String randomSecret() {
    byte[] b = new byte[24];
    random.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  private static String actor(String actor) {
    if (actor == null || actor.isBlank()) {
      throw new Refused("an actor (who asks) is required for the audit trail");
    }
    return actor.strip();
  }

  /** Reads the row as it is, writes it when it differs, and audits a creation or a change. */
  private static Change upsert(
      Connection c,
      String entity,
      String subject,
      String actor,
      String beforeSql,
      String upsertSql,
      Object... params)
      throws SQLException {
    String before = Db.string(c, beforeSql, subject);
    String after = Db.string(c, upsertSql, params);
    if (after == null) {
      return Change.UNCHANGED;
    }
    Db.audit(c, actor, entity + (before == null ? ".create" : ".update"), subject, before, after);
    return before == null ? Change.CREATED : Change.UPDATED;
  }
}
