#!/usr/bin/env bash
# install-deps.sh — idempotently install the native pieces the rtx-streams platform needs:
#   PostgreSQL + TimescaleDB (Apache edition is enough), redis-server, and Prometheus (promtool checks
#   the alert rules) with its PostgreSQL and Redis exporters, which the stack runs as its own processes.
#
#   Debian 13 (trixie):   postgresql-17, postgresql-17-timescaledb, postgresql-17-cron, postgresql-client-17, redis-server
#   Debian 12 (bookworm): postgresql-15, postgresql-15-cron (+ build tools), redis-server from Debian; TimescaleDB is
#                         built from Debian trixie's own `timescaledb` source package, fetched with a
#                         PRIVATE apt configuration (the system's apt sources are never modified).
#
# Re-running with everything in place does no apt work at all (well under a second).
# Output is quiet; apt/compiler output goes to ${RTX_HOME:-<repo>/.rtx}/logs/install.log.
#
# Other systems, or non-root with something missing: prints what to install and exits 2.
# The launcher (infra/launcher, Postgres.java) finds the PostgreSQL that has TimescaleDB by itself.
#
# Environment:
#   RTX_HOME                    state dir (default <repo>/.rtx); log goes to $RTX_HOME/logs/install.log
#   RTX_ALLOW_UNAUTHENTICATED=1 allow the trixie source download if its signature cannot be verified
#                               with the system keyrings (off by default: the build runs as root)
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$SCRIPT_DIR/../.." && pwd)"
RTX_HOME="${RTX_HOME:-$REPO_ROOT/.rtx}"
LOG_DIR="$RTX_HOME/logs"
LOG="$LOG_DIR/install.log"
SOURCE_SUITE=trixie                # where the TimescaleDB source comes from on bookworm

export DEBIAN_FRONTEND=noninteractive
export LC_ALL=C

say()  { printf '==> %s\n' "$*"; }
warn() { printf 'WARNING: %s\n' "$*" >&2; }
die()  { printf 'ERROR: %s\n' "$*" >&2; exit 1; }

TMP_DIR=""
cleanup() { if [ -n "$TMP_DIR" ] && [ -d "$TMP_DIR" ]; then rm -rf "$TMP_DIR"; fi; }
trap cleanup EXIT

log_ready=0
ensure_log() {
    if [ "$log_ready" = 0 ]; then
        mkdir -p "$LOG_DIR"
        printf '\n===== install-deps.sh %s =====\n' "$(date -u '+%Y-%m-%dT%H:%M:%SZ')" >>"$LOG"
        log_ready=1
    fi
}

# run CMD...: run quietly, output appended to the log; on failure show the log tail and abort.
run() {
    ensure_log
    printf '+ %s\n' "$*" >>"$LOG"
    if ! "$@" >>"$LOG" 2>&1; then
        printf 'ERROR: command failed: %s\n--- last lines of %s ---\n' "$*" "$LOG" >&2
        tail -n 25 "$LOG" >&2
        exit 1
    fi
}

manual_instructions() {
    cat >&2 <<'EOF'

This script can only install automatically on Debian 12 (bookworm) or Debian 13 (trixie), as root.
Please install these yourself, then re-run (or just build the project):

  * PostgreSQL 15, 16 or 17 (server + client, including initdb/pg_ctl)
  * TimescaleDB >= 2.8 built for that PostgreSQL (the Apache-2 edition is enough), i.e.
    timescaledb.so present in `pg_config --pkglibdir`
  * pg_cron for that PostgreSQL (schedules tick retention)
  * redis-server >= 6
  * prometheus >= 2.42 (with promtool), prometheus-postgres-exporter, prometheus-redis-exporter
  * Java 17 (JDK)
  * Maven 3.8+
  * docker-compose (the tests validate docker-compose.yml with it; no Docker engine needed)

Examples: Debian 13:        apt-get install postgresql-17 postgresql-17-timescaledb postgresql-17-cron redis-server \
                                          openjdk-17-jdk-headless maven
          macOS (Homebrew): brew install postgresql@17 redis openjdk@17 maven timescale/tap/timescaledb
          elsewhere:        TimescaleDB's own package repository for your distribution, or a source
                            build (cmake -DAPACHE_ONLY=1 -DPG_CONFIG=<your pg_config>)
EOF
}

