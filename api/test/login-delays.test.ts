import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUTH_DELAYS } from '../src/routes/auth/limits.js';
import { startTestApi, type TestApi } from './harness.js';
import { eventually, registerThroughApi } from './sessions.js';

// Behind one trusted proxy, X-Forwarded-For names the client: two addresses are two clients.
let api: TestApi;
beforeAll(async () => {
  api = await startTestApi({ TRUST_PROXY: '1' });
});
afterAll(() => api.close());

const from = (address: string) => ({ 'x-forwarded-for': address });
const login = (email: string, password: string, address: string) =>
  api.call('POST', '/api/v1/auth/login', { body: { email, password }, headers: from(address) });
const retryAfter = (res: { headers: Headers }) => Number(res.headers.get('retry-after'));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('failed sign-ins', () => {
  it('make the failing address wait longer and longer, while the owner signs in from elsewhere', async () => {
    const victim = await registerThroughApi(api);
    const free = AUTH_DELAYS.loginFailures.freeAttempts;
    const statuses: number[] = [];
    for (let i = 0; i < free; i++)
      statuses.push((await login(victim.email, `wrong-${i}`, '10.1.0.1')).status);
    expect(statuses).toEqual(Array(free).fill(401));

    const waiting = await login(victim.email, 'wrong again', '10.1.0.1');
    expect(waiting.status).toBe(429);
    expect(retryAfter(waiting)).toBe(1);
    // The right password does not skip the wait either: the delay is what slows guessing.
    expect((await login(victim.email, victim.password, '10.1.0.1')).status).toBe(429);
    await sleep(1100);
    expect((await login(victim.email.toUpperCase(), 'wrong, later', '10.1.0.1')).status).toBe(401);
    const longer = await login(victim.email, 'wrong again', '10.1.0.1');
    expect(longer.status).toBe(429);
    expect(retryAfter(longer)).toBe(2);

    const owner = await login(victim.email, victim.password, '10.1.0.2');
    expect(owner.status).toBe(200);
  }, 30_000);

  it('are forgotten once that address signs in', async () => {
    const account = await registerThroughApi(api);
    const free = AUTH_DELAYS.loginFailures.freeAttempts;
    for (let i = 0; i < free - 1; i++) await login(account.email, `wrong-${i}`, '10.1.1.1');
    expect((await login(account.email, account.password, '10.1.1.1')).status).toBe(200);
    for (let i = 0; i < free - 1; i++) {
      expect((await login(account.email, `wrong-${i}`, '10.1.1.1')).status).toBe(401);
    }
  }, 30_000);
});

describe('password-reset requests', () => {
  it('make one address wait after a few, and leave the owner free to ask from elsewhere', async () => {
    const account = await registerThroughApi(api);
    const forgot = (address: string) =>
      api.call('POST', '/api/v1/auth/password/forgot', {
        body: { email: account.email },
        headers: from(address),
      });
    const statuses: number[] = [];
    for (let i = 0; i <= AUTH_DELAYS.forgotRequests.freeAttempts; i++)
      statuses.push((await forgot('10.2.0.1')).status);
    expect(statuses).toEqual([202, 202, 202, 429]);

    expect((await forgot('10.2.0.2')).status).toBe(202);
    const jobs = await eventually(async () => {
      const all = await api.context.emails.queue.getJobs(['waiting']);
      const mine = all.filter((j) => j.name === 'password-reset' && j.data.to === account.email);
      return mine.length === 4 ? mine : undefined;
    });
    expect(jobs).toHaveLength(4);
  });
});
