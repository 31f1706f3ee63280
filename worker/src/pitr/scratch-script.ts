/**
 * Shell programs that run on the database server (through `runOnServer`, as the server's OS user) on a scratch
 * cluster brought back as it was at a moment: pgBackRest restores the cluster into a scratch data directory,
 * which starts on a private socket with archiving off (it must never push WAL into the repository) and replays
 * WAL up to the target. The scratch directory is removed on every exit, and the live cluster is never touched
 * (the restore only ever adds a new database to it).
 *
 * Common arguments: stanza target(pgBackRest time | latest) scratch-dir database port user, then each script's
 * own, then `name=value` server settings the scratch cluster must share with the live one.
 */
const SCRATCH_CLUSTER = String.raw`
set -euo pipefail
stanza=$1 target=$2 scratch=$3 database=$4 port=$5 user=$6
pid=
cleanup() {
  local status=$?
  if [[ -n $pid ]]; then kill -INT "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  rm -rf -- "$scratch"
  exit "$status"
}
start_scratch_cluster() {
  local settings=() setting
  for setting in "$@"; do settings+=(-c "$setting"); done
  trap cleanup EXIT
  mkdir -m 700 -- "$scratch" "$scratch/data"
  echo "[$SECONDS s] restoring the cluster into $scratch"
  local restore=(pgbackrest --stanza="$stanza" --log-level-console=warn restore --pg1-path="$scratch/data" --archive-mode=off)
  if [[ $target == latest ]]; then
    "${'$'}{restore[@]}" --type=default
  else
    "${'$'}{restore[@]}" --type=time "--target=$target" --target-action=promote
  fi
  echo "[$SECONDS s] replaying WAL up to $target"
  postgres -D "$scratch/data" -k "$scratch" -p "$port" -c "listen_addresses=" -c archive_mode=off \
    -c logging_collector=off -c log_destination=stderr "${'$'}{settings[@]}" >"$scratch/server.log" 2>&1 &
  pid=$!
  while :; do
    if ! kill -0 "$pid" 2>/dev/null; then
      pid=
      echo "the restored cluster stopped during recovery:"
      grep -E 'FATAL|PANIC|ERROR' "$scratch/server.log" | tail -n 3
      exit 3
    fi
    state=$(psql -h "$scratch" -p "$port" -U "$user" -d postgres -XAtc 'SELECT pg_is_in_recovery()' 2>/dev/null || true)
    [[ $state == f ]] && break
    sleep 0.5
  done
  grep -E 'recovery stopping|last completed transaction' "$scratch/server.log" | tail -n 2 || true
}
`;

/** Restore to a moment: copies the database of the scratch cluster into a new database of the live cluster. */
export const SCRATCH_RESTORE_SCRIPT = String.raw`${SCRATCH_CLUSTER}
into=$7 live_socket=$8
shift 8
start_scratch_cluster "$@"
echo "[$SECONDS s] copying database $database into $into"
pg_dump -h "$scratch" -p "$port" -U "$user" -Fc -d "$database" |
  pg_restore -h "$live_socket" -p "$port" -U "$user" --no-owner --no-acl --exit-on-error -d "$into"
echo "[$SECONDS s] copied"
`;

/**
 * Restore drill: runs the given SQL (the fingerprint statements) on the database of the scratch cluster and
 * prints its rows prefixed `fingerprint<TAB>`; nothing reaches the live cluster.
 */
export const SCRATCH_DRILL_SCRIPT = String.raw`${SCRATCH_CLUSTER}
sql=$7
shift 7
start_scratch_cluster "$@"
echo "[$SECONDS s] fingerprinting the tables of $database"
psql -h "$scratch" -p "$port" -U "$user" -d "$database" -XAtq -F $'\t' -v ON_ERROR_STOP=1 <<<"$sql" |
  sed 's/^/fingerprint\t/'
echo "[$SECONDS s] fingerprinted"
`;
