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

/** Signs a short-lived bearer token naming the user. */
export async function signAccessToken(userId: string, secret: string): Promise<string> {
  return new SignJWT({})
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(userId)
    .setIssuedAt()
    .setExpirationTime(`${ACCESS_TOKEN_TTL_SECONDS}s`)
    .setAudience('taskstack')
    .sign(await key(secret));
}

/** Returns the user id of a valid, unexpired token, or undefined. */
export async function verifyAccessToken(token: string, secret: string): Promise<string | undefined> {
  try {
    const { payload } = await jwtVerify(token, await key(secret), {
      algorithms: ['HS256'],
      audience: 'taskstack',
    });
    return payload.sub;
  } catch {
    return undefined;
  }
}
