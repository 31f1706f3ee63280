#!/bin/sh
# Gives a swarm node the placement labels the stack definition pins services with (run on the first manager).
set -eu
: "${NODE:?}" "${LABELS:?}"
tries=0
until docker node inspect "$NODE" >/dev/null 2>&1; do
  tries=$((tries + 1))
  if [ "$tries" -gt 30 ]; then
    echo "swarm node $NODE not found" >&2
    exit 1
  fi
  sleep 2
done
for label in $LABELS; do
  docker node update --label-add "$label" "$NODE" >/dev/null
done
