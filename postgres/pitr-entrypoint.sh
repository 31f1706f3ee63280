#!/usr/bin/env bash
# Point-in-time recovery in front of the official entrypoint: with PGBACKREST_STANZA set, every WAL segment goes to
# pgBackRest's repository as it fills and at least once a minute (archive_timeout), so at most a minute of commits
# is unarchived. pgBackRest reads the rest of its settings from PGBACKREST_* variables (repository path, lock path;
# pg1-path defaults to PGDATA). The worker drives backups and restores through the database connection.
set -euo pipefail
if [[ ${1:0:1} == - ]]; then set -- postgres "$@"; fi
if [[ $1 == postgres && -n ${PGBACKREST_STANZA:-} ]]; then
  if [[ $(id -u) == 0 && -n ${PGBACKREST_REPO1_PATH:-} ]]; then # a fresh volume is root's
    mkdir -p "$PGBACKREST_REPO1_PATH"
    chown postgres:postgres "$PGBACKREST_REPO1_PATH"
    chmod 750 "$PGBACKREST_REPO1_PATH"
  fi
  export PGBACKREST_PG1_PATH=${PGBACKREST_PG1_PATH:-$PGDATA} PGBACKREST_LOG_LEVEL_FILE=${PGBACKREST_LOG_LEVEL_FILE:-off}
  # The backups' bucket key of the second repository, from Docker secrets: pgBackRest reads no *_FILE variables.
  for var in PGBACKREST_REPO2_S3_KEY PGBACKREST_REPO2_S3_KEY_SECRET; do
    file_var="${var}_FILE"
    if [[ -n ${!file_var:-} ]]; then
      export "$var"="$(<"${!file_var}")"
      unset "$file_var"
    fi
  done
  set -- "$@" -c archive_mode=on -c archive_timeout=60 \
    -c "archive_command=pgbackrest --stanza=$PGBACKREST_STANZA archive-push %p"
fi
exec docker-entrypoint.sh "$@"
