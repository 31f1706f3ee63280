#!/usr/bin/env bash
# Usage: verify-npm-tarball.sh FILE NAME@VERSION
# Checks a tarball fetched with `npm pack` against the SHA-512 integrity the registry publishes for that exact
# version (and its SHA-1 shasum), so a stand-in image never carries a Node or npm other than the published one.
set -euo pipefail
file=$1 spec=$2
published=$(npm view "$spec" dist.integrity)
shasum=$(npm view "$spec" dist.shasum)
[[ $published == sha512-* && -n $shasum ]] || { echo "verify-npm-tarball: the registry publishes no integrity for $spec" >&2; exit 1; }
actual="sha512-$(openssl dgst -sha512 -binary "$file" | base64 -w0)"
actual_sha1=$(sha1sum "$file" | cut -d' ' -f1)
if [[ $actual != "$published" || $actual_sha1 != "$shasum" ]]; then
  echo "verify-npm-tarball: $file is not $spec as the registry publishes it ($actual, published $published)" >&2
  exit 1
fi
echo "verify-npm-tarball: $spec matches the registry's integrity"