# ---------------------------------------------------------------------------------------------
# 1. Which system is this?
# ---------------------------------------------------------------------------------------------
OS_ID=""; CODENAME=""
if [ -r /etc/os-release ]; then
    # shellcheck disable=SC1091
    OS_ID="$(. /etc/os-release && printf '%s' "${ID:-}")"
    CODENAME="$(. /etc/os-release && printf '%s' "${VERSION_CODENAME:-}")"
fi

# The stack runs PostgreSQL, Redis and the exporters itself (own ports and data under RTX_HOME); the
# packages' services are kept from starting during the install and disabled below, so that none takes
# a port (6379, 5432, 9090, ...) at the next boot.
MONITORING=(prometheus prometheus-postgres-exporter prometheus-redis-exporter)
PACKAGE_SERVICES=(postgresql redis-server prometheus prometheus-postgres-exporter prometheus-redis-exporter)

case "$OS_ID:$CODENAME" in
    debian:bookworm) PG_MAJOR=15; PACKAGES=(postgresql-15 postgresql-15-cron postgresql-server-dev-15 cmake gcc make libc6-dev dpkg-dev xz-utils redis-server "${MONITORING[@]}") ;;
    debian:trixie)   PG_MAJOR=17; PACKAGES=(postgresql-17 postgresql-17-timescaledb postgresql-17-cron postgresql-client-17 redis-server "${MONITORING[@]}") ;;
    *)
        printf 'ERROR: unsupported system (%s): automatic installation needs Debian 12 or 13.\n' \
            "${OS_ID:-unknown}${CODENAME:+ $CODENAME}" >&2
        manual_instructions
        exit 2 ;;
esac
command -v dpkg-query >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1 \
    || { printf 'ERROR: dpkg/apt-get not found\n' >&2; manual_instructions; exit 2; }

PG_BINDIR="/usr/lib/postgresql/$PG_MAJOR/bin"
PG_CONFIG="$PG_BINDIR/pg_config"

# Test tool, no service: `docker-compose config -q` validates docker-compose.yml without a Docker engine
# (ComposeConfigTest in infra/tools).
PACKAGES+=(docker-compose)
# Test tools, no service: the headless browser and its driver for the dashboard's browser test
# (DashboardIT in infra/ops, Selenium).
PACKAGES+=(chromium chromium-driver)

# ---------------------------------------------------------------------------------------------
# 2. What is missing? (one dpkg-query call; no apt work when nothing is)
# ---------------------------------------------------------------------------------------------
MISSING=()
INSTALLED=" $(dpkg-query -W -f='${Package}=${db:Status-Abbrev}\n' "${PACKAGES[@]}" 2>/dev/null \
               | awk -F= '$2 ~ /^ii/ {printf "%s ", $1}' || true) "
for p in "${PACKAGES[@]}"; do
    case "$INSTALLED" in *" $p "*) ;; *) MISSING+=("$p") ;; esac
done

tsdb_so_present() {
    [ -x "$PG_CONFIG" ] || return 1
    local libdir
    libdir="$("$PG_CONFIG" --pkglibdir 2>/dev/null)" || return 1
    [ -f "$libdir/timescaledb.so" ]
}

NEED_TSDB_BUILD=0
if [ "$CODENAME" = bookworm ] && ! tsdb_so_present; then
    NEED_TSDB_BUILD=1
fi

if [ "$(id -u)" != 0 ] && { [ "${#MISSING[@]}" -gt 0 ] || [ "$NEED_TSDB_BUILD" = 1 ]; }; then
    printf 'ERROR: not root, and something is missing:' >&2
    [ "${#MISSING[@]}" -gt 0 ] && printf ' %s' "${MISSING[@]}" >&2
    [ "$NEED_TSDB_BUILD" = 1 ] && printf ' timescaledb (for PostgreSQL %s)' "$PG_MAJOR" >&2
    printf '\nRe-run as root: sudo %s\n' "$0" >&2
    manual_instructions
    exit 2
fi

# ---------------------------------------------------------------------------------------------
# 3. Install Debian packages (apt-get update only here, tolerant of broken third-party sources)
# ---------------------------------------------------------------------------------------------
apt_candidates_ok() {    # every package in "$@" has an install candidate in the current lists
    local p cand
    for p in "$@"; do
        cand="$(apt-cache policy "$p" 2>/dev/null | awk '/Candidate:/ {print $2; exit}')"
        if [ -z "$cand" ] || [ "$cand" = "(none)" ]; then return 1; fi
    done
}

