#!/bin/sh
# Runs when a node stops carrying a placement label (e.g. dbNode moved): take the labels off so nothing stays pinned.
set -u
: "${NODE:?}" "${LABELS:?}"
for label in $LABELS; do
  docker node update --label-rm "${label%%=*}" "$NODE" >/dev/null 2>&1 || true
done
