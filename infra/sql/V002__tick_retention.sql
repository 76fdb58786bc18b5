-- Tick retention by whole chunks (the Apache edition of TimescaleDB has no retention policies).
-- The age comes from the database setting rtx.ticks_retention (./rtx up sets it from RTX_TICKS_RETENTION);
-- pg_cron calls this every 10 minutes. Returns how many chunks it dropped.
CREATE FUNCTION market.drop_old_ticks() RETURNS integer
LANGUAGE sql AS $$
  SELECT count(*)::integer
  FROM drop_chunks('market.ticks',
                   older_than => now() - coalesce(nullif(current_setting('rtx.ticks_retention', true), ''), '7 days')::interval)
$$;
