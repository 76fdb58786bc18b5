#!/bin/sh
# Runs one of the platform's processes in the image of infra/docker/Dockerfile:
#   rtx-run candles|quotes|orders|ops          a Streams app / the ops service (settings: RTX_* env)
#   rtx-run tools COMMAND [ARG...]              an ./rtx command, e.g. tools topics, tools connect apply
# The JVM flags are the ones the native launcher (Stack.javaCommand) gives; the heap is RTX_APP_HEAP.
set -eu
what="${1:-}"
[ $# -gt 0 ] && shift
case "$what" in
    candles) main=io.rtx.candles.CandlesApp ;;
    quotes)  main=io.rtx.quotes.QuotesApp ;;
    orders)  main=io.rtx.orders.OrdersApp ;;
    ops)     main=io.rtx.ops.OpsApp ;;
    tools)   main=io.rtx.tools.Rtx ;;
    *) echo "usage: rtx-run candles|quotes|orders|ops|tools [ARG...]" >&2; exit 2 ;;
esac
if [ ! -d "/opt/rtx/$what/lib" ]; then
    echo "rtx-run: $what is not in this image (its module was not in the checkout it was built from)" >&2
    exit 2
fi
heap="${RTX_APP_HEAP:-192m}"
[ "$what" = tools ] && heap=256m
exec java "-Xmx$heap" -XX:+UseSerialGC -Xms32m -XX:TrimNativeHeapInterval=5000 \
    -Drtx.repo=/opt/rtx \
    -Dlog4j2.configurationFile=/opt/rtx/conf/log4j2.xml \
    -Djava.util.logging.manager=org.apache.logging.log4j.jul.LogManager \
    -cp "/opt/rtx/$what/lib/*" "$main" "$@"
