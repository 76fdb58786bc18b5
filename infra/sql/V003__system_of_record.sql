-- The system of record for money: users, accounts, instruments, the double-entry ledger and the
-- balances it maintains, the order path's tables, and the audit trail of administrative actions.
-- Run by Flyway as the platform's owner role; the service roles it grants to (rtx_cdc, rtx_sink,
-- rtx_backoffice, rtx_trader, rtx_readonly, rtx_maintenance) are created beforehand by the cluster's
-- bootstrap (see README, "Database roles").
CREATE EXTENSION IF NOT EXISTS pgcrypto;

CREATE SCHEMA users;
CREATE SCHEMA accounts;
CREATE SCHEMA instruments;
CREATE SCHEMA trading;
CREATE SCHEMA transactions;
CREATE SCHEMA risk;
CREATE SCHEMA audit;

-- Functions of this file resolve names in pg_catalog only; everything else is schema-qualified.

-- ------------------------------------------------------------------------------------------ shared

-- Refuses the statement: the tables it guards are append-only for every role, owner included.
CREATE FUNCTION audit.refuse_change() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog AS $$
BEGIN
  RAISE EXCEPTION '%.% is append-only: % is not allowed', TG_TABLE_SCHEMA, TG_TABLE_NAME, TG_OP
    USING ERRCODE = 'insufficient_privilege';
END $$;

-- ------------------------------------------------------------------------------------------ users

CREATE TABLE users.users (
  login         text        PRIMARY KEY CHECK (login ~ '^[a-z0-9][a-z0-9._-]{0,63}$'),
  role          text        NOT NULL CHECK (role IN ('admin', 'trader', 'readonly', 'system')),
  -- bcrypt, cost 12: crypt(password, gen_salt('bf', 12)); check with crypt(given, password_hash)
  password_hash text        NOT NULL CHECK (password_hash LIKE '$2a$12$%'),
  -- PII, AES-256-GCM by the back office with a key that is never in the database (RTX_PII_KEY_FILE)
  email_enc     bytea,
  phone_enc     bytea,
  status        text        NOT NULL DEFAULT 'ACTIVE' CHECK (status IN ('ACTIVE', 'DISABLED')),
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now()
);

-- ------------------------------------------------------------------------------------------ accounts

CREATE TABLE accounts.currencies (
  code     text PRIMARY KEY CHECK (code ~ '^[A-Z]{3}$'),
  -- the most decimals an amount in this currency may have
  decimals int  NOT NULL CHECK (decimals BETWEEN 0 AND 8)
);

CREATE TABLE accounts.accounts (
  account_id            text          PRIMARY KEY CHECK (account_id ~ '^[A-Z0-9][A-Z0-9_-]{0,31}$'),
  owner_login           text          NOT NULL REFERENCES users.users (login),
  kind                  text          NOT NULL CHECK (kind IN ('CLIENT', 'HOUSE')),
  currency              text          NOT NULL REFERENCES accounts.currencies (code),
  leverage              numeric(10, 2) NOT NULL DEFAULT 1 CHECK (leverage >= 1),
  status                text          NOT NULL DEFAULT 'ACTIVE' CHECK (status IN ('ACTIVE', 'SUSPENDED', 'CLOSED')),
  max_order_quantity    numeric(20, 8) CHECK (max_order_quantity > 0),
  max_position_quantity numeric(20, 8) CHECK (max_position_quantity > 0),
  max_orders_per_second int           CHECK (max_orders_per_second > 0),
  created_at            timestamptz   NOT NULL DEFAULT now(),
  updated_at            timestamptz   NOT NULL DEFAULT now()
);
CREATE INDEX accounts_owner ON accounts.accounts (owner_login);
-- One house account per currency takes the other side of client entries.
CREATE UNIQUE INDEX accounts_one_house_per_currency ON accounts.accounts (currency) WHERE kind = 'HOUSE';

-- ------------------------------------------------------------------------------------------ instruments

