#!/usr/bin/env bash
# Smoke test of a deployed stack through its public URL, as a browser reaches it: the web app, its runtime config,
# and the API behind nginx. Retries while the stack converges; exits non-zero with the failing check named.
# Usage: smoke-test.sh PUBLIC_URL [--insecure]   (--insecure: accept a self-signed certificate, local swarm only)
set -euo pipefail
url=${1:?usage: smoke-test.sh PUBLIC_URL [--insecure]}
url=${url%/}
curl_opts=(--silent --show-error --max-time 10 --output /tmp/smoke-body.$$ --write-out '%{http_code}')
[[ ${2:-} == --insecure ]] && curl_opts+=(--insecure)
attempts=${SMOKE_ATTEMPTS:-30}
trap 'rm -f /tmp/smoke-body.$$' EXIT

# check NAME PATH STATUS [PATTERN]: passes when PATH answers STATUS (and the body matches PATTERN) within the retries.
check() {
  local name=$1 path=$2 want=$3 pattern=${4:-} got=''
  for ((i = 1; i <= attempts; i++)); do
    got=$(curl "${curl_opts[@]}" "$url$path" 2>/dev/null || true)
    if [[ $got == "$want" ]] && { [[ -z $pattern ]] || grep -qiE "$pattern" /tmp/smoke-body.$$; }; then
      echo "smoke: ok   $name ($path → $got)"
      return 0
    fi
    sleep 2
  done
  echo "smoke: FAIL $name ($path → ${got:-no answer}, wanted $want${pattern:+ matching /$pattern/})" >&2
  return 1
}

check 'web app' / 200 '<!doctype html'
check 'runtime config' /config.json 200 '"apiBaseUrl"'
check 'API through nginx' /api/v1/openapi.json 200 '"openapi"'
check 'API refuses anonymous callers' /api/v1/me 401
echo "smoke: $url passed"
