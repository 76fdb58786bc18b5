# stack.sh — the local stack's components, sourced by ./rtx. Each component is one native process with
# its data under $RTX_HOME/data/<name>, its log in $RTX_HOME/logs/<name>.log and its pid in
# $RTX_HOME/run/<name>.pid. Every port is an RTX_* variable (see README "Settings of the local stack").

: "${REPO:?}"
RTX_HOME="${RTX_HOME:-$REPO/.rtx}"
RTX_BIND=127.0.0.1
RTX_PG_PORT="${RTX_PG_PORT:-5432}"
RTX_PG_DB="${RTX_PG_DB:-rtx}"
RTX_PG_USER="${RTX_PG_USER:-rtx}"
RTX_PG_PASSWORD="${RTX_PG_PASSWORD:-rtx}"
RTX_TICKS_RETENTION="${RTX_TICKS_RETENTION:-7 days}"
RTX_REDIS_PORT="${RTX_REDIS_PORT:-6379}"
RTX_BROKER_PORT="${RTX_BROKER_PORT:-9092}"
RTX_CONTROLLER_PORT="${RTX_CONTROLLER_PORT:-9093}"
RTX_REGISTRY_PORT="${RTX_REGISTRY_PORT:-8081}"
RTX_CONNECT_PORT="${RTX_CONNECT_PORT:-8083}"
RTX_CANDLES_PORT="${RTX_CANDLES_PORT:-8090}"
RTX_QUOTES_PORT="${RTX_QUOTES_PORT:-8091}"
RTX_HEAP="${RTX_HEAP:-512m}"
export RTX_HOME RTX_PG_PORT RTX_PG_DB RTX_PG_USER RTX_PG_PASSWORD RTX_REDIS_PORT RTX_BROKER_PORT \
  RTX_CONTROLLER_PORT RTX_REGISTRY_PORT RTX_CONNECT_PORT RTX_CANDLES_PORT RTX_QUOTES_PORT

INFRA_COMPONENTS="postgres redis kafka registry connect"
APP_COMPONENTS="candles quotes"
ALL_COMPONENTS="$INFRA_COMPONENTS $APP_COMPONENTS"
DATA="$RTX_HOME/data"
LOGS="$RTX_HOME/logs"
RUN="$RTX_HOME/run"
CONF="$RTX_HOME/conf"

STACK_CP="$REPO/infra/stack/target/classpath.txt"
REGISTRY_JAR="$REPO/infra/stack/target/registry/apicurio-registry-app-2.6.13.Final-runner.jar"
PLUGIN_PATH="$REPO/infra/connect-plugins/target/plugins,$REPO/connectors/copy-sink/target/plugin"

say()  { printf '%s\n' "$*"; }
die()  { printf 'rtx: %s\n' "$*" >&2; exit 1; }

kafka_bootstrap() { echo "$RTX_BIND:$RTX_BROKER_PORT"; }
registry_url()    { echo "http://$RTX_BIND:$RTX_REGISTRY_PORT/apis/registry/v2"; }
connect_url()     { echo "http://$RTX_BIND:$RTX_CONNECT_PORT"; }
jdbc_url()        { echo "jdbc:postgresql://$RTX_BIND:$RTX_PG_PORT/$RTX_PG_DB"; }
# Batched multi-row inserts: 2-3x the sink's row rate (see README, "Sinks").
sink_jdbc_url()   { echo "$(jdbc_url)?reWriteBatchedInserts=true"; }

port_var() {
  case "$1" in
    postgres) echo RTX_PG_PORT ;; redis) echo RTX_REDIS_PORT ;; kafka) echo RTX_BROKER_PORT ;;
    registry) echo RTX_REGISTRY_PORT ;; connect) echo RTX_CONNECT_PORT ;;
    candles) echo RTX_CANDLES_PORT ;; quotes) echo RTX_QUOTES_PORT ;;
  esac
}
port_of() { local v; v=$(port_var "$1"); echo "${!v}"; }