if [ "${#MISSING[@]}" -gt 0 ]; then
    ensure_log
    say "updating apt package lists (log: $LOG)"
    printf '+ apt-get update\n' >>"$LOG"
    if ! apt-get update >>"$LOG" 2>&1; then
        # a third-party source may be unreachable; that is fine if Debian's lists were fetched
        if apt_candidates_ok "${MISSING[@]}"; then
            warn "apt-get update reported errors (probably a third-party source; see $LOG); continuing with Debian's lists"
        else
            tail -n 25 "$LOG" >&2
            die "apt-get update failed and these packages have no install candidate: ${MISSING[*]}"
        fi
    fi
    # The packages would start their own services (default ports, some on all interfaces):
    # a policy-rc.d that exists only for this install keeps them from starting.
    POLICY=/usr/sbin/policy-rc.d
    if [ ! -e "$POLICY" ]; then
        printf '#!/bin/sh\n# written by rtx install-deps.sh for one apt run\ncase "$1" in %s) exit 101 ;; esac\nexit 0\n' \
            "$(IFS='|'; printf '%s' "${PACKAGE_SERVICES[*]}")" >"$POLICY"
        chmod 755 "$POLICY"
        trap 'rm -f "$POLICY"; cleanup' EXIT
    fi
    say "installing ${MISSING[*]} (a minute or two)"
    run apt-get install -y --no-install-recommends "${MISSING[@]}"
    if grep -q 'written by rtx install-deps.sh' "$POLICY" 2>/dev/null; then rm -f "$POLICY"; fi
    trap cleanup EXIT
fi

