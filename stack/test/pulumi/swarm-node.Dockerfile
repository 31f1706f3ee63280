# A droplet stand-in for the swarm script test: Debian with its docker.io engine, run as a container with its own dockerd.
FROM debian:trixie-slim
RUN set -eux; apt-get update; apt-get install -y --no-install-recommends docker.io docker-cli iproute2 ca-certificates; rm -rf /var/lib/apt/lists/*
