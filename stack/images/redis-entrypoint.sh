#!/usr/bin/env bash
# As the official redis entrypoint: arguments starting with `-` go to redis-server; the server runs as `redis`.
set -euo pipefail
if [[ ${1:0:1} == - || ${1} == *.conf ]]; then set -- redis-server "$@"; fi
if [[ $1 == redis-server && $(id -u) == 0 ]]; then
  chown -R redis:redis /data
  exec setpriv --reuid=redis --regid=redis --init-groups "$0" "$@"
fi
exec "$@"
