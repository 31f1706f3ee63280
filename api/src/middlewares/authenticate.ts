import type { Request, RequestHandler } from 'express';
import type { RateLimiterRedis } from 'rate-limiter-flexible';
import { findLiveApiToken, touchApiToken } from '@taskstack/db/repositories';
import { ACCESS_TOKEN_TTL_SECONDS, verifyAccessToken } from '../auth/access-token.js';
import { apiTokenGrant, isApiToken } from '../auth/api-token.js';
import { hashOpaqueToken } from '../auth/opaque-token.js';
import { sessionEnded } from '../auth/session-revocations.js';
import type { AppContext, AuthUser } from '../context.js';
import { forbidden, unauthorized } from '../errors.js';
import { acceptsApiTokens } from '../openapi/registry.js';
import { consume, createLimiter } from './rate-limit.js';

type AuthContext = Pick<AppContext, 'config' | 'redis' | 'sql'>;

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

const READ_METHODS = new Set(['GET', 'HEAD']);

/**
 * Requires `Authorization: Bearer <access token>` of a session that has not ended, or a personal API token on a
 * route that accepts them; sets `req.user` or answers 401, and 429 past the user's USER_RATE_LIMIT_PER_MINUTE. The
 * session check is one Redis lookup per request: it is what makes logout and password reset end access tokens at
 * once instead of after their 15 minutes.
 */
export function authenticate(ctx: AuthContext): RequestHandler {
  const limiter = userLimiter(ctx);
  return (req, _res, next) => {
    const header = req.get('authorization') ?? '';
    const match = /^Bearer (\S+)$/i.exec(header);
    if (!match) return next(unauthorized());
    const bearer = match[1]!;
    if (isApiToken(bearer)) return authenticateApiToken(ctx, limiter, bearer, req, next);
    verifyAccessToken(bearer, ctx.config.JWT_SECRET)
      .then(async (claims) => {
        if (!claims) return next(unauthorized('Your session has expired. Sign in again.'));
        // Both Redis round trips at once: every authenticated request waits for them before any work.
        const [ended, limited] = await Promise.allSettled([
          sessionEnded(ctx, claims.sessionId),
          limiter && consume(limiter, claims.userId),
        ]);
        if (ended.status === 'rejected') throw ended.reason;
        if (ended.value) return next(unauthorized('Your session has expired. Sign in again.'));
        if (limited.status === 'rejected') throw limited.reason;
        req.user = { id: claims.userId, sessionId: claims.sessionId, expiresAtMs: claims.expiresAtMs };
        next();
      })
      .catch(next);
  };
}

/**
 * A personal API token: only on the routes the OpenAPI document lists it for (matched on the route Express
 * chose, so an unlisted or router-level use is refused), only while live (one indexed lookup: revoking takes effect
 * at once), read scope only for reads. The rest of the request runs under its grant, which the tenant check holds
 * every workspace-scoped loader to.
 */
function authenticateApiToken(
  ctx: AuthContext,
  limiter: RateLimiterRedis | undefined,
  bearer: string,
  req: Request,
  next: (error?: unknown) => void,
): void {
  const route: unknown = req.route?.path;
  if (typeof route !== 'string' || !acceptsApiTokens(req.method, route)) {
    return next(forbidden('API tokens cannot be used here: sign in to the web app instead.'));
  }
  findLiveApiToken(ctx.sql, hashOpaqueToken(bearer))
    .then(async (token) => {
      if (!token) return next(unauthorized('This API token is unknown, expired or revoked.'));
      if (token.scope === 'read' && !READ_METHODS.has(req.method)) {
        return next(forbidden('This API token can only read.'));
      }
      if (limiter) await consume(limiter, token.userId);
      if (!token.lastUsedAt || Date.now() - token.lastUsedAt.getTime() > 60_000) {
        await touchApiToken(ctx.sql, token.id);
      }
      req.user = {
        id: token.userId,
        sessionId: token.id,
        // An event stream re-authenticates as often as with a session, and a timer never gets a year-long delay.
        expiresAtMs: Math.min(token.expiresAt.getTime(), Date.now() + ACCESS_TOKEN_TTL_SECONDS * 1000),
      };
      apiTokenGrant.run({ tokenId: token.id, workspaceId: token.workspaceId, scope: token.scope }, next);
    })
    .catch(next);
}

/**
 * Takes a session's access token from `?access_token=` when no Authorization header came, for `authenticate` after
 * it (EventSource cannot send headers). A personal API token is only taken from the header: a year-long secret has
 * no business in a URL.
 */
export const tokenFromQuery: RequestHandler = (req, _res, next) => {
  const token = req.query.access_token;
  if (!req.get('authorization') && typeof token === 'string' && !isApiToken(token)) {
    req.headers.authorization = `Bearer ${token}`;
  }
  next();
};

/** The signed-in user of a route behind `authenticate`. */
export function currentUser(req: Parameters<RequestHandler>[0]): AuthUser {
  if (!req.user) throw unauthorized();
  return req.user;
}