# The packages' own services are never what the stack uses: keep them stopped and off at boot.
for svc in "${PACKAGE_SERVICES[@]}"; do
    if [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1; then
        if systemctl is-enabled --quiet "$svc" 2>/dev/null || systemctl is-active --quiet "$svc" 2>/dev/null; then
            run systemctl disable --now "$svc"
            say "disabled the $svc service of the Debian package (the stack runs its own)"
        fi
    elif [ -x "/etc/init.d/$svc" ]; then
        if "/etc/init.d/$svc" status >/dev/null 2>&1; then
            run "/etc/init.d/$svc" stop
            say "stopped the $svc service of the Debian package (the stack runs its own)"
        fi
        if compgen -G "/etc/rc[2-5].d/S[0-9][0-9]$svc" >/dev/null; then
            run update-rc.d "$svc" disable
        fi
    fi
done

# ---------------------------------------------------------------------------------------------
# 4. Bookworm: build TimescaleDB from Debian trixie's source package
# ---------------------------------------------------------------------------------------------

# Print "URI<TAB>SIGNED-BY-FILE" of the system's apt entry (type deb) whose suites contain $1.
# deb822 *.sources first, then one-line *.list / sources.list. Nothing printed if not found.
system_archive_uri() {
    local suite="$1" f
    for f in /etc/apt/sources.list.d/*.sources; do
        [ -r "$f" ] || continue
        awk -v suite="$suite" '
            function reset() { types = ""; suites = ""; uri = ""; signed = ""; enabled = "yes" }
            function flush() {
                if (!found && (" " types " ") ~ / deb / && (" " suites " ") ~ (" " suite " ") \
                    && tolower(enabled) !~ /^(no|false|0)$/ && uri != "") {
                    print uri "\t" signed; found = 1
                }
                reset()
            }
            BEGIN { reset() }
            /^[ \t]*#/ { next }
            /^[ \t]*$/ { flush(); next }
            /^[ \t]/   { next }                       # continuation line (e.g. inline key)
            {
                key = tolower($1); sub(/:$/, "", key)
                val = $0; sub(/^[^:]*:[ \t]*/, "", val); gsub(/\t/, " ", val)
                if (key == "types") types = val
                else if (key == "suites") suites = val
                else if (key == "uris") { split(val, u, " "); uri = u[1] }
                else if (key == "signed-by") signed = val
                else if (key == "enabled") enabled = val
            }
            END { flush() }
        ' "$f" | head -n 1 | grep . && return 0
    done
    for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
        [ -r "$f" ] || continue
        awk -v suite="$suite" '
            { sub(/#.*/, "") }
            $1 == "deb" {
                i = 2; signed = ""
                if ($i ~ /^\[/) {                      # [ option=value ... ]
                    while (i <= NF) {
                        o = $i; gsub(/[\[\]]/, "", o)
                        if (o ~ /^signed-by=/) { sub(/^signed-by=/, "", o); signed = o }
                        if ($i ~ /\]$/) { i++; break }
                        i++
                    }
                }
                if ($(i + 1) == suite && $i != "") { print $i "\t" signed; exit }
            }
        ' "$f" | head -n 1 | grep . && return 0
    done
    return 1
}

build_timescaledb() {
    local entry uri signed opt apt_opts src ver
    entry="$(system_archive_uri "$CODENAME")" \
        || die "could not find a 'deb ... $CODENAME' entry in the system's apt sources (needed to locate the Debian archive)"
    uri="${entry%%$'\t'*}"
    signed="${entry#*$'\t'}"

    TMP_DIR="$(mktemp -d /tmp/rtx-tsdb-build.XXXXXX)"
    chmod 755 "$TMP_DIR"           # apt's download sandbox user (_apt) must be able to write below it
    mkdir -p "$TMP_DIR/apt/lists/partial" "$TMP_DIR/apt/cache/archives/partial" "$TMP_DIR/src"
    chown -R _apt "$TMP_DIR/apt/lists" "$TMP_DIR/src" 2>/dev/null || true

    opt=""
    if [ -n "$signed" ] && [ "${signed#/}" != "$signed" ] && [ -r "$signed" ]; then
        opt=" [signed-by=$signed]"
    fi
    printf 'deb-src%s %s %s main\n' "$opt" "$uri" "$SOURCE_SUITE" >"$TMP_DIR/apt/sources.list"
    printf '+ private source list: %s\n' "$(cat "$TMP_DIR/apt/sources.list")" >>"$LOG"

    apt_opts=(-o "Dir::Etc::sourcelist=$TMP_DIR/apt/sources.list" -o "Dir::Etc::sourceparts=-"
              -o "Dir::State::Lists=$TMP_DIR/apt/lists" -o "Dir::Cache=$TMP_DIR/apt/cache"
              -o "APT::Get::List-Cleanup=0")

    say "fetching Debian $SOURCE_SUITE's timescaledb source package (private apt config, from $uri)"
    if [ "${RTX_ALLOW_UNAUTHENTICATED:-0}" = 1 ]; then
        apt_opts+=(-o "Acquire::AllowInsecureRepositories=true")
        run apt-get "${apt_opts[@]}" update
        (cd "$TMP_DIR/src" && run apt-get "${apt_opts[@]}" --allow-unauthenticated source timescaledb)
    else
        ensure_log
        printf '+ apt-get (private) update\n' >>"$LOG"
        if ! apt-get "${apt_opts[@]}" update >>"$LOG" 2>&1 \
           || grep -qE 'NO_PUBKEY|is not signed|EXPKEYSIG|BADSIG' <(tail -n 20 "$LOG"); then
            tail -n 15 "$LOG" >&2
            die "could not fetch/verify the $SOURCE_SUITE source index with the system keyrings. If you accept an unverified download, re-run with RTX_ALLOW_UNAUTHENTICATED=1"
        fi
        (cd "$TMP_DIR/src" && run apt-get "${apt_opts[@]}" source timescaledb)
    fi

    src="$(find "$TMP_DIR/src" -mindepth 1 -maxdepth 1 -type d -name 'timescaledb-*' | head -n 1)"
    [ -n "$src" ] && [ -f "$src/CMakeLists.txt" ] || die "timescaledb source not unpacked (see $LOG)"
    ver="$(sed -n 's/^version[ \t]*=[ \t]*//p' "$src/version.config" 2>/dev/null | head -n 1)"
    ver="${ver:-${src##*/timescaledb-}}"

    say "building TimescaleDB $ver for PostgreSQL $PG_MAJOR (about a minute)"
    run cmake -S "$src" -B "$src/build" \
        -DPG_CONFIG="$PG_CONFIG" -DAPACHE_ONLY=1 -DREGRESS_CHECKS=OFF -DTAP_CHECKS=OFF \
        -DUSE_TELEMETRY=OFF -DCMAKE_DISABLE_FIND_PACKAGE_Git=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo
    run make -C "$src/build" -j"$(nproc 2>/dev/null || echo 2)"
    run cmake --install "$src/build"

    cleanup; TMP_DIR=""
    tsdb_so_present || die "build finished but timescaledb.so is not in $("$PG_CONFIG" --pkglibdir)"
}

if [ "$NEED_TSDB_BUILD" = 1 ]; then
    build_timescaledb
fi

# ---------------------------------------------------------------------------------------------
# 5. Keep Debian's default cluster(s) from auto-starting on our port
#    (we run our own private cluster; the package-created one is left in place, just not auto)
# ---------------------------------------------------------------------------------------------
if command -v pg_lsclusters >/dev/null 2>&1; then
    while read -r ver name port status _rest; do
        case "$ver" in [0-9]*) ;; *) continue ;; esac
        status="${status%%,*}"
        conf="/etc/postgresql/$ver/$name/start.conf"
        # a running cluster on our port is reported by ./rtx up (port taken) with the variable that moves ours
        [ "$status" = online ] && continue
        [ "$name" = main ] || continue
        if [ -f "$conf" ] && [ "$(grep -vE '^[[:space:]]*(#|$)' "$conf" | tr -d '[:space:]')" = auto ]; then
            if [ -w "$conf" ]; then
                # keep the comment header, replace the setting
                sed -i -E 's/^[[:space:]]*auto[[:space:]]*$/manual/' "$conf"
                say "set Debian's default cluster $ver/$name (port $port, not running) to start manually ($conf)"
            else
                warn "Debian's default cluster $ver/$name is set to auto-start on port $port; set $conf to 'manual' (needs root)"
            fi
        fi
    done < <(pg_lsclusters --no-header 2>/dev/null || true)
