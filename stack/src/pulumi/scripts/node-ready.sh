#!/bin/sh
# Waits until first boot (cloud-init) has finished, then replaces the deploy user's authorized keys with the list
# on stdin, so admin keys change over SSH instead of through user-data (which would replace the droplet), and prints
# the host key.
set -eu
if ! sudo cloud-init status --wait >/dev/null; then
  sudo cloud-init status --long >&2
  exit 1
fi
umask 077
cat >"$HOME/.ssh/authorized_keys.new"
if ! grep -q '^ssh-' "$HOME/.ssh/authorized_keys.new"; then
  echo "refusing to install an empty authorized_keys" >&2
  exit 1
fi
mv "$HOME/.ssh/authorized_keys.new" "$HOME/.ssh/authorized_keys"
# The host key, which the deployer's own SSH connection pins (known_hosts) instead of trusting any key.
cat /etc/ssh/ssh_host_ed25519_key.pub
