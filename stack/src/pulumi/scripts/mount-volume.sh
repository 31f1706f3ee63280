#!/bin/sh
# Puts Docker's named volumes (Postgres, Redis, backups) on the attached block volume, so the data outlives the
# droplet. Docker is made to require the mount, so it never starts on an empty disk and initialises a fresh database.
set -eu
: "${VOLUME_NAME:?}"
target=/var/lib/docker/volumes
device="/dev/disk/by-id/scsi-0DO_Volume_${VOLUME_NAME}"
tries=0
while [ ! -e "$device" ]; do
  tries=$((tries + 1))
  if [ "$tries" -gt 90 ]; then
    echo "$device did not appear; is the volume attached?" >&2
    exit 1
  fi
  sleep 2
done
if ! grep -q " $target " /etc/fstab; then
  echo "$device $target ext4 defaults,nofail,discard,noatime 0 2" | sudo tee -a /etc/fstab >/dev/null
fi
sudo mkdir -p /etc/systemd/system/docker.service.d
printf '[Unit]\nRequiresMountsFor=%s\n' "$target" | sudo tee /etc/systemd/system/docker.service.d/10-volumes.conf >/dev/null
sudo systemctl daemon-reload
if ! mountpoint -q "$target"; then
  sudo systemctl stop docker.socket docker
  sudo mkdir -p "$target"
  sudo mount "$target"
  sudo systemctl start docker
fi
