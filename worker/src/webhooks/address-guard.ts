import ipaddr from 'ipaddr.js';
import { lookup } from 'node:dns/promises';

/** A webhook's host resolved to an address it may not reach: final, not worth a retry. */
export class BlockedAddressError extends Error {}

/**
 * Why `address` is not a public unicast address (e.g. "loopback", "private", "uniqueLocal"), or undefined when it
 * is. An IPv4-mapped IPv6 address (::ffff:127.0.0.1) is judged as the IPv4 address it carries. ipaddr.js knows the
 * IANA special-purpose ranges; anything it files under another range than `unicast` (multicast, reserved, CGNAT,
 * NAT64, 6to4, Teredo…) is refused too, since those can lead back inside.
 */
export function nonPublicRange(address: string): string | undefined {
  let parsed = ipaddr.parse(address);
  if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) {
    parsed = (parsed as ipaddr.IPv6).toIPv4Address();
  }
  const range = parsed.range();
  return range === 'unicast' ? undefined : range;
}

export type ResolvedAddress = { address: string; family: 4 | 6 };

/**
 * Resolves `hostname` (or takes the IP literal) and checks every address it has: one inside is enough to refuse,
 * as the connection could pick it. The caller connects to the address returned, never resolving again, so a DNS
 * answer that changes between the check and the connection (rebinding) cannot slip an inside address in.
 */
export async function resolvePublicAddress(
  hostname: string,
  allowPrivate: boolean,
): Promise<ResolvedAddress> {
  const host = hostname.replace(/^\[(.*)\]$/, '$1');
  const addresses = await lookup(host, { all: true, verbatim: true });
  if (addresses.length === 0) throw new Error(`${host} has no address`);
  if (!allowPrivate) {
    for (const { address } of addresses) {
      const range = nonPublicRange(address);
      if (range) {
        throw new BlockedAddressError(
          `refused: ${host} resolves to ${address} (${range}), not a public address; ` +
            'WEBHOOK_ALLOW_PRIVATE_NETWORKS=true allows it',
        );
      }
    }
  }
  const [first] = addresses;
  return { address: first!.address, family: first!.family === 6 ? 6 : 4 };
}