CREATE TABLE instruments.instruments (
  symbol         text           PRIMARY KEY CHECK (symbol ~ '^[A-Z0-9][A-Z0-9._-]{0,31}$'),
  quote_currency text           NOT NULL REFERENCES accounts.currencies (code),
  tick_size      numeric(20, 8) NOT NULL CHECK (tick_size > 0),
  lot_size       numeric(20, 8) NOT NULL CHECK (lot_size > 0),
  min_quantity   numeric(20, 8) NOT NULL CHECK (min_quantity > 0),
  max_quantity   numeric(20, 8) NOT NULL,
  contract_size  numeric(20, 8) NOT NULL DEFAULT 1 CHECK (contract_size > 0),
  margin_rate    numeric(10, 8) NOT NULL CHECK (margin_rate > 0 AND margin_rate <= 1),
  -- a limit price more than this percent away from the latest quote is refused (fat finger)
  price_band_pct numeric(10, 4) NOT NULL CHECK (price_band_pct > 0),
  status         text           NOT NULL DEFAULT 'TRADING' CHECK (status IN ('TRADING', 'HALTED', 'CLOSED')),
  updated_at     timestamptz    NOT NULL DEFAULT now(),
  CHECK (max_quantity >= min_quantity)
);

-- ------------------------------------------------------------------------------------------ ledger

-- Double-entry and append-only: a transaction's entries sum to zero per currency, checked by the
-- database at commit. entry_id is the idempotency key (derived from the source, e.g. an execution).
CREATE TABLE transactions.ledger (
  entry_id       text           PRIMARY KEY CHECK (entry_id ~ '^[A-Za-z0-9][A-Za-z0-9:._-]{0,127}$'),
  transaction_id text           NOT NULL CHECK (transaction_id ~ '^[A-Za-z0-9][A-Za-z0-9:._-]{0,127}$'),
  account_id     text           NOT NULL REFERENCES accounts.accounts (account_id),
  currency       text           NOT NULL REFERENCES accounts.currencies (code),
  amount         numeric(28, 8) NOT NULL CHECK (amount <> 0),
  kind           text           NOT NULL CHECK (kind IN ('DEPOSIT', 'WITHDRAWAL', 'TRADE', 'FEE', 'ADJUSTMENT')),
  reference      text           CHECK (length(reference) <= 200),
  created_at     timestamptz    NOT NULL DEFAULT now(),
  created_by     text           NOT NULL DEFAULT current_user
);
CREATE INDEX ledger_transaction ON transactions.ledger (transaction_id);
CREATE INDEX ledger_account_time ON transactions.ledger (account_id, created_at);

CREATE TABLE accounts.balances (
  account_id    text           NOT NULL REFERENCES accounts.accounts (account_id),
  currency      text           NOT NULL REFERENCES accounts.currencies (code),
  balance       numeric(28, 8) NOT NULL,
  last_entry_id text           NOT NULL,
  updated_at    timestamptz    NOT NULL,
  PRIMARY KEY (account_id, currency)
);

-- An entry must be in its account's currency, with no more decimals than the currency has.
-- SECURITY DEFINER (as are the other ledger triggers): writers need no right on what they check.
CREATE FUNCTION transactions.check_entry() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
DECLARE
  account_currency text;
  places int;
BEGIN
  SELECT a.currency INTO account_currency FROM accounts.accounts a WHERE a.account_id = NEW.account_id;
  IF account_currency IS DISTINCT FROM NEW.currency THEN
    RAISE EXCEPTION 'entry % is in %, account % is in %', NEW.entry_id, NEW.currency, NEW.account_id, account_currency
      USING ERRCODE = 'check_violation';
  END IF;
  SELECT c.decimals INTO places FROM accounts.currencies c WHERE c.code = NEW.currency;
  IF NEW.amount <> round(NEW.amount, places) THEN
    RAISE EXCEPTION 'entry % amount % has more than % decimals (%)', NEW.entry_id, NEW.amount, places, NEW.currency
      USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END $$;

-- The balance moves in the same transaction as the entry: a balance read is one indexed row.
CREATE FUNCTION transactions.apply_entry() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
BEGIN
  INSERT INTO accounts.balances AS b (account_id, currency, balance, last_entry_id, updated_at)
  VALUES (NEW.account_id, NEW.currency, NEW.amount, NEW.entry_id, NEW.created_at)
  ON CONFLICT (account_id, currency) DO UPDATE
    SET balance = b.balance + EXCLUDED.balance, last_entry_id = EXCLUDED.last_entry_id,
        updated_at = EXCLUDED.updated_at;
  RETURN NULL;