endpoint() {
  case "$1" in
    postgres) echo "postgresql://$RTX_PG_USER@$RTX_BIND:$RTX_PG_PORT/$RTX_PG_DB" ;;
    redis)    echo "redis://$RTX_BIND:$RTX_REDIS_PORT" ;;
    kafka)    echo "$(kafka_bootstrap)" ;;
    registry) echo "http://$RTX_BIND:$RTX_REGISTRY_PORT/apis/ccompat/v7 (Confluent API), $(registry_url)" ;;
    connect)  echo "$(connect_url)" ;;
    candles)  echo "http://$RTX_BIND:$RTX_CANDLES_PORT (/candles, /health, /metrics)" ;;
    quotes)   echo "http://$RTX_BIND:$RTX_QUOTES_PORT (/health, /metrics)" ;;
  esac
}

port_open() { (exec 3<>"/dev/tcp/$RTX_BIND/$1") 2>/dev/null; }

pid_of() {
  local f="$RUN/$1.pid" pid
  [ -f "$f" ] || return 1
  pid=$(cat "$f")
  # The pid must still be ours: the command line names our RTX_HOME.
  [ -n "$pid" ] && [ -r "/proc/$pid/cmdline" ] && tr '\0' ' ' <"/proc/$pid/cmdline" | grep -qF "$RTX_HOME" || return 1
  echo "$pid"
}

# Runs a command detached from this shell, logging to $LOGS/<name>.log, pid in $RUN/<name>.pid.
spawn() {
  local name=$1; shift
  [ -f "$LOGS/$name.log" ] && mv -f "$LOGS/$name.log" "$LOGS/$name.log.1"
  setsid nohup "$@" >"$LOGS/$name.log" 2>&1 </dev/null &
  echo $! >"$RUN/$name.pid"
}

java_cp() {
  [ -f "$STACK_CP" ] || die "infra/stack is not built ($STACK_CP missing): run ./rtx build"
  cat "$STACK_CP"
}

as_postgres() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

pg_bin() {
  [ -n "${PG_BINDIR:-}" ] || PG_BINDIR=$("$REPO/infra/scripts/pg-bindir.sh") || exit 1
  echo "$PG_BINDIR/$1"
}

# ---------------------------------------------------------------------------------------------- start

start_postgres() {
  local d="$DATA/postgres"
  if [ ! -f "$d/PG_VERSION" ]; then
    mkdir -p "$d"
    [ "$(id -u)" = 0 ] && chown postgres "$d" "$RUN"
    chmod 700 "$d"
    as_postgres "$(pg_bin initdb)" -D "$d" -U postgres --auth-local=trust --auth-host=scram-sha-256 \
      -E UTF8 --locale=C.UTF-8 >>"$LOGS/postgres-init.log" 2>&1 || die "initdb failed, see $LOGS/postgres-init.log"
    cat >>"$d/pg_hba.conf" <<EOF
host replication all 127.0.0.1/32 scram-sha-256
EOF
  fi
  # Our settings live in rtx.conf, rewritten at every start so a pull that changes them takes effect.
  grep -q "include_if_exists = 'rtx.conf'" "$d/postgresql.conf" || echo "include_if_exists = 'rtx.conf'" >>"$d/postgresql.conf"
  cat >"$d/rtx.conf" <<EOF
shared_preload_libraries = 'timescaledb,pg_cron'
timescaledb.telemetry_level = off
cron.database_name = '$RTX_PG_DB'
cron.use_background_workers = on
max_worker_processes = 32
wal_level = logical
max_replication_slots = 10
max_wal_senders = 10
max_connections = 200
listen_addresses = '$RTX_BIND'
EOF
  [ "$(id -u)" = 0 ] && chown postgres "$d/rtx.conf"
  touch "$LOGS/postgres.log"
  [ "$(id -u)" = 0 ] && chown postgres "$RUN" "$LOGS/postgres.log"
  # pg_ctl forks the server itself; its pid file is the postmaster's.
  as_postgres "$(pg_bin pg_ctl)" -D "$d" -l "$LOGS/postgres.log" -w -t 60 \
    -o "-p $RTX_PG_PORT -k $RUN -c listen_addresses=$RTX_BIND" start >/dev/null \
    || die "PostgreSQL did not start, see $LOGS/postgres.log"
  head -1 "$d/postmaster.pid" >"$RUN/postgres.pid"
}

