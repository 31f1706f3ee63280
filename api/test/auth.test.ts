import { RefreshToken, User } from '@taskstack/db';
import { SignJWT } from 'jose';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashOpaqueToken } from '../src/auth/opaque-token.js';
import { REFRESH_GRACE_MS } from '../src/commands/sessions.js';
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

/** Moves a refresh token's use back past the grace window, as if it had been used a while ago. */
const ageUse = (token: string) =>
  RefreshToken.update(
    { usedAt: new Date(Date.now() - REFRESH_GRACE_MS - 1000) },
    { where: { tokenHash: hashOpaqueToken(token) } },
  );

const emailJob = (id: string) => api.context.emails.queue.getJob(id);
/** The token of the confirmation link in an account's welcome email. */
const verifyTokenOf = async (userId: string) =>
  new URL((await emailJob(`welcome-${userId}`))!.data.verifyUrl as string).searchParams.get('token')!;

describe('register', () => {
  it('creates the account, signs in with a refresh cookie and enqueues a welcome; the first account is no admin', async () => {
    const res = await post('/auth/register', {
      email: 'First@Example.com',
      password: 'long enough pw',
      name: 'First',
    });
    expect(res.status).toBe(201);
    // A fresh install's first sign-up: admins are made deliberately (npm run admin -- create), not by being first.
    expect(res.body.user).toMatchObject({
      email: 'first@example.com',
      name: 'First',
      isInstanceAdmin: false,
    });
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
    expect(me.body).toMatchObject({ id: res.body.user.id, isInstanceAdmin: false });
    expect((await api.call('GET', '/api/v1/admin/users', { token: res.body.accessToken })).status).toBe(403);
  });

  it('later users are not instance admins unless listed in ADMIN_EMAILS and the address is confirmed', async () => {
    const plain = await registerThroughApi(api);
    expect(plain.user.isInstanceAdmin).toBe(false);
    const boss = await registerThroughApi(api, { email: 'boss@example.com' });
    const me = () => api.call('GET', '/api/v1/me', { token: boss.token });
    expect((await me()).body).toMatchObject({ isInstanceAdmin: false, emailVerified: false });
    expect((await post('/auth/email/verify', { token: await verifyTokenOf(boss.user.id) })).status).toBe(204);
    expect((await me()).body).toMatchObject({ isInstanceAdmin: true, emailVerified: true });
  });

  it('confirms an address only with a genuine link for the address the account still has', async () => {
    const account = await registerThroughApi(api);
    const token = await verifyTokenOf(account.user.id);
    const url = new URL((await emailJob(`welcome-${account.user.id}`))!.data.verifyUrl as string);
    expect(`${url.origin}${url.pathname}`).toBe('https://tasks.example.com/verify-email');
    const [header, payload, signature] = token.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
    const forged = Buffer.from(JSON.stringify({ ...claims, email: 'boss@example.com' })).toString(
      'base64url',
    );
    expect((await post('/auth/email/verify', { token: `${header}.${forged}.${signature}` })).status).toBe(
      400,
    );
    // An access token is no verification token, though signed with the same key.
    expect((await post('/auth/email/verify', { token: account.token })).status).toBe(400);
    await User.update({ email: 'moved@example.com' }, { where: { id: account.user.id } });
    expect((await post('/auth/email/verify', { token })).status).toBe(400);
    expect((await User.findByPk(account.user.id))!.emailVerifiedAt).toBeNull();
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

    // The stolen first token comes back after the grace window: 401, and even the newest legitimate token is dead.
    await ageUse(account.refresh);
    const reuse = await post('/auth/refresh', undefined, account.refresh);
    expect(reuse.status).toBe(401);
    expect((await post('/auth/refresh', undefined, third)).status).toBe(401);
    const family = await RefreshToken.findAll({ where: { userId: account.user.id } });
    expect(family.every((t) => t.revokedAt !== null)).toBe(true);
    expect(family.every((t) => !t.tokenHash.includes(account.refresh))).toBe(true);
  });

  it('two tabs refreshing with one cookie at the same moment both stay signed in, in the same session', async () => {
    const account = await registerThroughApi(api);
    const results = await Promise.all([
      post('/auth/refresh', undefined, account.refresh),
      post('/auth/refresh', undefined, account.refresh),
    ]);
    expect(results.map((r) => r.status)).toEqual([200, 200]);
    for (const result of results) {
      expect((await api.call('GET', '/api/v1/me', { token: result.body.accessToken })).status).toBe(200);
      expect((await post('/auth/refresh', undefined, refreshCookieOf(result.headers))).status).toBe(200);
    }
    const families = await RefreshToken.findAll({ where: { userId: account.user.id } });
    expect(new Set(families.map((t) => t.familyId)).size).toBe(1);
    // Logging out of that session ends both tabs.
    await post('/auth/logout', undefined, refreshCookieOf(results[0]!.headers));
    for (const result of results) {
      expect((await api.call('GET', '/api/v1/me', { token: result.body.accessToken })).status).toBe(401);
    }
  });

  it('answers 401 without or with a garbage cookie', async () => {
    expect((await post('/auth/refresh')).status).toBe(401);
    expect((await post('/auth/refresh', undefined, 'garbage')).status).toBe(401);
  });

  it('logout revokes the family, ends its access token at once and clears the cookie', async () => {
    const account = await registerThroughApi(api);
    const elsewhere = await post('/auth/login', { email: account.email, password: account.password });
    expect((await api.call('GET', '/api/v1/me', { token: account.token })).status).toBe(200);
    const out = await post('/auth/logout', undefined, account.refresh);
    expect(out.status).toBe(204);
    expect((await api.call('GET', '/api/v1/me', { token: account.token })).status).toBe(401);
    // Only that session ends: the same person signed in elsewhere stays signed in.
    expect((await api.call('GET', '/api/v1/me', { token: elsewhere.body.accessToken })).status).toBe(200);
    expect(out.headers.getSetCookie().join()).toMatch(/taskstack_refresh=;/);
    expect((await post('/auth/refresh', undefined, account.refresh)).status).toBe(401);
    expect((await post('/auth/logout')).status).toBe(204);
  });
});

describe('password reset', () => {
  it('emails a single-use link, changes the password and ends every session and API token', async () => {
    const account = await registerThroughApi(api);
    const other = await post('/auth/login', { email: account.email, password: account.password });
    const workspace = await api.call('POST', '/api/v1/workspaces', {
      token: account.token,
      body: { name: 'Mine' },
    });
    const issued = await api.call('POST', '/api/v1/me/tokens', {
      token: account.token,
      body: { name: 'script', scope: 'read', expiresInDays: 30, workspaceId: workspace.body.id },
    });
    const apiToken = issued.body.token as string;
    const workspacePath = `/api/v1/workspaces/${workspace.body.id}/projects`;
    expect((await api.call('GET', workspacePath, { token: apiToken })).status).toBe(200);
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
    for (const bearer of [account.token, other.body.accessToken as string]) {
      expect((await api.call('GET', '/api/v1/me', { token: bearer })).status).toBe(401);
    }
    expect((await api.call('GET', workspacePath, { token: apiToken })).status).toBe(401);
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
    const expired = await new SignJWT({ sid: randomUUID() })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(account.user.id)
      .setAudience('taskstack')
      .setIssuedAt(Math.floor(Date.now() / 1000) - 3600)
      .setExpirationTime(Math.floor(Date.now() / 1000) - 60)
      .sign(new TextEncoder().encode(api.config.JWT_SECRET));
    expect((await api.call('GET', '/api/v1/me', { token: expired })).status).toBe(401);
  });
});