END $$;

-- At commit: every currency of the transaction sums to zero.
CREATE FUNCTION transactions.check_balanced() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
DECLARE
  unbalanced record;
BEGIN
  SELECT l.currency, sum(l.amount) AS total INTO unbalanced
  FROM transactions.ledger l
  WHERE l.transaction_id = NEW.transaction_id
  GROUP BY l.currency
  HAVING sum(l.amount) <> 0
  LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'transaction % does not balance: % sums to %', NEW.transaction_id, unbalanced.currency, unbalanced.total
      USING ERRCODE = 'check_violation';
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER ledger_check_entry BEFORE INSERT ON transactions.ledger
  FOR EACH ROW EXECUTE FUNCTION transactions.check_entry();
CREATE TRIGGER ledger_apply_entry AFTER INSERT ON transactions.ledger
  FOR EACH ROW EXECUTE FUNCTION transactions.apply_entry();
CREATE CONSTRAINT TRIGGER ledger_balanced AFTER INSERT ON transactions.ledger
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION transactions.check_balanced();
CREATE TRIGGER ledger_append_only BEFORE UPDATE OR DELETE ON transactions.ledger
  FOR EACH ROW EXECUTE FUNCTION audit.refuse_change();
CREATE TRIGGER ledger_no_truncate BEFORE TRUNCATE ON transactions.ledger
  FOR EACH STATEMENT EXECUTE FUNCTION audit.refuse_change();

-- Balances that differ from the sum of their ledger entries (an empty answer is the invariant).
CREATE FUNCTION transactions.balance_mismatches()
RETURNS TABLE (account_id text, currency text, balance numeric, ledger_sum numeric)
LANGUAGE sql STABLE SET search_path = pg_catalog AS $$
  SELECT coalesce(b.account_id, l.account_id), coalesce(b.currency, l.currency), b.balance, l.total
  FROM accounts.balances b
  FULL JOIN (SELECT e.account_id, e.currency, sum(e.amount) AS total
             FROM transactions.ledger e GROUP BY 1, 2) l
    ON l.account_id = b.account_id AND l.currency = b.currency
  WHERE b.balance IS DISTINCT FROM l.total
$$;

-- ------------------------------------------------------------------------------------------ trading

CREATE TABLE trading.orders (
  order_id        text           PRIMARY KEY,
  client_order_id text           NOT NULL,
  account_id      text           NOT NULL REFERENCES accounts.accounts (account_id),
  symbol          text           NOT NULL REFERENCES instruments.instruments (symbol),
  side            text           NOT NULL CHECK (side IN ('BUY', 'SELL')),
  order_type      text           NOT NULL CHECK (order_type IN ('MARKET', 'LIMIT')),
  quantity        numeric(20, 8) NOT NULL CHECK (quantity > 0),
  limit_price     numeric(20, 8) CHECK (limit_price > 0),
  status          text           NOT NULL,
  reject_reasons  text[]         NOT NULL DEFAULT '{}',
  submitted_at    timestamptz    NOT NULL,
  decided_at      timestamptz,
  UNIQUE (account_id, client_order_id)
);

CREATE TABLE trading.trades (
  execution_id text           PRIMARY KEY,
  order_id     text           NOT NULL,
  account_id   text           NOT NULL REFERENCES accounts.accounts (account_id),
  symbol       text           NOT NULL REFERENCES instruments.instruments (symbol),
  side         text           NOT NULL CHECK (side IN ('BUY', 'SELL')),
  quantity     numeric(20, 8) NOT NULL CHECK (quantity > 0),
  price        numeric(20, 8) NOT NULL CHECK (price > 0),
  fee          numeric(28, 8) NOT NULL DEFAULT 0,
  executed_at  timestamptz    NOT NULL
);
CREATE INDEX trades_account_time ON trading.trades (account_id, executed_at);

CREATE TABLE trading.positions (
  account_id   text           NOT NULL REFERENCES accounts.accounts (account_id),
  symbol       text           NOT NULL REFERENCES instruments.instruments (symbol),
  quantity     numeric(20, 8) NOT NULL,
  avg_price    numeric(20, 8) NOT NULL,
  realized_pnl numeric(28, 8) NOT NULL,
  fees         numeric(28, 8) NOT NULL,
  updated_at   timestamptz    NOT NULL,
  PRIMARY KEY (account_id, symbol)
);

