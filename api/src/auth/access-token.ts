import { jwtVerify, SignJWT } from 'jose';

/** Access tokens live 15 minutes; the refresh cookie renews them, so a leaked one is short-lived. */
export const ACCESS_TOKEN_TTL_SECONDS = 15 * 60;

const key = (secret: string) => new TextEncoder().encode(secret);

/** Signs a short-lived bearer token naming the user. */
export function signAccessToken(userId: string, secret: string): Promise<string> {
  return new SignJWT({})
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(userId)
    .setIssuedAt()
    .setExpirationTime(`${ACCESS_TOKEN_TTL_SECONDS}s`)
    .setAudience('taskstack')
    .sign(key(secret));
}

/** Returns the user id of a valid, unexpired token, or undefined. */
export async function verifyAccessToken(token: string, secret: string): Promise<string | undefined> {
  try {
    const { payload } = await jwtVerify(token, key(secret), { algorithms: ['HS256'], audience: 'taskstack' });
    return payload.sub;
  } catch {
    return undefined;
  }
}