psql_admin() { PGOPTIONS="-c client_min_messages=warning" as_postgres "$(pg_bin psql)" -h "$RUN" -p "$RTX_PG_PORT" -U postgres -v ON_ERROR_STOP=1 -qtA "$@"; }

# Role, database, extensions, migrations and the retention job; safe to repeat, run at every `up`.
bootstrap_postgres() {
  if ! psql_admin -d postgres -c "SHOW shared_preload_libraries" | grep -q pg_cron; then
    say "restarting PostgreSQL to load new settings (rtx.conf)"
    as_postgres "$(pg_bin pg_ctl)" -D "$DATA/postgres" -m fast -w stop >/dev/null
    start_postgres
  fi
  psql_admin -d postgres -c "DO \$\$BEGIN
      IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$RTX_PG_USER') THEN
        CREATE ROLE $RTX_PG_USER LOGIN REPLICATION PASSWORD '$RTX_PG_PASSWORD';
      END IF; END\$\$;" >/dev/null
  if [ -z "$(psql_admin -d postgres -c "SELECT 1 FROM pg_database WHERE datname = '$RTX_PG_DB'")" ]; then
    psql_admin -d postgres -c "CREATE DATABASE $RTX_PG_DB OWNER $RTX_PG_USER" >/dev/null
  fi
  psql_admin -d "$RTX_PG_DB" -c "CREATE EXTENSION IF NOT EXISTS timescaledb" >/dev/null
  migrate_postgres
  # Tick retention: pg_cron drops whole chunks older than RTX_TICKS_RETENTION every 10 minutes.
  psql_admin -d "$RTX_PG_DB" -c "CREATE EXTENSION IF NOT EXISTS pg_cron" \
    -c "ALTER DATABASE $RTX_PG_DB SET rtx.ticks_retention = '$RTX_TICKS_RETENTION'" \
    -c "SELECT cron.schedule('rtx-ticks-retention', '*/10 * * * *', 'SELECT market.drop_old_ticks()')" >/dev/null
}

# Applies infra/sql/V*.sql in order, each once, recorded in rtx_schema_migrations.
migrate_postgres() {
  local f v
  psql_admin -d "$RTX_PG_DB" -c "CREATE TABLE IF NOT EXISTS rtx_schema_migrations
      (version text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())" >/dev/null
  for f in "$REPO"/infra/sql/V*.sql; do
    [ -f "$f" ] || continue
    v=$(basename "$f" .sql)
    if [ -z "$(psql_admin -d "$RTX_PG_DB" -c "SELECT 1 FROM rtx_schema_migrations WHERE version = '$v'")" ]; then
      { echo "BEGIN;"; echo "SET ROLE $RTX_PG_USER;"; cat "$f"; echo "RESET ROLE;";
        echo "INSERT INTO rtx_schema_migrations(version) VALUES ('$v');"; echo "COMMIT;"; } \
        | psql_admin -d "$RTX_PG_DB" >/dev/null || die "migration $v failed"
    fi
  done
}

start_redis() {
  mkdir -p "$DATA/redis"
  # The quote cache is rebuilt from Kafka, so Redis keeps nothing on disk.
  redis-server --bind "$RTX_BIND" --port "$RTX_REDIS_PORT" --dir "$DATA/redis" --save "" --appendonly no \
    --daemonize yes --pidfile "$RUN/redis.pid" --logfile "$LOGS/redis.log" \
    --proc-title-template "{title} {listen-addr} $RTX_HOME" >/dev/null || die "redis-server did not start"
  for _ in $(seq 50); do [ -s "$RUN/redis.pid" ] && break; sleep 0.1; done
}

