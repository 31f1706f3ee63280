# shellcheck shell=bash disable=SC2034  # sourced; the caller uses these
# Sourced by build.sh and run.sh: where the engine lives. One cache per machine, outside any clone, so every worktree
# and CI's fresh clone reuse one build; one directory per version, so a version bump builds anew beside the old one.
tools="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../tools/pulumi" && pwd)"
PULUMI_CACHE="${XDG_CACHE_HOME:-$HOME/.cache}/taskstack/pulumi"
PULUMI_CLI_VERSION=$(awk '$1 == "github.com/pulumi/pulumi/pkg/v3" { print $2 }' "$tools/cli/go.mod")
PULUMI_NODEJS_VERSION=$(awk '$1 == "github.com/pulumi/pulumi/sdk/v3" { print $2 }' "$tools/language-nodejs/go.mod")
PULUMI_CLI_DIR="$PULUMI_CACHE/cli-$PULUMI_CLI_VERSION"
PULUMI_NODEJS_DIR="$PULUMI_CACHE/language-nodejs-$PULUMI_NODEJS_VERSION"
# The CLI's own home (plugins, credentials of `pulumi login`), shared by all versions as a normal ~/.pulumi is.
PULUMI_HOME="$PULUMI_CACHE/home"
