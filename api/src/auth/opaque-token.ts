import { createHash, randomBytes } from 'node:crypto';

/** A 256-bit random token for a link or cookie, with the hash that is the only thing stored of it. */
export function newOpaqueToken(): { token: string; hash: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: hashOpaqueToken(token) };
}

/** SHA-256 is enough here: the tokens are high-entropy, so a leaked table cannot be reversed by guessing. */
export function hashOpaqueToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
