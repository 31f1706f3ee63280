import { createHmac } from 'node:crypto';

/**
 * The `Taskstack-Signature` header of a delivery: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`. The
 * timestamp is signed with the body so a receiver can refuse old deliveries replayed by someone who captured one;
 * each attempt is signed afresh. `v1` names the scheme, so another can be added beside it later.
 */
export function signatureHeader(secret: string, body: string, nowMs = Date.now()): string {
  const t = Math.floor(nowMs / 1000);
  const v1 = createHmac('sha256', secret).update(`${t}.${body}`).digest('hex');
  return `t=${t},v1=${v1}`;
}
