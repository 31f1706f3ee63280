import type { Request, RequestHandler } from 'express';
import type { Redis } from 'ioredis';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { tooManyRequests } from '../errors.js';

/** One named limit: `points` attempts per `durationSeconds`, kept in Redis so every API replica shares it. */
export type LimitSpec = { name: string; points: number; durationSeconds: number };

/** A Redis-backed limiter under the app's key prefix (tests and instances sharing one Redis stay apart). */
export function createLimiter(redis: Redis, prefix: string, spec: LimitSpec): RateLimiterRedis {
  return new RateLimiterRedis({
    storeClient: redis,
    keyPrefix: `${prefix}:rl:${spec.name}`,
    points: spec.points,
    duration: spec.durationSeconds,
  });
}

/** Rejections carry the wait; anything else (Redis down) is a real error and propagates. */
function toHttpError(error: unknown): unknown {
  if (error instanceof RateLimiterRes)
    return tooManyRequests(Math.max(1, Math.ceil(error.msBeforeNext / 1000)));
  return error;
}

/** Spends one point of `key`; throws 429 with Retry-After once the limit is reached. */
export async function consume(limiter: RateLimiterRedis, key: string): Promise<void> {
  try {
    await limiter.consume(key);
  } catch (error) {
    throw toHttpError(error);
  }
}

/** The client address as Express sees it (TRUST_PROXY decides whether X-Forwarded-For counts). */
export const clientIp = (req: Request): string => req.ip ?? req.socket.remoteAddress ?? 'unknown';

/** Middleware that limits a route per client IP, before any validation or database work. */
export function limitPerIp(limiter: RateLimiterRedis): RequestHandler {
  return (req, _res, next) => {
    consume(limiter, clientIp(req)).then(() => next(), next);
  };
}
