#!/usr/bin/env bash
# npm run setup: installs what this machine lacks for running and testing taskstack, then the npm dependencies.
# Idempotent: when everything is present it only runs `npm ci` (or skips it if node_modules matches the lock).
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian package → a file it installs; a package is installed only if its file is missing.
declare -A PACKAGES=(
  [postgresql]=/usr/lib/postgresql          # throw-away servers for `npm start` and tests
  [redis-server]=/usr/bin/redis-server      # same, for BullMQ
  [nginx]=/usr/sbin/nginx                   # `nginx -t` of our config in tests
  [chromium]=/usr/bin/chromium              # Playwright end-to-end tests of the UI
  [docker.io]=/usr/sbin/dockerd             # the local swarm end-to-end tests
  [debootstrap]=/usr/sbin/debootstrap       # stand-in base images where no registry is reachable
  [pebble]=/usr/bin/pebble                  # ACME test server for certificate issuance and renewal
  [certbot]=/usr/bin/certbot                # ACME client in the renewer
  [cloud-init]=/usr/bin/cloud-init          # `cloud-init schema` of the droplets' user-data
  [shellcheck]=/usr/bin/shellcheck          # lint of shell in user-data and scripts
  [prometheus]=/usr/bin/promtool            # `promtool check/test` of alert rules
  [prometheus-alertmanager]=/usr/bin/prometheus-alertmanager  # Alertmanager delivering a test alert by email
  [docker-registry]=/usr/bin/docker-registry  # the `local` Pulumi stack's registry (stand-in for DOCR)
  [pgbackrest]=/usr/bin/pgbackrest          # WAL archiving and point-in-time restores in the worker's tests
  [testssl.sh]=/usr/bin/testssl                # TLS scan of the nginx edge (stack/test/edge.test.ts)
)
missing=()
for pkg in "${!PACKAGES[@]}"; do
  [[ -e "${PACKAGES[$pkg]}" ]] || missing+=("$pkg")
done
if ((${#missing[@]})); then
  if [[ $(id -u) -eq 0 ]]; then
    echo "setup: installing ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "setup: missing Debian packages; run: sudo apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
fi

# The swarm tests need a running Docker engine; start one if the machine has none running.
if ! docker info >/dev/null 2>&1; then
  if [[ $(id -u) -eq 0 ]]; then
    echo "setup: starting dockerd"
    (dockerd >/var/log/dockerd.log 2>&1 &)
    for _ in $(seq 1 60); do docker info >/dev/null 2>&1 && break; sleep 1; done
  else
    echo "setup: Docker engine not running; the swarm end-to-end tests will be skipped" >&2
  fi
fi

# npm keeps node_modules/.package-lock.json; if it is newer than the lockfile, node_modules is current.
if [[ ! node_modules/.package-lock.json -nt package-lock.json ]]; then
  npm ci --no-audit --no-fund
fi
# The Pulumi engine (CLI and Node language host) from the Go module proxy, once per machine: stack/PULUMI.md.
bash scripts/pulumi/build.sh

echo "setup: done"
