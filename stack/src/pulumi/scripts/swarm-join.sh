#!/bin/sh
# Joins this node to the swarm (once; a rerun is a no-op). The join token comes on stdin so it is never part of the
# command Pulumi stores and logs.
set -eu
: "${ADVERTISE_ADDR:?}" "${MANAGER_ADDR:?}"
# Pulumi sends the token without a newline: `read` then hits EOF, which is fine once it has read the token.
IFS= read -r token || [ -n "$token" ]
if [ "$(docker info --format '{{.Swarm.LocalNodeState}}')" != active ]; then
  docker swarm join --token "$token" --advertise-addr "$ADVERTISE_ADDR" "$MANAGER_ADDR:2377" >/dev/null
fi
