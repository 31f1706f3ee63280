#!/usr/bin/env bash
# Obtains the certificate for $DOMAIN from $ACME_DIRECTORY (HTTP-01 via nginx's webroot) and renews it every
# $RENEW_INTERVAL_SECONDS; each new certificate is copied into its own directory under /certs and `current` is
# switched atomically, which nginx notices and reloads for.
#   renewer            the loop (the service's command)
#   renewer renew-now  force a renewal immediately (operators, tests)
#   renewer install    certbot's deploy hook
set -uo pipefail
: "${DOMAIN:?}" "${ACME_EMAIL:?}" "${ACME_DIRECTORY:?}"
certs=/certs
live=/etc/letsencrypt/live/$DOMAIN
certbot_args=(--config-dir /etc/letsencrypt --work-dir /tmp/certbot/work --logs-dir /tmp/certbot/logs
  --non-interactive --deploy-hook "$0 install")

install_certificate() {
  local name dir
  name="acme-$(date -u +%Y%m%dT%H%M%S)"
  dir="$certs/$name"
  mkdir -p "$dir"
  cp -L "$live/fullchain.pem" "$live/privkey.pem" "$live/chain.pem" "$dir/"
  chmod 0600 "$dir/privkey.pem"
  ln -sfn "$name" "$certs/.current.tmp" && mv -T "$certs/.current.tmp" "$certs/current"
  # Keep the two newest issued certificates; older ones are no longer served.
  find "$certs" -maxdepth 1 -type d -name 'acme-*' | sort | head -n -2 | xargs -r rm -rf
  echo "renewer: installed certificate $name for $DOMAIN"
}

obtain_or_renew() {
  if [[ -e $live/fullchain.pem ]]; then
    certbot renew "${certbot_args[@]}" "$@" || return 1
    # A lost certs volume (or the self-signed start) with a valid lineage: install what certbot holds.
    [[ $(readlink "$certs/current" 2>/dev/null) == acme-* ]] || install_certificate
  else
    certbot certonly "${certbot_args[@]}" --webroot -w /var/www/acme -d "$DOMAIN" \
      --email "$ACME_EMAIL" --agree-tos --no-eff-email --server "$ACME_DIRECTORY" "$@"
  fi
}

case "${1:-loop}" in
  install) install_certificate ;;
  renew-now) obtain_or_renew --force-renewal --no-random-sleep-on-renew ;;
  loop)
    if [[ ${ACME_ENABLED:-true} != true ]]; then
      echo "renewer: ACME disabled; nginx keeps its self-signed certificate"
      exec sleep infinity
    fi
    trap 'exit 0' TERM INT
    while true; do
      if obtain_or_renew; then wait_for=${RENEW_INTERVAL_SECONDS:-43200}; else wait_for=30; fi
      sleep "$wait_for" &
      wait $!
    done
    ;;
  *) echo "usage: renewer [loop|renew-now|install]" >&2; exit 2 ;;
esac
