#!/bin/sh
# The compose stack's database set-up, run by one-shot services of docker-compose.yml in TimescaleDB's
# image (its psql) as the cluster's superuser, over the compose network:
#   db-init.sh bootstrap   roles and passwords, the database, the extensions (before the migrations)
#   db-init.sh schedule    the ticks' and candles' retention and the pg_cron jobs that apply it (after them)
# The same statements as infra/launcher's Postgres.java runs for the native cluster. Passwords come in
# through the environment and reach SQL as psql variables (\getenv), never on a command line.
set -eu

db="${RTX_PG_DB:?RTX_PG_DB is not set}"
# quiet, as natively: "already exists, skipping" is what a repeated run is expected to say
PGOPTIONS="-c client_min_messages=warning"
export PGOPTIONS
psql_as_superuser() {
    psql -X -q -t -A -v ON_ERROR_STOP=1 "$@"
}

case "${1:-}" in
bootstrap)
    psql_as_superuser -d postgres <<'SQL'
\getenv owner_name RTX_PG_USER
\getenv owner_password RTX_PG_PASSWORD
\getenv cdc_password RTX_CDC_DB_PASSWORD
\getenv sink_password RTX_SINK_JDBC_PASSWORD
\getenv backoffice_password RTX_BACKOFFICE_JDBC_PASSWORD
\getenv monitor_password RTX_MONITOR_DB_PASSWORD
\getenv db RTX_PG_DB
-- Each role once; a password given here is (re)set, a role without one keeps whatever it has
-- (rtx_trader and rtx_readonly: set theirs as the superuser when an application needs them).
SELECT format('CREATE ROLE %I', r) FROM unnest(ARRAY[:'owner_name', 'rtx_cdc', 'rtx_sink',
    'rtx_backoffice', 'rtx_trader', 'rtx_readonly', 'rtx_maintenance', 'rtx_monitor']) AS r
  WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = r) \gexec
SELECT format('ALTER ROLE %I LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION PASSWORD %L',
    :'owner_name', :'owner_password') \gexec
SELECT format('ALTER ROLE rtx_cdc LOGIN REPLICATION PASSWORD %L', :'cdc_password') \gexec
SELECT format('ALTER ROLE rtx_sink LOGIN NOREPLICATION PASSWORD %L', :'sink_password') \gexec
SELECT format('ALTER ROLE rtx_backoffice LOGIN NOREPLICATION PASSWORD %L', :'backoffice_password')
  WHERE :'backoffice_password' <> '' \gexec
ALTER ROLE rtx_backoffice LOGIN NOREPLICATION;
ALTER ROLE rtx_trader LOGIN NOREPLICATION;
ALTER ROLE rtx_readonly LOGIN NOREPLICATION;
-- the PostgreSQL exporter: pg_monitor's statistics and nothing else
SELECT format('ALTER ROLE rtx_monitor LOGIN NOREPLICATION PASSWORD %L', :'monitor_password') \gexec
GRANT pg_monitor TO rtx_monitor;
-- pg_cron's workers log in as the job's user; with no password nobody else can.
ALTER ROLE rtx_maintenance LOGIN NOREPLICATION PASSWORD NULL;
SELECT format('CREATE DATABASE %I OWNER %I', :'db', :'owner_name')
  WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = :'db') \gexec
SQL
    psql_as_superuser -d "$db" <<'SQL'
CREATE EXTENSION IF NOT EXISTS timescaledb;
CREATE EXTENSION IF NOT EXISTS pg_cron;
SQL
    echo "db-init: roles, database $db and extensions ready"
    ;;
schedule)
    psql_as_superuser -d "$db" <<'SQL'
\getenv keep RTX_TICKS_RETENTION
\getenv db RTX_PG_DB
-- market.set_retention refuses less than an hour (the table's check) and anything not an interval.
SELECT market.set_retention('market.ticks', :'keep'::interval);
SELECT cron.unschedule(jobid) FROM cron.job
  WHERE jobname = 'rtx-ticks-retention' AND username <> 'rtx_maintenance';
SELECT cron.schedule_in_database('rtx-ticks-retention', '*/10 * * * *',
  'SELECT market.drop_old_ticks()', :'db', 'rtx_maintenance', true);
-- RTX_CANDLES_RETENTION: interval=age pairs ('1s=7 days,1m=90 days') or none, split here as values;
-- market.candle_retention's checks refuse a bad label, an age under an hour or a label twice.
\getenv candles_keep RTX_CANDLES_RETENTION
SELECT market.set_candle_retention(
    coalesce(array_agg(btrim(split_part(e, '=', 1))), '{}'),
    coalesce(array_agg(nullif(btrim(split_part(e, '=', 2)), '')::interval), '{}'))
  FROM unnest(string_to_array(nullif(btrim(:'candles_keep'), 'none'), ',')) AS e;
SELECT cron.unschedule(jobid) FROM cron.job
  WHERE jobname = 'rtx-candles-retention' AND username <> 'rtx_maintenance';
SELECT cron.schedule_in_database('rtx-candles-retention', '*/10 * * * *',
  'SELECT market.delete_old_candles()', :'db', 'rtx_maintenance', true);
SQL
    echo "db-init: ticks kept ${RTX_TICKS_RETENTION:-?}, candles ${RTX_CANDLES_RETENTION:-?}, retention jobs scheduled"
    ;;
*)
    echo "usage: db-init.sh bootstrap|schedule" >&2
    exit 2
    ;;
esac
