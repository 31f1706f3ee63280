#!/usr/bin/env bash
# In front of the official entrypoint (which handles POSTGRES_*_FILE, first-start initdb and dropping root):
# - TLS: with POSTGRES_TLS_CERT_FILE and POSTGRES_TLS_KEY_FILE set, the server serves TLS with that certificate, and
#   every TCP connection but the container's own loopback must use it (hostssl): the swarm's overlay networks are
#   not encrypted, and the clients verify the certificate (sslmode=verify-full). The pg_hba.conf written here
#   replaces the data directory's, so volumes initialised before TLS get the same rules.
# - Point-in-time recovery: with PGBACKREST_STANZA set, every WAL segment goes to pgBackRest's repository as it fills
#   and at least once a minute (archive_timeout), so at most a minute of commits is unarchived. pgBackRest reads the
#   rest of its settings from PGBACKREST_* variables (repository path, lock path; pg1-path defaults to PGDATA). The
#   worker drives backups and restores through the database connection.
set -euo pipefail
if [[ ${1:0:1} == - ]]; then set -- postgres "$@"; fi
if [[ $1 == postgres && -n ${POSTGRES_TLS_CERT_FILE:-} ]]; then
  # The server refuses a key that others can read; a Docker secret is root's, so it gets a copy of its own.
  tls_dir=/var/run/postgresql/tls
  install -d -o postgres -g postgres -m 700 "$tls_dir"
  install -o postgres -g postgres -m 600 "$POSTGRES_TLS_KEY_FILE" "$tls_dir/server.key"
  install -o postgres -g postgres -m 644 "$POSTGRES_TLS_CERT_FILE" "$tls_dir/server.crt"
  cat >"$tls_dir/pg_hba.conf" <<'HBA'
local all all trust
host all all 127.0.0.1/32 scram-sha-256
host all all ::1/128 scram-sha-256
hostssl all all all scram-sha-256
HBA
  chown postgres:postgres "$tls_dir/pg_hba.conf"
  unset POSTGRES_TLS_CERT_FILE POSTGRES_TLS_KEY_FILE
  set -- "$@" -c ssl=on -c "ssl_cert_file=$tls_dir/server.crt" -c "ssl_key_file=$tls_dir/server.key" \
    -c "hba_file=$tls_dir/pg_hba.conf"
fi
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
