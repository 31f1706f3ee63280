# Stand-in for the official postgres:17-trixie: trixie's postgresql-17, PGDATA, the entrypoint's
# POSTGRES_{USER,PASSWORD,DB}[_FILE] initialisation, and the server running as `postgres`, never root. Only the
# official image's behaviour: TLS and pgBackRest are postgres/Dockerfile's, on top of it as on top of the official one.
FROM debian:trixie-slim
RUN set -eux; \
    apt-get update; \
    apt-get install -y --no-install-recommends postgresql-17 locales; \
    rm -rf /var/lib/apt/lists/*; \
    mkdir -p /var/run/postgresql /var/lib/postgresql/data; \
    chown -R postgres:postgres /var/run/postgresql /var/lib/postgresql; \
    chmod 3777 /var/run/postgresql
ENV PATH=/usr/lib/postgresql/17/bin:$PATH \
    PGDATA=/var/lib/postgresql/data \
    LANG=C.UTF-8
COPY postgres-entrypoint.sh /usr/local/bin/docker-entrypoint.sh
VOLUME /var/lib/postgresql/data
ENTRYPOINT ["docker-entrypoint.sh"]
STOPSIGNAL SIGINT
EXPOSE 5432
CMD ["postgres"]