start_kafka() {
  local conf="$CONF/kafka.properties" cp; cp=$(java_cp)
  cat >"$conf" <<EOF
process.roles=broker,controller
node.id=1
controller.quorum.bootstrap.servers=$RTX_BIND:$RTX_CONTROLLER_PORT
listeners=PLAINTEXT://$RTX_BIND:$RTX_BROKER_PORT,CONTROLLER://$RTX_BIND:$RTX_CONTROLLER_PORT
advertised.listeners=PLAINTEXT://$RTX_BIND:$RTX_BROKER_PORT
controller.listener.names=CONTROLLER
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
inter.broker.listener.name=PLAINTEXT
log.dirs=$DATA/kafka
num.partitions=1
auto.create.topics.enable=false
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
EOF
  if [ ! -f "$DATA/kafka/meta.properties" ]; then
    mkdir -p "$DATA/kafka"
    local id; id=$(java -cp "$cp" kafka.tools.StorageTool random-uuid 2>/dev/null | tail -1)
    java -cp "$cp" -Dlog4j2.configurationFile="$REPO/infra/conf/log4j2.xml" kafka.tools.StorageTool format \
      --standalone -t "$id" -c "$conf" >>"$LOGS/kafka-format.log" 2>&1 || die "formatting Kafka storage failed, see $LOGS/kafka-format.log"
  fi
  spawn kafka java -Xms256m -Xmx"$RTX_HEAP" -XX:+UseG1GC -Drtx.home="$RTX_HOME" \
    -Dlog4j2.configurationFile="$REPO/infra/conf/log4j2.xml" -cp "$cp" kafka.Kafka "$conf"
}

start_registry() {
  [ -f "$REGISTRY_JAR" ] || die "the registry is not built ($REGISTRY_JAR missing): run ./rtx build"
  mkdir -p "$DATA/registry"
  # H2 in a file keeps schema ids stable across restarts (the in-memory default would renumber them).
  REGISTRY_DATASOURCE_URL="jdbc:h2:file:$DATA/registry/registry" \
    spawn registry java -Xmx256m -Drtx.home="$RTX_HOME" -Dquarkus.http.host="$RTX_BIND" \
    -Dquarkus.http.port="$RTX_REGISTRY_PORT" -Dquarkus.log.level=WARN -jar "$REGISTRY_JAR"
}

