/**
 * The shell program that runs on the database server (through `runOnServer`, as the server's OS user) to bring a
 * database back as it was at a moment: pgBackRest restores the cluster into a scratch data directory, which starts
 * on a private socket with archiving off (it must never push WAL into the repository) and replays WAL up to the
 * target, then the one database is copied into a new, empty database of the live cluster. The scratch directory is
 * removed on every exit. The live cluster only ever gains that new database.
 *
 * Arguments: stanza target(pgBackRest time | latest) scratch-dir database into-database live-socket-dir live-port
 * user, then `name=value` server settings the scratch cluster must share with the live one.
 */
export const SCRATCH_RESTORE_SCRIPT = String.raw`
set -euo pipefail
stanza=$1 target=$2 scratch=$3 database=$4 into=$5 live_socket=$6 live_port=$7 user=$8
shift 8
settings=()
for setting in "$@"; do settings+=(-c "$setting"); done
pid=
cleanup() {
  local status=$?
  if [[ -n $pid ]]; then kill -INT "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  rm -rf -- "$scratch"
  exit "$status"
}
trap cleanup EXIT
mkdir -m 700 -- "$scratch" "$scratch/data"
restore() {
  pgbackrest --stanza="$stanza" --log-level-console=warn restore --pg1-path="$scratch/data" --archive-mode=off "$@"
}
echo "[$SECONDS s] restoring the cluster into $scratch"
if [[ $target == latest ]]; then
  restore --type=default
else
  restore --type=time "--target=$target" --target-action=promote
fi
echo "[$SECONDS s] replaying WAL up to $target"
postgres -D "$scratch/data" -k "$scratch" -p "$live_port" -c "listen_addresses=" -c archive_mode=off \
  -c logging_collector=off -c log_destination=stderr "${'$'}{settings[@]}" >"$scratch/server.log" 2>&1 &
pid=$!
while :; do
  if ! kill -0 "$pid" 2>/dev/null; then
    pid=
    echo "the restored cluster stopped during recovery:"
    grep -E 'FATAL|PANIC|ERROR' "$scratch/server.log" | tail -n 3
    exit 3
  fi
  state=$(psql -h "$scratch" -p "$live_port" -U "$user" -d postgres -XAtc 'SELECT pg_is_in_recovery()' 2>/dev/null || true)
  [[ $state == f ]] && break
  sleep 0.5
done
grep -E 'recovery stopping|last completed transaction' "$scratch/server.log" | tail -n 2 || true
echo "[$SECONDS s] copying database $database into $into"
pg_dump -h "$scratch" -p "$live_port" -U "$user" -Fc -d "$database" |
  pg_restore -h "$live_socket" -p "$live_port" -U "$user" --no-owner --no-acl --exit-on-error -d "$into"
echo "[$SECONDS s] copied"
`;