-- Risk limits that hold across accounts (per-account limits are on accounts.accounts).
CREATE TABLE risk.limits (
  name        text           PRIMARY KEY,
  value       numeric(28, 8) NOT NULL,
  description text           NOT NULL,
  updated_at  timestamptz    NOT NULL DEFAULT now()
);

-- ------------------------------------------------------------------------------------------ audit

-- Write-once record of administrative actions, kept 7 years (nothing deletes it).
CREATE TABLE audit.events (
  event_id bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  at       timestamptz NOT NULL DEFAULT now(),
  actor    text        NOT NULL,
  db_role  text        NOT NULL DEFAULT current_user,
  action   text        NOT NULL,
  subject  text,
  before   jsonb,
  after    jsonb
);
CREATE INDEX events_subject_time ON audit.events (subject, at);
CREATE TRIGGER events_append_only BEFORE UPDATE OR DELETE ON audit.events
  FOR EACH ROW EXECUTE FUNCTION audit.refuse_change();
CREATE TRIGGER events_no_truncate BEFORE TRUNCATE ON audit.events
  FOR EACH STATEMENT EXECUTE FUNCTION audit.refuse_change();

-- Debezium's heartbeat writes here, so its replication slot advances while the captured tables are
-- quiet and the rest of the database is busy (otherwise the slot holds WAL for everything).
CREATE TABLE audit.cdc_heartbeat (
  id int PRIMARY KEY CHECK (id = 1),
  at timestamptz NOT NULL
);

-- What Debezium captures: the ledger into ledger.audit, accounts and instruments as reference data.
CREATE PUBLICATION rtx_capture FOR TABLE
  transactions.ledger, accounts.accounts, instruments.instruments, audit.cdc_heartbeat;

-- ------------------------------------------------------------------------------------------ row-level security

-- A trader sees only the accounts it owns: the application tier sets rtx.user_id to the login it
-- authenticated, per session or transaction. Service roles see every row. FORCE: the owner too.
ALTER TABLE accounts.accounts ENABLE ROW LEVEL SECURITY;
ALTER TABLE accounts.accounts FORCE ROW LEVEL SECURITY;
ALTER TABLE transactions.ledger ENABLE ROW LEVEL SECURITY;
ALTER TABLE transactions.ledger FORCE ROW LEVEL SECURITY;
ALTER TABLE accounts.balances ENABLE ROW LEVEL SECURITY;
ALTER TABLE accounts.balances FORCE ROW LEVEL SECURITY;
ALTER TABLE trading.orders ENABLE ROW LEVEL SECURITY;
ALTER TABLE trading.orders FORCE ROW LEVEL SECURITY;
ALTER TABLE trading.positions ENABLE ROW LEVEL SECURITY;
ALTER TABLE trading.positions FORCE ROW LEVEL SECURITY;

CREATE FUNCTION accounts.owned_by_session(account text) RETURNS boolean
LANGUAGE sql STABLE SET search_path = pg_catalog AS $$
  SELECT EXISTS (SELECT FROM accounts.accounts a
                 WHERE a.account_id = account
                   AND a.owner_login = current_setting('rtx.user_id', true))
$$;

CREATE POLICY trader_own ON accounts.accounts FOR SELECT TO rtx_trader
  USING (owner_login = current_setting('rtx.user_id', true));
CREATE POLICY trader_own ON transactions.ledger FOR SELECT TO rtx_trader
  USING (accounts.owned_by_session(account_id));
CREATE POLICY trader_own ON accounts.balances FOR SELECT TO rtx_trader
  USING (accounts.owned_by_session(account_id));
CREATE POLICY trader_own ON trading.orders FOR SELECT TO rtx_trader
  USING (accounts.owned_by_session(account_id));
CREATE POLICY trader_own ON trading.positions FOR SELECT TO rtx_trader
  USING (accounts.owned_by_session(account_id));

-- The owner (migrations, balance trigger) and the services: every row; their privileges limit them.
CREATE POLICY services ON accounts.accounts
  TO CURRENT_USER, rtx_backoffice, rtx_readonly, rtx_cdc, rtx_sink USING (true) WITH CHECK (true);
