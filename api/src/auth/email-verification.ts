import { jwtVerify, SignJWT } from 'jose';

/** A verification link works for a week; signing in again does not need it, so a lapsed one costs a resend. */
export const VERIFY_TOKEN_TTL_SECONDS = 7 * 24 * 3600;
const AUDIENCE = 'taskstack-verify-email';

/**
 * A signed link token naming the account and the address it proves: no table needed, and a token for an address
 * the account no longer has proves nothing. Its own audience keeps it from ever passing as an access token.
 */
export function signVerifyToken(userId: string, email: string, secret: string): Promise<string> {
  return new SignJWT({ email: email.toLowerCase() })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(userId)
    .setIssuedAt()
    .setExpirationTime(`${VERIFY_TOKEN_TTL_SECONDS}s`)
    .setAudience(AUDIENCE)
    .sign(new TextEncoder().encode(secret));
}

/** The account and address a valid verification token names, or undefined. */
export async function readVerifyToken(
  token: string,
  secret: string,
): Promise<{ userId: string; email: string } | undefined> {
  try {
    const { payload } = await jwtVerify(token, new TextEncoder().encode(secret), {
      algorithms: ['HS256'],
      audience: AUDIENCE,
    });
    if (!payload.sub || typeof payload.email !== 'string') return undefined;
    return { userId: payload.sub, email: payload.email };
  } catch {
    return undefined;
  }
}
