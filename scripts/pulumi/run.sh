#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# npm run pulumi -- ARGS: the Pulumi CLI that scripts/pulumi/build.sh built, with its Node language host on PATH and
# its own PULUMI_HOME. A machine with its own `pulumi` on PATH uses that one and its own home.
set -euo pipefail
if ! command -v pulumi >/dev/null; then
  here="$(cd "$(dirname "$0")" && pwd)"
  # shellcheck source=paths.sh
  source "$here/paths.sh"
  if [[ ! -x $PULUMI_CLI_DIR/pulumi || ! -x $PULUMI_NODEJS_DIR/pulumi-language-nodejs ]]; then
    echo "pulumi: the engine is not built; run npm run setup" >&2
    exit 1
  fi
  export PULUMI_HOME PATH="$here/bin:$PULUMI_CLI_DIR:$PATH"
  # Plugins come from the builds in this cache; a download from the internet would only hang here.
  export PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true
fi
export PULUMI_SKIP_UPDATE_CHECK=true
exec pulumi "$@"
