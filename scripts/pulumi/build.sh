#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# Part of npm run setup: builds the Pulumi CLI and its Node language host from the Go module proxy (Go modules of
# ours under tools/pulumi/ pin them, go.sum included) into the machine-wide cache of paths.sh. A version already
# there is skipped; a lock keeps two clones' setups from building the same thing at once.
set -euo pipefail
# shellcheck source=paths.sh
source "$(dirname "$0")/paths.sh"

go=$(command -v go || true)
[[ -n $go ]] || go=/usr/local/go/bin/go
if [[ ! -x $go ]]; then
  if [[ $(id -u) -ne 0 ]]; then
    echo "setup: Go is missing for the Pulumi engine; run: sudo apt-get install -y golang-go" >&2
    exit 1
  fi
  # Debian's Go may be older than go.mod asks: GOTOOLCHAIN=auto then fetches the right one as a module.
  apt-get install -y -qq --no-install-recommends golang-go >/dev/null
  go=/usr/bin/go
fi

mkdir -p "$PULUMI_CACHE" "$PULUMI_HOME"
exec 9>"$PULUMI_CACHE/.lock"
flock 9

# build DIR BINARY MODULE PACKAGE VERSION: the binary with its version stamped as Pulumi's release builds do.
build() {
  local dir=$1 binary=$2 module=$3 package=$4 version=$5
  [[ -x $dir/$binary ]] && return
  echo "setup: building $binary $version (once per machine; minutes of CPU)"
  local start=$SECONDS tmp
  tmp=$(mktemp -d "$PULUMI_CACHE/.build.XXXXXX")
  (cd "$tools/$module" && GOTOOLCHAIN=auto "$go" build -trimpath -o "$tmp/$binary" \
    -ldflags "-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$version" "$package")
  mkdir -p "$dir"
  mv "$tmp/$binary" "$dir/$binary"
  rmdir "$tmp"
  echo "setup: built $binary in $((SECONDS - start)) s ($(du -sh "$dir/$binary" | cut -f1))"
}
build "$PULUMI_CLI_DIR" pulumi cli github.com/pulumi/pulumi/pkg/v3/cmd/pulumi "$PULUMI_CLI_VERSION"
build "$PULUMI_NODEJS_DIR" pulumi-language-nodejs language-nodejs \
  github.com/pulumi/pulumi/sdk/v3/nodejs/cmd/pulumi-language-nodejs "$PULUMI_NODEJS_VERSION"
