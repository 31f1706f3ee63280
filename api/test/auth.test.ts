import { RefreshToken } from '@taskstack/db';
import { SignJWT } from 'jose';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from './harness.js';
import { eventually, refreshCookieOf, registerThroughApi } from './sessions.js';

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi({
    ADMIN_EMAILS: 'boss@example.com',
    PUBLIC_URL: 'https://tasks.example.com',
  });
});
afterAll(() => api.close());

const post = (path: string, body?: unknown, cookie?: string) =>
  api.call('POST', `/api/v1${path}`, {
    body,
    headers: cookie ? { cookie: `taskstack_refresh=${cookie}` } : {},
  });

const emailJob = (id: string) => api.context.emails.queue.getJob(id);

describe('register', () => {
  it('creates the account, signs in with a refresh cookie, makes the first user instance admin and enqueues a welcome', async () => {
    const res = await post('/auth/register', {
      email: 'First@Example.com',
      password: 'long enough pw',
      name: 'First',
    });
    expect(res.status).toBe(201);
    expect(res.body.user).toMatchObject({ email: 'first@example.com', name: 'First', isInstanceAdmin: true });
    expect(res.body.accessToken).toEqual(expect.any(String));
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith('taskstack_refresh='))!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/Secure/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect(cookie).toMatch(/Path=\/api\/v1\/auth/);
    const job = await emailJob(`welcome-${res.body.user.id}`);
    expect(job?.name).toBe('welcome');
    expect(job?.data).toMatchObject({ to: 'first@example.com', name: 'First' });

    const me = await api.call('GET', '/api/v1/me', { token: res.body.accessToken });
    expect(me.body).toMatchObject({ id: res.body.user.id, isInstanceAdmin: true });
  });

  it('later users are not instance admins unless listed in ADMIN_EMAILS', async () => {
    const plain = await registerThroughApi(api);
    expect(plain.user.isInstanceAdmin).toBe(false);
    const boss = await registerThroughApi(api, { email: 'boss@example.com' });
    const me = await api.call('GET', '/api/v1/me', { token: boss.token });
    expect(me.body.isInstanceAdmin).toBe(true);
  });

  it('refuses a taken email (any case) with 409', async () => {
    const first = await registerThroughApi(api);
    const res = await post('/auth/register', {
      email: first.email.toUpperCase(),
      password: 'another password',
      name: 'Dup',
    });
    expect(res.status).toBe(409);
    expect(res.headers.get('content-type')).toMatch(/problem\+json/);
  });

  it('validates: short password, bad email, unknown fields', async () => {
    const res = await post('/auth/register', { email: 'nope', password: 'short', name: '', admin: true });
    expect(res.status).toBe(400);
    const paths = (res.body.errors as { path: string }[]).map((e) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['email', 'password', 'name']));
    expect(JSON.stringify(res.body.errors)).toMatch(/admin/);
  });
});

describe('login', () => {
  it('signs in with the right password', async () => {
    const account = await registerThroughApi(api);
    const res = await post('/auth/login', { email: account.email, password: account.password });
    expect(res.status).toBe(200);
    expect(res.body.user.id).toBe(account.user.id);
    expect(refreshCookieOf(res.headers)).toBeDefined();
    expect((await api.call('GET', '/api/v1/me', { token: res.body.accessToken })).status).toBe(200);
  });

  it('answers a wrong password and an unknown email identically, in comparable time', async () => {
    const account = await registerThroughApi(api);
    const timed = async (body: unknown) => {
      const start = performance.now();
      const res = await post('/auth/login', body);
      return { res, ms: performance.now() - start };
    };
    // Warm the dummy hash first so one-off set-up cost is not measured; the best of three damps scheduling noise.
    await timed({ email: 'warm@example.com', password: 'whatever-1' });
    type Timed = Awaited<ReturnType<typeof timed>>;
    const runs: { wrong: Timed; unknown: Timed }[] = [];
    for (let i = 0; i < 3; i++) {
      runs.push({
        wrong: await timed({ email: account.email, password: 'not the password' }),
        unknown: await timed({ email: 'nobody-here@example.com', password: 'not the password' }),
      });
    }
    const { wrong, unknown } = runs[0]!;
    expect(wrong.res.status).toBe(401);
    expect(unknown.res.status).toBe(401);
    expect(unknown.res.body).toEqual(wrong.res.body);
    const fastest = (kind: 'wrong' | 'unknown') => Math.min(...runs.map((run) => run[kind].ms));
    // Both pay for one argon2 verification; an unknown email must not be several times faster.
    expect(fastest('unknown')).toBeGreaterThan(fastest('wrong') / 4);
  });

  it('rate-limits failures per account with 429 and Retry-After, and the right password then waits too', async () => {
    const account = await registerThroughApi(api);
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) {
      statuses.push((await post('/auth/login', { email: account.email, password: `wrong-${i}` })).status);
    }
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(401));
    expect(statuses[10]).toBe(429);
    const blocked = await post('/auth/login', { email: account.email, password: account.password });
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(blocked.body.title).toBe('Too Many Requests');
  }, 60_000);
});

