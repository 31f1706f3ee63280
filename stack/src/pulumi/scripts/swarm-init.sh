#!/bin/sh
# Makes this node the swarm's first manager (once; a rerun is a no-op) and prints the manager and worker join
# tokens, which Pulumi keeps as secrets.
set -eu
: "${ADVERTISE_ADDR:?}"
if [ "$(docker info --format '{{.Swarm.LocalNodeState}}')" != active ]; then
  docker swarm init --advertise-addr "$ADVERTISE_ADDR" --listen-addr "$ADVERTISE_ADDR:2377" >/dev/null
fi
docker swarm join-token -q manager
docker swarm join-token -q worker
