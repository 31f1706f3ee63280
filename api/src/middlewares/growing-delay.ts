import type { Redis } from 'ioredis';
import { RateLimiterRedis } from 'rate-limiter-flexible';
import { tooManyRequests } from '../errors.js';

/**
 * Attempts of one key (an account from one address) are free up to `freeAttempts`; each one after that makes the
 * next wait `baseSeconds`, doubling, at most `maxSeconds`. The count is forgotten `forgetSeconds` after the first
 * attempt it holds, or at once by `reset` (a successful sign-in).
 */
export type DelaySpec = {
  name: string;
  freeAttempts: number;
  baseSeconds: number;
  maxSeconds: number;
  forgetSeconds: number;
};

/** Growing delays kept in Redis (rate-limiter-flexible), so every replica sees the same count and wait. */
export class GrowingDelay {
  private readonly attempts: RateLimiterRedis;
  private readonly waits: RateLimiterRedis;

  constructor(
    redis: Redis,
    prefix: string,
    private readonly spec: DelaySpec,
  ) {
    const options = { storeClient: redis, duration: spec.forgetSeconds };
    this.attempts = new RateLimiterRedis({
      ...options,
      keyPrefix: `${prefix}:rl:${spec.name}`,
      points: Number.MAX_SAFE_INTEGER,
    });
    this.waits = new RateLimiterRedis({ ...options, keyPrefix: `${prefix}:rl:${spec.name}-wait`, points: 1 });
  }

  /** 429 with Retry-After while `key` must still wait after its last attempt. */
  async ensureNotWaiting(key: string): Promise<void> {
    const wait = await this.waits.get(key);
    if (wait && wait.consumedPoints > this.waits.points && wait.msBeforeNext > 0) {
      throw tooManyRequests(Math.max(1, Math.ceil(wait.msBeforeNext / 1000)));
    }
  }

  /** Counts an attempt of `key`; past the free ones, the next attempt has to wait. */
  async record(key: string): Promise<void> {
    const { freeAttempts, baseSeconds, maxSeconds } = this.spec;
    const { consumedPoints } = await this.attempts.penalty(key, 1);
    if (consumedPoints < freeAttempts) return;
    await this.waits.block(key, Math.min(maxSeconds, baseSeconds * 2 ** (consumedPoints - freeAttempts)));
  }

  /** Forgets `key`'s attempts (the right password was given). */
  async reset(key: string): Promise<void> {
    await Promise.all([this.attempts.delete(key), this.waits.delete(key)]);
  }
}