start_connect() {
  local conf="$CONF/connect.properties" cp; cp=$(java_cp)
  local dir
  for dir in ${PLUGIN_PATH//,/ }; do
    [ -d "$dir" ] || die "connect plugins are not built ($dir missing): run ./rtx build"
  done
  cat >"$conf" <<EOF
bootstrap.servers=$(kafka_bootstrap)
group.id=rtx-connect
listeners=http://$RTX_BIND:$RTX_CONNECT_PORT
rest.advertised.host.name=$RTX_BIND
rest.advertised.port=$RTX_CONNECT_PORT
config.storage.topic=_connect-configs
offset.storage.topic=_connect-offsets
status.storage.topic=_connect-status
config.storage.replication.factor=1
offset.storage.replication.factor=1
status.storage.replication.factor=1
offset.flush.interval.ms=1000
key.converter=org.apache.kafka.connect.storage.StringConverter
value.converter=io.apicurio.registry.utils.converter.AvroConverter
value.converter.apicurio.registry.url=$(registry_url)
value.converter.apicurio.registry.auto-register=true
value.converter.apicurio.registry.as-confluent=true
value.converter.apicurio.registry.use-id=contentId
value.converter.apicurio.registry.headers.enabled=false
plugin.path=$PLUGIN_PATH
# the Apicurio converter jar has no ServiceLoader entry, so plain service loading misses it
plugin.discovery=hybrid_warn
config.providers=env
config.providers.env.class=org.apache.kafka.common.config.provider.EnvVarConfigProvider
connector.client.config.override.policy=All
EOF
  # Connectors read the database password from the environment, never from their JSON.
  RTX_SINK_JDBC_URL="${RTX_SINK_JDBC_URL:-$(sink_jdbc_url)}" RTX_SINK_JDBC_USER="$RTX_PG_USER" RTX_SINK_JDBC_PASSWORD="$RTX_PG_PASSWORD" \
    spawn connect java -Xms256m -Xmx"$RTX_HEAP" -XX:+UseG1GC -Duser.timezone=UTC -Drtx.home="$RTX_HOME" \
    -Dlog4j2.configurationFile="$REPO/infra/conf/log4j2.xml" -cp "$cp" \
    org.apache.kafka.connect.cli.ConnectDistributed "$conf"
}

# The Streams apps: settings through their RTX_* environment names (README, "Settings of the apps").
start_app() {
  local name=$1 module=$2 main=$3 port=$4 cpfile="$REPO/$2/target/classpath.txt"
  [ -f "$cpfile" ] || die "$module is not built: run ./rtx build"
  mkdir -p "$DATA/$name"
  RTX_KAFKA_BOOTSTRAP_SERVERS="$(kafka_bootstrap)" RTX_REGISTRY_URL="$(registry_url)" \
    RTX_HTTP_PORT="$port" RTX_KAFKA_APPLICATION_SERVER="$RTX_BIND:$port" RTX_KAFKA_STATE_DIR="$DATA/$name" RTX_QUOTES_REDIS_URL="redis://$RTX_BIND:$RTX_REDIS_PORT" \
    spawn "$name" java -Xms128m -Xmx"$RTX_HEAP" -XX:+UseG1GC -Drtx.home="$RTX_HOME" \
    -Dlog4j2.configurationFile="$REPO/infra/conf/log4j2.xml" -Djava.util.logging.manager=org.apache.logging.log4j.jul.LogManager \
    -cp "$REPO/$module/target/classes:$(cat "$cpfile")" "$main"
}
start_candles() { start_app candles streams-apps/candles io.rtx.candles.CandlesApp "$RTX_CANDLES_PORT"; }
start_quotes()  { start_app quotes streams-apps/quotes io.rtx.quotes.QuotesApp "$RTX_QUOTES_PORT"; }

# ---------------------------------------------------------------------------------------------- health

healthy() {
  case "$1" in
    postgres) "$(pg_bin pg_isready)" -q -h "$RTX_BIND" -p "$RTX_PG_PORT" ;;
    redis)    [ "$(redis-cli -h "$RTX_BIND" -p "$RTX_REDIS_PORT" ping 2>/dev/null)" = PONG ] ;;
    kafka)    port_open "$RTX_BROKER_PORT" && grep -q "Kafka Server started" "$LOGS/kafka.log" 2>/dev/null ;;
    registry) curl -sf -o /dev/null "http://$RTX_BIND:$RTX_REGISTRY_PORT/apis/ccompat/v7/subjects" ;;
    connect)  curl -sf "$(connect_url)/connector-plugins" 2>/dev/null | grep -q PostgresConnector ;;
    candles|quotes) curl -sf -o /dev/null "http://$RTX_BIND:$(port_of "$1")/health" ;;
  esac
}

wait_healthy() {
  local c=$1 timeout=${2:-120} i
  for ((i = 0; i < timeout * 4; i++)); do
    healthy "$c" && return 0
    pid_of "$c" >/dev/null || { [ "$c" = redis ] || [ "$c" = postgres ] || die "$c exited during start-up; last lines of $LOGS/$c.log:
$(tail -20 "$LOGS/$c.log" 2>/dev/null)"; }
    sleep 0.25
  done
  die "$c did not become healthy within ${timeout}s, see $LOGS/$c.log"
}

# Registry settings that make it behave like a production one: BACKWARD compatibility on every subject.
configure_registry() {
  curl -sf -X PUT -H 'Content-Type: application/vnd.schemaregistry.v1+json' \
    --data '{"compatibility":"BACKWARD"}' "http://$RTX_BIND:$RTX_REGISTRY_PORT/apis/ccompat/v7/config" >/dev/null \
    || die "could not set the registry's compatibility to BACKWARD"
}

# ---------------------------------------------------------------------------------------------- stop

stop_component() {
  local c=$1 pid
  pid=$(pid_of "$c") || { rm -f "$RUN/$c.pid"; return 0; }
  case "$c" in
    postgres) as_postgres "$(pg_bin pg_ctl)" -D "$DATA/postgres" -m fast -w stop >/dev/null ;;
    *) kill "$pid" 2>/dev/null
       for _ in $(seq 120); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
       kill -0 "$pid" 2>/dev/null && kill -9 "$pid" ;;
  esac
  rm -f "$RUN/$c.pid"
}

