# Stand-in for the official redis:8-trixie: trixie's redis-server 8, /data as the working directory and volume,
# and the server dropping root for the `redis` user, uid 999 as in the official image (the stack makes its TLS key
# readable by that uid alone).
FROM debian:trixie-slim
RUN set -eux; \
    groupadd --system --gid 999 redis; \
    useradd --system --uid 999 --gid redis --home-dir /var/lib/redis --no-create-home --shell /usr/sbin/nologin redis; \
    apt-get update; \
    apt-get install -y --no-install-recommends redis-server redis-tools; \
    rm -rf /var/lib/apt/lists/*; \
    mkdir -p /data; chown redis:redis /data; \
    redis-server --version
COPY redis-entrypoint.sh /usr/local/bin/docker-entrypoint.sh
VOLUME /data
WORKDIR /data
ENTRYPOINT ["docker-entrypoint.sh"]
EXPOSE 6379
CMD ["redis-server"]
