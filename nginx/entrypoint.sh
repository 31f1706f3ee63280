#!/usr/bin/env bash
# Starts nginx with a certificate from the first second: a self-signed one until the renewer installs a CA-issued
# certificate, then reloads nginx whenever the renewer switches `current` to a new certificate.
set -euo pipefail
certs=/etc/nginx/certs
mkdir -p /tmp/nginx

if [[ ! -e $certs/current/fullchain.pem ]]; then
  dir=$certs/self-signed
  mkdir -p "$dir"
  openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj "/CN=${DOMAIN:-localhost}" \
    -addext "subjectAltName=DNS:${DOMAIN:-localhost}" \
    -keyout "$dir/privkey.pem" -out "$dir/fullchain.pem" 2>/dev/null
  cp "$dir/fullchain.pem" "$dir/chain.pem"
  ln -sfn self-signed "$certs/.current.tmp" && mv -T "$certs/.current.tmp" "$certs/current"
  echo "nginx: serving a self-signed certificate for ${DOMAIN:-localhost} until the renewer installs one"
fi

# The renewer swaps the `current` symlink atomically; a changed target means a new certificate to load.
watch_certificate() {
  local seen now
  seen=$(readlink "$certs/current")
  while sleep "${CERT_CHECK_SECONDS:-5}"; do
    now=$(readlink "$certs/current" || true)
    if [[ -n $now && $now != "$seen" ]] && nginx -t -q; then
      nginx -s reload && seen=$now && echo "nginx: reloaded for certificate $now"
    fi
  done
}
watch_certificate &

exec "$@"
