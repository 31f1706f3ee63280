#!/bin/sh
# The local stack's stand-in for the DigitalOcean cloud firewall, enforced inside the node. RULES holds words
# proto:port:sources (sources: `any`, or CIDRs joined by commas). Rebuilt whole on every run, so a rerun converges.
# INPUT filters what the node itself serves (sshd, dockerd's swarm ports); DOCKER-USER what its containers publish:
# from outside only the ports the cloud firewall opens to the world.
set -eu
: "${RULES:?}"
chain() { sudo iptables -N "$1" 2>/dev/null || sudo iptables -F "$1"; }
hook() { sudo iptables -C "$1" -j "$2" 2>/dev/null || sudo iptables -I "$1" 1 -j "$2"; }

chain TASKSTACK-IN
sudo iptables -A TASKSTACK-IN -i lo -j RETURN
sudo iptables -A TASKSTACK-IN -m conntrack --ctstate ESTABLISHED,RELATED -j RETURN
chain TASKSTACK-FWD
sudo iptables -A TASKSTACK-FWD -i eth0 -m conntrack --ctstate ESTABLISHED,RELATED -j RETURN
for rule in $RULES; do
  proto=${rule%%:*}
  rest=${rule#*:}
  port=${rest%%:*}
  sources=${rest#*:}
  if [ "$sources" = any ]; then
    sudo iptables -A TASKSTACK-FWD -i eth0 -p "$proto" -m conntrack --ctorigdstport "$port" -j RETURN
    continue
  fi
  for source in $(echo "$sources" | tr , ' '); do
    sudo iptables -A TASKSTACK-IN -p "$proto" --dport "$port" -s "$source" -j RETURN
  done
  sudo iptables -A TASKSTACK-IN -p "$proto" --dport "$port" -j DROP
done
sudo iptables -A TASKSTACK-FWD -i eth0 -j DROP
hook INPUT TASKSTACK-IN
hook DOCKER-USER TASKSTACK-FWD
