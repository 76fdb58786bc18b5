-- Market data landed from Kafka by the JDBC sink connectors (connectors/*.json). The project owns this
-- DDL: the sinks run with schema.evolution=none. Hypertables need the time column in every unique
-- key, so the idempotency keys carry it: a redelivered record has the same key and upserts in place.
CREATE SCHEMA IF NOT EXISTS market;

CREATE TABLE market.ticks (
  symbol     text           NOT NULL,
  seq        bigint         NOT NULL,
  ts         timestamptz    NOT NULL,
  bid        numeric(20, 8) NOT NULL,
  ask        numeric(20, 8) NOT NULL,
  bid_size   numeric(20, 8),
  ask_size   numeric(20, 8),
  last_price numeric(20, 8),
  last_size  numeric(20, 8),
  venue      text           NOT NULL,
  PRIMARY KEY (symbol, seq, ts)
);
SELECT create_hypertable('market.ticks', 'ts', chunk_time_interval => INTERVAL '1 hour');
CREATE INDEX ticks_symbol_ts ON market.ticks (symbol, ts DESC);

CREATE TABLE market.candles (
  symbol       text           NOT NULL,
  interval     text           NOT NULL CHECK (interval IN ('1s', '1m', '5m', '15m', '1h', '1d')),
  bucket_start timestamptz    NOT NULL,
  open         numeric(20, 8) NOT NULL,
  high         numeric(20, 8) NOT NULL,
  low          numeric(20, 8) NOT NULL,
  close        numeric(20, 8) NOT NULL,
  volume       numeric(28, 8) NOT NULL,
  tick_count   bigint         NOT NULL,
  PRIMARY KEY (symbol, interval, bucket_start)
);
SELECT create_hypertable('market.candles', 'bucket_start', chunk_time_interval => INTERVAL '7 days');
