-- Scheduled maintenance runs as rtx_maintenance, a role that can do nothing but call the functions
-- below. They belong to the owner and run as it (SECURITY DEFINER) with a pinned search_path and
-- schema-qualified calls, so neither the scheduler's role nor anyone who can create objects in a
-- schema on the search path can make them do anything else.

-- How long each hypertable keeps its chunks; ./rtx up sets it from RTX_TICKS_RETENTION, as a value.
CREATE TABLE market.retention (
  relation text     PRIMARY KEY CHECK (relation IN ('market.ticks', 'market.candles')),
  keep     interval NOT NULL CHECK (keep >= interval '1 hour')
);
INSERT INTO market.retention VALUES ('market.ticks', interval '7 days');

-- Drops whole tick chunks older than the configured age (the Apache edition of TimescaleDB has no
-- retention policies). Returns how many chunks it dropped.
CREATE OR REPLACE FUNCTION market.drop_old_ticks() RETURNS integer
LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
  SELECT count(*)::integer
  FROM public.drop_chunks('market.ticks'::regclass,
                          older_than => now() - (SELECT r.keep FROM market.retention r
                                                 WHERE r.relation = 'market.ticks'))
$$;

-- Sets a retention; refuses anything under an hour (the table's check) or a relation it does not know.
CREATE FUNCTION market.set_retention(relation text, keep interval) RETURNS void
LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
  INSERT INTO market.retention AS r (relation, keep) VALUES (relation, keep)
  ON CONFLICT ON CONSTRAINT retention_pkey DO UPDATE SET keep = EXCLUDED.keep
$$;

REVOKE ALL ON FUNCTION market.drop_old_ticks(), market.set_retention(text, interval) FROM PUBLIC;
REVOKE ALL ON market.retention FROM PUBLIC;
GRANT USAGE ON SCHEMA market TO rtx_maintenance;
GRANT EXECUTE ON FUNCTION market.drop_old_ticks() TO rtx_maintenance;
GRANT SELECT ON market.retention TO rtx_readonly;
