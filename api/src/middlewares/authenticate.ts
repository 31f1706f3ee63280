import type { RequestHandler } from 'express';
import type { RateLimiterRedis } from 'rate-limiter-flexible';
import { verifyAccessToken } from '../auth/access-token.js';
import { sessionEnded } from '../auth/session-revocations.js';
import type { AppContext, AuthUser } from '../context.js';
import { unauthorized } from '../errors.js';
import { consume, createLimiter } from './rate-limit.js';

type AuthContext = Pick<AppContext, 'config' | 'redis'>;

/** One per-user limiter per app, however many routers authenticate (they would share its Redis keys anyway). */
const userLimiters = new WeakMap<AuthContext['config'], RateLimiterRedis | undefined>();
function userLimiter(ctx: AuthContext): RateLimiterRedis | undefined {
  if (!userLimiters.has(ctx.config)) {
    const points = ctx.config.USER_RATE_LIMIT_PER_MINUTE;
    const spec = { name: 'user', points, durationSeconds: 60 };
    userLimiters.set(
      ctx.config,
      points ? createLimiter(ctx.redis, ctx.config.REDIS_PREFIX, spec) : undefined,
    );
  }
  return userLimiters.get(ctx.config);
}

/**
 * Requires `Authorization: Bearer <access token>` of a session that has not ended; sets `req.user` or answers
 * 401, and 429 past the user's USER_RATE_LIMIT_PER_MINUTE. The session check is one Redis lookup per request: it
 * is what makes logout and password reset end access tokens at once instead of after their 15 minutes.
 */
export function authenticate(ctx: AuthContext): RequestHandler {
  const limiter = userLimiter(ctx);
  return (req, _res, next) => {
    const header = req.get('authorization') ?? '';
    const match = /^Bearer (\S+)$/i.exec(header);
    if (!match) return next(unauthorized());
    verifyAccessToken(match[1]!, ctx.config.JWT_SECRET)
      .then(async (claims) => {
        if (!claims || (await sessionEnded(ctx, claims.sessionId))) {
          return next(unauthorized('Your session has expired. Sign in again.'));
        }
        if (limiter) await consume(limiter, claims.userId);
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
