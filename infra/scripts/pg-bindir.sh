#!/usr/bin/env bash
# pg-bindir.sh — print the bin directory (initdb, pg_ctl, postgres, psql) of the newest installed
# PostgreSQL major version that has TimescaleDB (timescaledb.so in its `pg_config --pkglibdir`).
# Exit 1 with a message on stderr if there is none.
#
# Looks at Debian/Ubuntu's /usr/lib/postgresql/*/bin, RHEL's /usr/pgsql-*/bin, Homebrew's
# postgresql@* and whatever pg_config is on PATH (or $PG_CONFIG, if set).
set -euo pipefail

candidates=()
[ -n "${PG_CONFIG:-}" ] && candidates+=("$PG_CONFIG")
for c in /usr/lib/postgresql/*/bin/pg_config /usr/pgsql-*/bin/pg_config \
         /opt/homebrew/opt/postgresql@*/bin/pg_config /usr/local/opt/postgresql@*/bin/pg_config; do
    [ -x "$c" ] && candidates+=("$c")
done
if c="$(command -v pg_config 2>/dev/null)"; then candidates+=("$c"); fi

best_major=0
best_bindir=""
for pgc in "${candidates[@]}"; do
    libdir="$("$pgc" --pkglibdir 2>/dev/null)" || continue
    [ -f "$libdir/timescaledb.so" ] || continue
    bindir="$("$pgc" --bindir 2>/dev/null)" || continue
    [ -x "$bindir/initdb" ] && [ -x "$bindir/pg_ctl" ] || continue
    # "PostgreSQL 15.20 (Debian 15.20-0+deb12u1)" -> 15
    major="$("$pgc" --version 2>/dev/null | awk '{split($2, v, "."); print v[1] + 0}')"
    if [ "${major:-0}" -gt "$best_major" ]; then
        best_major="$major"
        best_bindir="$bindir"
    fi
done

if [ -z "$best_bindir" ]; then
    echo "pg-bindir.sh: no PostgreSQL installation with TimescaleDB (timescaledb.so) found;" \
         "run infra/scripts/install-deps.sh (as root) or install PostgreSQL 15-17 + TimescaleDB" >&2
    exit 1
fi
printf '%s\n' "$best_bindir"
