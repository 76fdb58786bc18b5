-- Candle intervals are configurable (candles.intervals), so the table accepts any label the candles
-- app does (CandleInterval.parse: a positive whole number then ms, s, m, h or d) instead of a fixed
-- list that a configured 2h would fail. ALTER TABLE on the hypertable applies to all of its chunks.
ALTER TABLE market.candles
  DROP CONSTRAINT candles_interval_check,
  ADD CONSTRAINT candles_interval_check
    CHECK (interval ~ '^[0-9]{1,12}(ms|s|m|h|d)$' AND interval !~ '^0+(ms|s|m|h|d)$');

-- How long each interval's candles are kept; an interval without a row is kept forever. ./rtx up
-- replaces the whole set from RTX_CANDLES_RETENTION, as values.
CREATE TABLE market.candle_retention (
  interval text     PRIMARY KEY
                    CHECK (interval ~ '^[0-9]{1,12}(ms|s|m|h|d)$' AND interval !~ '^0+(ms|s|m|h|d)$'),
  keep     interval NOT NULL CHECK (keep >= interval '1 hour')
);
INSERT INTO market.candle_retention VALUES ('1s', interval '7 days'), ('1m', interval '90 days');

-- Deletes candles older than their interval's age. Row by row, unlike drop_old_ticks: one chunk
-- holds candles of every interval, each with its own age. Returns how many rows it deleted.
CREATE FUNCTION market.delete_old_candles() RETURNS bigint
LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
  WITH gone AS (
    DELETE FROM market.candles c
    USING market.candle_retention r
    WHERE c.interval = r.interval AND c.bucket_start < now() - r.keep
    RETURNING 1)
  SELECT count(*) FROM gone
$$;

-- Replaces the whole configuration in one transaction, so an interval left out goes back to being
-- kept forever; the table's checks refuse a bad label, an age under an hour or a repeated label,
-- and arrays of different lengths (the missing side is NULL).
CREATE FUNCTION market.set_candle_retention(labels text[], keeps interval[]) RETURNS void
LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
  DELETE FROM market.candle_retention;
  INSERT INTO market.candle_retention (interval, keep)
  SELECT u.label, u.keep FROM unnest(labels, keeps) AS u(label, keep);
$$;

REVOKE ALL ON FUNCTION market.delete_old_candles(), market.set_candle_retention(text[], interval[])
  FROM PUBLIC;
REVOKE ALL ON market.candle_retention FROM PUBLIC;
GRANT EXECUTE ON FUNCTION market.delete_old_candles() TO rtx_maintenance;
GRANT SELECT ON market.candle_retention TO rtx_readonly;