fi

# ---------------------------------------------------------------------------------------------
# 6. Summary: one line per installed thing
# ---------------------------------------------------------------------------------------------
[ -x "$PG_BINDIR/postgres" ] || die "PostgreSQL binaries not found in $PG_BINDIR"
tsdb_so_present || die "timescaledb.so not found for PostgreSQL $PG_MAJOR"
command -v redis-server >/dev/null 2>&1 || die "redis-server not found on PATH"
for tool in prometheus promtool prometheus-postgres-exporter prometheus-redis-exporter; do
    command -v "$tool" >/dev/null 2>&1 || die "$tool not found on PATH"
done

pg_ver="$("$PG_BINDIR/postgres" --version | awk '{print $3}')"
tsdb_ver="$(sed -n "s/^default_version[ \t]*=[ \t]*'\{0,1\}\([^']*\)'\{0,1\}.*/\1/p" \
             "$("$PG_CONFIG" --sharedir)/extension/timescaledb.control" 2>/dev/null | head -n 1)"
redis_ver="$(redis-server --version | sed -n 's/.* v=\([^ ]*\).*/\1/p')"

printf '%-13s %-10s %s\n' postgres "$pg_ver" "$PG_BINDIR"
printf '%-13s %-10s %s\n' timescaledb "${tsdb_ver:-?}" "$("$PG_CONFIG" --pkglibdir)/timescaledb.so"
printf '%-13s %-10s %s\n' redis-server "${redis_ver:-?}" "$(command -v redis-server)"
for p in "${MONITORING[@]}"; do
    printf '%-13s %-10s %s\n' "${p#prometheus-}" "$(dpkg-query -W -f='${Version}' "$p" 2>/dev/null | sed 's/[+-].*//')" \
        "$(command -v "$p")"
done
if command -v java >/dev/null 2>&1; then
    java_ver="$(java -version 2>&1 | awk -F'"' '/version/ {print $2; exit}')"
    printf '%-13s %-10s %s\n' java "${java_ver:-?}" "$(command -v java)"
else
    warn "java not found: the platform needs Java 17 (apt-get install openjdk-17-jdk-headless)"
fi
if command -v mvn >/dev/null 2>&1; then
    mvn_ver="$(dpkg-query -W -f='${Version}' maven 2>/dev/null | sed 's/-.*//' || true)"
    printf '%-13s %-10s %s\n' maven "${mvn_ver:-?}" "$(command -v mvn)"
else
    warn "mvn not found: the platform needs Maven 3.8+ (apt-get install maven)"
fi
printf 'PG_BINDIR=%s\n' "$PG_BINDIR"
