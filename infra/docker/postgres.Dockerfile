# PostgreSQL with TimescaleDB (the native stack's versions, from docker-compose.yml's build args) and
# pg_cron, which the native stack preloads for the ticks' retention job. TimescaleDB's image does not
# carry pg_cron: it is built here from its release source, without LLVM bitcode (with_llvm=no), so no
# clang is needed.
ARG TIMESCALEDB_IMAGE
FROM ${TIMESCALEDB_IMAGE}
ARG PG_CRON_VERSION
RUN set -eux; \
    test -n "${PG_CRON_VERSION}"; \
    apk add --no-cache --virtual .pg-cron-build build-base curl; \
    mkdir -p /tmp/pg_cron; \
    curl -fsSL "https://github.com/citusdata/pg_cron/archive/refs/tags/v${PG_CRON_VERSION}.tar.gz" \
        | tar -xz -C /tmp/pg_cron --strip-components=1; \
    make -C /tmp/pg_cron with_llvm=no; \
    make -C /tmp/pg_cron with_llvm=no install; \
    rm -rf /tmp/pg_cron; \
    apk del .pg-cron-build
