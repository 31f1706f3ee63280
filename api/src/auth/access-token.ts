import { jwtVerify, SignJWT } from 'jose';
import { webcrypto } from 'node:crypto';

type CryptoKey = webcrypto.CryptoKey;

/** Access tokens live 15 minutes; the refresh cookie renews them, so a leaked one is short-lived. */
export const ACCESS_TOKEN_TTL_SECONDS = 15 * 60;

const keys = new Map<string, Promise<CryptoKey>>();

/** The HMAC key, imported once per secret: importing it on every request costs about a quarter of a verification. */
function key(secret: string): Promise<CryptoKey> {
  let imported = keys.get(secret);
  if (!imported) {
    imported = webcrypto.subtle.importKey(
      'raw',
      new TextEncoder().encode(secret),
      { name: 'HMAC', hash: 'SHA-256' },
      false,
      ['sign', 'verify'],
    );
    keys.set(secret, imported);
  }
  return imported;
}

/** What a valid access token says: who, which session (refresh-token family), until when. */
export type AccessClaims = { userId: string; sessionId: string; expiresAtMs: number };

/** Signs a short-lived bearer token naming the user and the session, so ending the session ends the token too. */
export async function signAccessToken(userId: string, sessionId: string, secret: string): Promise<string> {
  return new SignJWT({ sid: sessionId })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(userId)
    .setIssuedAt()
    .setExpirationTime(`${ACCESS_TOKEN_TTL_SECONDS}s`)
    .setAudience('taskstack')
    .sign(await key(secret));
}

/**
 * Tokens already verified, per secret, until they expire: a session presents the same token for up to 15 minutes,
 * and the HMAC check through WebCrypto was ~8 % of the API's CPU under load. Keyed by the whole token string, so
 * only the exact bytes that passed verification are trusted; bounded, oldest entries evicted first.
 */
const verified = new Map<string, Map<string, AccessClaims>>();
const VERIFIED_MAX = 10_000;

function remember(secret: string, token: string, claims: AccessClaims): void {
  let bySecret = verified.get(secret);
  if (!bySecret) verified.set(secret, (bySecret = new Map()));
  if (bySecret.size >= VERIFIED_MAX) bySecret.delete(bySecret.keys().next().value!);
  bySecret.set(token, claims);
}

/** The claims of a valid, unexpired token that names a session, or undefined. */
export async function verifyAccessToken(token: string, secret: string): Promise<AccessClaims | undefined> {
  const known = verified.get(secret)?.get(token);
  if (known && known.expiresAtMs > Date.now()) return known;
  try {
    const { payload } = await jwtVerify(token, await key(secret), {
      algorithms: ['HS256'],
      audience: 'taskstack',
    });
    if (!payload.sub || !payload.exp || typeof payload.sid !== 'string') return undefined;
    const claims = { userId: payload.sub, sessionId: payload.sid, expiresAtMs: payload.exp * 1000 };
    remember(secret, token, claims);
    return claims;
  } catch {
    return undefined;
  }
}
