import type { RequestHandler } from 'express';
import { verifyAccessToken } from '../auth/access-token.js';
import { sessionEnded } from '../auth/session-revocations.js';
import type { AppContext, AuthUser } from '../context.js';
import { unauthorized } from '../errors.js';

/**
 * Requires `Authorization: Bearer <access token>` of a session that has not ended; sets `req.user` or answers
 * 401. The session check is one Redis lookup per request: it is what makes logout and password reset end access
 * tokens at once instead of after their 15 minutes.
 */
export function authenticate(ctx: Pick<AppContext, 'config' | 'redis'>): RequestHandler {
  return (req, _res, next) => {
    const header = req.get('authorization') ?? '';
    const match = /^Bearer (\S+)$/i.exec(header);
    if (!match) return next(unauthorized());
    verifyAccessToken(match[1]!, ctx.config.JWT_SECRET)
      .then(async (claims) => {
        if (!claims || (await sessionEnded(ctx, claims.sessionId))) {
          return next(unauthorized('Your session has expired. Sign in again.'));
        }
        req.user = { id: claims.userId, sessionId: claims.sessionId, expiresAtMs: claims.expiresAtMs };
        next();
      })
      .catch(next);
  };
}

/** The signed-in user of a route behind `authenticate`. */
export function currentUser(req: Parameters<RequestHandler>[0]): AuthUser {
  if (!req.user) throw unauthorized();
  return req.user;
}