describe('refresh rotation', () => {
  it('rotates the cookie; reusing an old one revokes the whole family', async () => {
    const account = await registerThroughApi(api);
    const first = await post('/auth/refresh', undefined, account.refresh);
    expect(first.status).toBe(200);
    expect(first.body.accessToken).toEqual(expect.any(String));
    const second = refreshCookieOf(first.headers)!;
    expect(second).not.toBe(account.refresh);

    const next = await post('/auth/refresh', undefined, second);
    expect(next.status).toBe(200);
    const third = refreshCookieOf(next.headers)!;

    // The stolen first token comes back: 401, and even the newest legitimate token is dead now.
    const reuse = await post('/auth/refresh', undefined, account.refresh);
    expect(reuse.status).toBe(401);
    expect((await post('/auth/refresh', undefined, third)).status).toBe(401);
    const family = await RefreshToken.findAll({ where: { userId: account.user.id } });
    expect(family.every((t) => t.revokedAt !== null)).toBe(true);
    expect(family.every((t) => !t.tokenHash.includes(account.refresh))).toBe(true);
  });

  it('only one of two concurrent uses of the same token wins', async () => {
    const account = await registerThroughApi(api);
    const results = await Promise.all([
      post('/auth/refresh', undefined, account.refresh),
      post('/auth/refresh', undefined, account.refresh),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 401]);
  });

  it('answers 401 without or with a garbage cookie', async () => {
    expect((await post('/auth/refresh')).status).toBe(401);
    expect((await post('/auth/refresh', undefined, 'garbage')).status).toBe(401);
  });

  it('logout revokes the family and clears the cookie', async () => {
    const account = await registerThroughApi(api);
    const out = await post('/auth/logout', undefined, account.refresh);
    expect(out.status).toBe(204);
    expect(out.headers.getSetCookie().join()).toMatch(/taskstack_refresh=;/);
    expect((await post('/auth/refresh', undefined, account.refresh)).status).toBe(401);
    expect((await post('/auth/logout')).status).toBe(204);
  });
});

describe('password reset', () => {
  it('emails a single-use link, changes the password and ends every session', async () => {
    const account = await registerThroughApi(api);
    const other = await post('/auth/login', { email: account.email, password: account.password });
    const res = await post('/auth/password/forgot', { email: account.email });
    expect(res.status).toBe(202);
    const job = await eventually(async () =>
      (await api.context.emails.queue.getJobs(['waiting'])).find(
        (j) => j.name === 'password-reset' && j.data.to === account.email,
      ),
    );
    expect(job.id).not.toMatch(/:/);
    const url = new URL(job.data.resetUrl as string);
    expect(`${url.origin}${url.pathname}`).toBe('https://tasks.example.com/reset-password');
    const token = url.searchParams.get('token')!;

    expect((await post('/auth/password/reset', { token, password: 'brand new password' })).status).toBe(204);
    expect((await post('/auth/password/reset', { token, password: 'again new password' })).status).toBe(400);
    expect((await post('/auth/refresh', undefined, account.refresh)).status).toBe(401);
    expect((await post('/auth/refresh', undefined, refreshCookieOf(other.headers))).status).toBe(401);
    expect((await post('/auth/login', { email: account.email, password: account.password })).status).toBe(
      401,
    );
    expect((await post('/auth/login', { email: account.email, password: 'brand new password' })).status).toBe(
      200,
    );
  });

  it('a token used twice at once works only once', async () => {
    const account = await registerThroughApi(api);
    await post('/auth/password/forgot', { email: account.email });
    const job = await eventually(async () =>
      (await api.context.emails.queue.getJobs(['waiting'])).find(
        (j) => j.name === 'password-reset' && j.data.to === account.email,
      ),
    );
    const token = new URL(job.data.resetUrl as string).searchParams.get('token')!;
    const results = await Promise.all([
      post('/auth/password/reset', { token, password: 'first new password' }),
      post('/auth/password/reset', { token, password: 'second new password' }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([204, 400]);
  });

  it('answers 202 for unknown emails too, and enqueues nothing', async () => {
    const res = await post('/auth/password/forgot', { email: 'ghost@example.com' });
    expect(res.status).toBe(202);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const jobs = await api.context.emails.queue.getJobs(['waiting']);
    expect(jobs.some((j) => j.data.to === 'ghost@example.com')).toBe(false);
  });

  it('refuses an unknown token with 400', async () => {
    const res = await post('/auth/password/reset', { token: 'nope', password: 'whatever long' });
    expect(res.status).toBe(400);
  });

  it('rate-limits forgot-password per account', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      statuses.push((await post('/auth/password/forgot', { email: 'limited@example.com' })).status);
    }
    expect(statuses).toEqual([202, 202, 202, 429]);
  });
});

describe('/me', () => {
  it('requires a valid token', async () => {
    expect((await api.call('GET', '/api/v1/me')).status).toBe(401);
    expect((await api.call('GET', '/api/v1/me', { token: 'x.y.z' })).status).toBe(401);
  });

  it('refuses expired and tampered tokens, also after the genuine one was accepted', async () => {
    const account = await registerThroughApi(api);
    expect((await api.call('GET', '/api/v1/me', { token: account.token })).status).toBe(200);
    const [header, payload, signature] = account.token.split('.') as [string, string, string];
    const flipped = `${signature.slice(0, -2)}${signature.endsWith('AA') ? 'BB' : 'AA'}`;
    expect((await api.call('GET', '/api/v1/me', { token: `${header}.${payload}.${flipped}` })).status).toBe(
      401,
    );
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
    const forged = Buffer.from(JSON.stringify({ ...claims, sub: randomUUID() })).toString('base64url');
    expect((await api.call('GET', '/api/v1/me', { token: `${header}.${forged}.${signature}` })).status).toBe(
      401,
    );
    const expired = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(account.user.id)
      .setAudience('taskstack')
      .setIssuedAt(Math.floor(Date.now() / 1000) - 3600)
      .setExpirationTime(Math.floor(Date.now() / 1000) - 60)
      .sign(new TextEncoder().encode(api.config.JWT_SECRET));
    expect((await api.call('GET', '/api/v1/me', { token: expired })).status).toBe(401);
  });
});