CREATE POLICY services ON transactions.ledger
  TO CURRENT_USER, rtx_backoffice, rtx_readonly, rtx_cdc, rtx_sink USING (true) WITH CHECK (true);
CREATE POLICY services ON accounts.balances
  TO CURRENT_USER, rtx_backoffice, rtx_readonly USING (true) WITH CHECK (true);
CREATE POLICY services ON trading.orders
  TO CURRENT_USER, rtx_backoffice, rtx_readonly, rtx_sink USING (true) WITH CHECK (true);
CREATE POLICY services ON trading.positions
  TO CURRENT_USER, rtx_backoffice, rtx_readonly, rtx_sink USING (true) WITH CHECK (true);

-- ------------------------------------------------------------------------------------------ privileges

-- Nothing by default; each role gets what its work needs.
REVOKE ALL ON ALL TABLES IN SCHEMA users, accounts, instruments, trading, transactions, risk, audit FROM PUBLIC;
REVOKE ALL ON ALL FUNCTIONS IN SCHEMA users, accounts, instruments, trading, transactions, risk, audit FROM PUBLIC;
-- The owner keeps its rights except the ones that would rewrite history.
REVOKE UPDATE, DELETE, TRUNCATE ON transactions.ledger, audit.events FROM CURRENT_USER;

GRANT USAGE ON SCHEMA users, accounts, instruments, trading, transactions, risk, audit
  TO rtx_backoffice, rtx_readonly;
GRANT USAGE ON SCHEMA accounts, instruments, trading, transactions TO rtx_trader;
GRANT EXECUTE ON FUNCTION accounts.owned_by_session(text) TO rtx_trader;

-- rtx_cdc: reads the captured tables (snapshot) and writes the heartbeat; nothing else.
GRANT USAGE ON SCHEMA transactions, accounts, instruments, audit TO rtx_cdc;
GRANT SELECT ON transactions.ledger, accounts.accounts, instruments.instruments TO rtx_cdc;
GRANT SELECT, INSERT, UPDATE ON audit.cdc_heartbeat TO rtx_cdc;

-- rtx_sink: lands what Connect sinks carry. The JDBC sink's idempotent upsert is
-- INSERT ... ON CONFLICT DO UPDATE, which needs SELECT and UPDATE besides INSERT.
GRANT USAGE ON SCHEMA market, transactions, trading TO rtx_sink;
GRANT SELECT, INSERT, UPDATE ON market.ticks, market.candles TO rtx_sink;
GRANT INSERT ON transactions.ledger TO rtx_sink;
GRANT SELECT, INSERT, UPDATE ON trading.orders, trading.trades, trading.positions TO rtx_sink;

-- rtx_backoffice: money in and out through the ledger, reference data, users; every action audited.
GRANT SELECT, INSERT ON transactions.ledger TO rtx_backoffice;
GRANT SELECT ON accounts.balances TO rtx_backoffice;
GRANT SELECT, INSERT, UPDATE ON accounts.accounts, accounts.currencies, instruments.instruments, risk.limits
  TO rtx_backoffice;
GRANT SELECT, INSERT, UPDATE ON users.users TO rtx_backoffice;
GRANT SELECT, INSERT ON audit.events TO rtx_backoffice;
GRANT SELECT ON trading.orders, trading.trades, trading.positions TO rtx_backoffice;
GRANT EXECUTE ON FUNCTION transactions.balance_mismatches() TO rtx_backoffice, rtx_readonly;

-- rtx_trader: its own accounts and what hangs off them (row-level security), the instruments.
GRANT SELECT ON accounts.accounts, accounts.balances, transactions.ledger, trading.orders, trading.positions
  TO rtx_trader;
GRANT SELECT ON instruments.instruments, accounts.currencies TO rtx_trader;

-- rtx_readonly: reads everything but users' secrets.
GRANT SELECT ON ALL TABLES IN SCHEMA accounts, instruments, trading, transactions, risk, audit TO rtx_readonly;
GRANT SELECT (login, role, status, created_at, updated_at) ON users.users TO rtx_readonly;
GRANT USAGE ON SCHEMA market TO rtx_readonly;
GRANT SELECT ON market.ticks, market.candles TO rtx_readonly;
