import type { CookieOptions, Request, Response } from 'express';

export const REFRESH_COOKIE = 'taskstack_refresh';
/** A session survives 30 days of inactivity; every refresh slides the window. */
export const REFRESH_TOKEN_TTL_MS = 30 * 24 * 3600 * 1000;

/** Only the auth routes ever see the cookie, and scripts never do. */
const options: CookieOptions = {
  httpOnly: true,
  secure: true,
  sameSite: 'strict',
  path: '/api/v1/auth',
};

/** Hands the browser a new refresh token. */
export function setRefreshCookie(res: Response, token: string): void {
  res.cookie(REFRESH_COOKIE, token, { ...options, maxAge: REFRESH_TOKEN_TTL_MS });
}

/** Tells the browser to forget its refresh token (logout, reuse detected). */
export function clearRefreshCookie(res: Response): void {
  res.clearCookie(REFRESH_COOKIE, options);
}

/** The refresh token the browser sent, if any. */
export function readRefreshCookie(req: Request): string | undefined {
  const value: unknown = (req.cookies as Record<string, unknown> | undefined)?.[REFRESH_COOKIE];
  return typeof value === 'string' && value.length > 0 && value.length <= 256 ? value : undefined;
}
