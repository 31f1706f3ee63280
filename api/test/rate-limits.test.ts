import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUTH_LIMITS } from '../src/routes/auth/limits.js';
import { buildUser, tokenFor } from './factories.js';
import { startTestApi, type TestApi } from './harness.js';

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(() => api.close());

const login = (email: string, headers: Record<string, string> = {}) =>
  api.call('POST', '/api/v1/auth/login', { body: { email, password: 'some password' }, headers });

describe('per-IP rate limits', () => {
  it('stop one client after the login limit, whatever accounts it tries and whatever X-Forwarded-For says', async () => {
    const limit = AUTH_LIMITS.loginPerIp.points;
    const statuses: number[] = [];
    for (let i = 0; i < limit; i++) {
      statuses.push((await login(`guess-${i}@example.com`, { 'x-forwarded-for': `10.0.0.${i}` })).status);
    }
    expect(statuses).toEqual(Array(limit).fill(401));
    const blocked = await login('one-more@example.com', { 'x-forwarded-for': '10.9.9.9' });
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(Number(blocked.headers.get('retry-after'))).toBeLessThanOrEqual(
      AUTH_LIMITS.loginPerIp.durationSeconds,
    );
    // Limits are per route: the same client may still ask for a reset link.
    const forgot = await api.call('POST', '/api/v1/auth/password/forgot', {
      body: { email: 'x@example.com' },
    });
    expect(forgot.status).toBe(202);
  }, 120_000);

  it('bound how often one email can be registered (and so probed for an account)', async () => {
    const statuses: number[] = [];
    for (let i = 0; i <= AUTH_LIMITS.registerPerAccount.points; i++) {
      const body = { email: 'probe@example.com', password: 'long enough password', name: 'Probe' };
      statuses.push((await api.call('POST', '/api/v1/auth/register', { body })).status);
    }
    expect(statuses[0]).toBe(201);
    expect(statuses.slice(1, -1).every((s) => s === 409)).toBe(true);
    expect(statuses.at(-1)).toBe(429);
  }, 60_000);

  it('live in Redis under the app prefix, so every replica shares them', async () => {
    const keys = await api.context.redis.keys(`${api.config.REDIS_PREFIX}:rl:login-ip*`);
    expect(keys.length).toBeGreaterThan(0);
  });
});

describe('per-user limits', () => {
  it('answer 429 once a signed-in user passes USER_RATE_LIMIT_PER_MINUTE, over all routes, others unaffected', async () => {
    const limited = await startTestApi({ USER_RATE_LIMIT_PER_MINUTE: '5' });
    try {
      const [busy, calm] = [await buildUser(), await buildUser()];
      const [busyToken, calmToken] = [await tokenFor(limited, busy), await tokenFor(limited, calm)];
      const statuses: number[] = [];
      for (const path of ['/me', '/workspaces', '/me', '/workspaces', '/me', '/workspaces']) {
        statuses.push((await limited.call('GET', `/api/v1${path}`, { token: busyToken })).status);
      }
      expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
      const refused = await limited.call('GET', '/api/v1/me', { token: busyToken });
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
      expect((await limited.call('GET', '/api/v1/me', { token: calmToken })).status).toBe(200);
      const keys = await limited.context.redis.keys(`${limited.config.REDIS_PREFIX}:rl:user*`);
      expect(keys.length).toBe(2);
    } finally {
      await limited.close();
    }
  });
});
