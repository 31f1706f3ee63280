#!/bin/sh
# Runs when Pulumi removes a node: leave the swarm so its tasks are rescheduled on the remaining nodes.
set -u
docker swarm leave --force >/dev/null 2>&1 || true