# ---------------------------------------------------------------------------------------------- commands

stack_up() {
  local wanted=${1:-$ALL_COMPONENTS} c
  mkdir -p "$DATA" "$LOGS" "$RUN" "$CONF"
  chmod 755 "$RTX_HOME" "$RUN"
  # A port held by something that is not ours is a clear error, not a mystery later.
  for c in $wanted; do
    if ! pid_of "$c" >/dev/null && port_open "$(port_of "$c")"; then
      die "port $(port_of "$c") ($c) is taken by another process: stop it or set $(port_var "$c") to a free port"
    fi
  done
  if [[ " $wanted " == *" kafka "* ]] && ! pid_of kafka >/dev/null && port_open "$RTX_CONTROLLER_PORT"; then
    die "port $RTX_CONTROLLER_PORT (kafka controller) is taken: set RTX_CONTROLLER_PORT to a free port"
  fi
  # Independent processes start together; Connect needs the broker first.
  for c in postgres redis kafka registry; do
    [[ " $wanted " == *" $c "* ]] || continue
    if pid_of "$c" >/dev/null; then continue; fi
    "start_$c"
  done
  for c in postgres redis kafka registry; do
    [[ " $wanted " == *" $c "* ]] && wait_healthy "$c"
  done
  [[ " $wanted " == *" postgres "* ]] && bootstrap_postgres
  [[ " $wanted " == *" registry "* ]] && configure_registry
  if [[ " $wanted " == *" connect "* ]]; then
    pid_of connect >/dev/null || start_connect
    wait_healthy connect 180
  fi
  for c in $APP_COMPONENTS; do
    [[ " $wanted " == *" $c "* ]] || continue
    pid_of "$c" >/dev/null || "start_$c"
  done
  for c in $APP_COMPONENTS; do
    [[ " $wanted " == *" $c "* ]] && wait_healthy "$c" 120
  done
  for c in $wanted; do
    printf '%-9s up    %s\n' "$c" "$(endpoint "$c")"
  done
}

# PUTs every connectors/*.json to Connect; PUT creates or updates, so repeating it is harmless.
deploy_connectors() {
  local f name code url=${RTX_CONNECT_URL:-$(connect_url)} body
  body=$(mktemp)
  for f in "$REPO"/connectors/*.json; do
    name=$(basename "$f" .json)
    code=$(curl -sS -o "$body" -w '%{http_code}' -X PUT -H 'Content-Type: application/json' \
      --data @"$f" "$url/connectors/$name/config") || code=000
    [[ $code == 20? ]] || die "deploying $name to $url failed (HTTP $code): $(cat "$body")"
    printf '%-9s %s deployed\n' connector "$name"
  done
  rm -f "$body"
}

stack_status() {
  local c bad=0
  for c in ${1:-$ALL_COMPONENTS}; do
    if pid_of "$c" >/dev/null && healthy "$c"; then
      printf '%-9s up    %s\n' "$c" "$(endpoint "$c")"
    else
      printf '%-9s DOWN  %s\n' "$c" "$(endpoint "$c")"; bad=1
    fi
  done
  return $bad
}

stack_down() {
  local wipe=$1 c order
  order=$(echo "${2:-$ALL_COMPONENTS}" | tr ' ' '\n' | tac | tr '\n' ' ')
  for c in $order; do stop_component "$c"; done
  if [ "$wipe" = 1 ]; then rm -rf "$DATA" "$CONF" "$RUN"; say "stopped; data wiped ($RTX_HOME)"; else say "stopped; data kept in $DATA"; fi
}
