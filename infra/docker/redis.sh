#!/bin/sh
# Redis for docker-compose as the native stack runs it (Stack.startRedis; README, "Redis users"):
# the default user off, a user per service with only what it does, each known by its password's
# SHA-256, the passwords from the environment, never on a command line. An empty password leaves
# its user off. Arguments go to redis-server.
set -eu
acl="${TMPDIR:-/tmp}/redis.acl"
umask 077
sha() { printf '%s' "$1" | sha256sum | cut -d' ' -f1; }
user() { # NAME PASSWORD RULES
  if [ -z "$2" ]; then
    echo "user $1 off"
  else
    echo "user $1 on #$(sha "$2") $3"
  fi
}
{
  echo "user default off resetkeys resetchannels -@all"
  # the rules of io.rtx.launcher.RedisUser, word for word (ComposeFileTest)
  user rtx-quotes "${RTX_REDIS_QUOTES_PASSWORD:-}" '~quote:* ~rtx:quote-cache:* resetchannels &quotes:* -@all +@connection +eval +evalsha +hget +hgetall +hset +hdel +get +set +publish +psubscribe +punsubscribe'
  user rtx-orders "${RTX_REDIS_ORDERS_PASSWORD:-}" '~account:* ~position:* ~rtx:account-cache:* resetchannels -@all +@connection +eval +evalsha +hget +hset +get +mget +set'
  user rtx-reader "${RTX_REDIS_READER_PASSWORD:-}" '~* resetchannels &* -@all +@connection +@read +psubscribe +punsubscribe +subscribe +unsubscribe +pubsub'
  user rtx-exporter "${RTX_REDIS_EXPORTER_PASSWORD:-}" 'resetchannels -@all +@connection +info +config|get +slowlog|get +slowlog|len +latency|latest +client|list +dbsize'
  user rtx-admin "${RTX_REDIS_ADMIN_PASSWORD:-}" '~* &* +@all'
} > "$acl"
exec redis-server --aclfile "$acl" "$@"
