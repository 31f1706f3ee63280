import { OidcTestProvider } from '@taskstack/devservices/oidc';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Secret, TOTP } from 'otpauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '@taskstack/config';
import { startTestApi, type TestApi } from '../../../test/harness.js';
import { refreshCookieOf, registerThroughApi } from '../../../test/sessions.js';
import { createInstanceAdmin } from '../../commands/create-instance-admin.js';
import { loadApiConfig } from '../../config.js';

// The provider sends browsers to the registered redirect URI under PUBLIC_URL; the tests carry them to the API's
// real address instead, so the API's port need not be known when the provider starts.
const PUBLIC_URL = 'https://tasks.example.com';
const CLIENT = { clientId: 'taskstack', clientSecret: randomBytes(24).toString('hex') };

let idp: OidcTestProvider;
let api: TestApi;
/** Auto-provisioning off, passwords off. */
let strict: TestApi;

const oidcEnv = (extra: Record<string, string> = {}) => ({
  PUBLIC_URL,
  OIDC_ISSUER: idp.issuer,
  OIDC_CLIENT_ID: CLIENT.clientId,
  OIDC_CLIENT_SECRET: CLIENT.clientSecret,
  OIDC_DISPLAY_NAME: 'Test IdP',
  ...extra,
});

beforeAll(async () => {
  idp = await OidcTestProvider.start({
    clients: [{ ...CLIENT, redirectUris: [`${PUBLIC_URL}/api/v1/auth/oidc/callback`] }],
  });
  api = await startTestApi(oidcEnv({ OIDC_AUTO_PROVISION: 'true' }));
  strict = await startTestApi(oidcEnv({ OIDC_ONLY: 'true' }));
});
afterAll(async () => {
  await api?.close();
  await strict?.close();
  await idp?.close();
});

let accounts = 0;
/** A new account at the provider, named by its `sub`. */
function providerAccount(claims: { email?: string; email_verified?: unknown; name?: string }): string {
  const sub = `sub-${++accounts}-${randomBytes(4).toString('hex')}`;
  idp.accounts.set(sub, claims);
  return sub;
}
const freshEmail = (label: string) => `${label}-${randomBytes(4).toString('hex')}@example.com`;

const cookieValue = (headers: Headers, name: string) =>
  headers
    .getSetCookie()
    .find((c) => c.startsWith(`${name}=`))
    ?.split(';')[0]!
    .slice(name.length + 1) || undefined;

/** `GET /auth/oidc/start` as the browser's navigation: where it is sent, and the cookie naming the flow. */
async function start(target: TestApi, redirect?: string) {
  const query = redirect === undefined ? '' : `?${new URLSearchParams({ redirect })}`;
  const res = await fetch(`${target.url}/api/v1/auth/oidc/start${query}`, { redirect: 'manual' });
  return {
    res,
    location: res.headers.get('location') ?? '',
    flow: cookieValue(res.headers, 'taskstack_oidc'),
  };
}

/** The browser arriving back at the callback (a URL under PUBLIC_URL) with the flow cookie it holds. */
async function callback(target: TestApi, url: URL, flow: string | undefined) {
  const res = await fetch(`${target.url}${url.pathname}${url.search}`, {
    redirect: 'manual',
    headers: flow ? { cookie: `taskstack_oidc=${flow}` } : {},
  });
  return {
    status: res.status,
    location: res.headers.get('location') ?? '',
    refresh: refreshCookieOf(res.headers),
  };
}

/** The whole dance: start, sign in at the provider as `sub`, come back. */
async function signIn(target: TestApi, sub: string, redirect?: string) {
  const started = await start(target, redirect);
  expect(started.res.status).toBe(302);
  const back = await idp.signIn(started.location, sub);
  return { ...(await callback(target, back, started.flow)), back, flow: started.flow };
}

/** Who a refresh cookie signs in as, through the same routes the web app uses after a reload. */
async function whoIs(target: TestApi, refresh: string) {
  const refreshed = await target.call('POST', '/api/v1/auth/refresh', {
    headers: { cookie: `taskstack_refresh=${refresh}` },
  });
  expect(refreshed.status).toBe(200);
  const me = await target.call('GET', '/api/v1/me', { token: refreshed.body.accessToken });
  expect(me.status).toBe(200);
  return me.body as {
    id: string;
    email: string;
    name: string;
    emailVerified: boolean;
    isInstanceAdmin: boolean;
  };
}

const identitiesOf = async (target: TestApi, userId: string) =>
  (await target.context.sql.query(`SELECT issuer, subject FROM oidc_identities WHERE user_id = $1`, [userId]))
    .rows;
const userCount = async (target: TestApi) =>
  Number((await target.context.sql.query(`SELECT count(*) AS n FROM users`)).rows[0]!.n);

describe('signing in with the provider', () => {
  it('sends the browser to the provider with state, nonce and an S256 PKCE challenge, and a Lax flow cookie', async () => {
    const { res, location } = await start(api);
    const url = new URL(location);
    expect(url.origin).toBe(idp.issuer);
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      client_id: CLIENT.clientId,
      response_type: 'code',
      redirect_uri: `${PUBLIC_URL}/api/v1/auth/oidc/callback`,
      scope: 'openid email profile',
      code_challenge_method: 'S256',
    });
    for (const param of ['state', 'nonce', 'code_challenge']) {
      expect(url.searchParams.get(param)).toMatch(/^[\w-]{40,}$/);
    }
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith('taskstack_oidc='))!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/Secure/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).toMatch(/Path=\/api\/v1\/auth\/oidc/);
  });

  it('provisions an unknown user with a verified address and gives them the same session as a password sign-in', async () => {
    const email = freshEmail('new');
    const sub = providerAccount({ email, email_verified: true, name: 'New Person' });
    const before = await userCount(api);
    const first = await signIn(api, sub);
    expect(first.status).toBe(302);
    expect(first.location).toBe('/');
    const me = await whoIs(api, first.refresh!);
    expect(me).toMatchObject({ email, name: 'New Person', emailVerified: true, isInstanceAdmin: false });
    expect(await identitiesOf(api, me.id)).toEqual([{ issuer: idp.issuer, subject: sub }]);
    // The next sign-in finds the same account through the link; no second one is made.
    const again = await signIn(api, sub, '/projects');
    expect(again.location).toBe('/projects');
    expect((await whoIs(api, again.refresh!)).id).toBe(me.id);
    expect(await userCount(api)).toBe(before + 1);
    // Nobody can sign in to it with a password: it has none.
    const login = await api.call('POST', '/api/v1/auth/login', { body: { email, password: '!' } });
    expect(login.status).toBe(401);
  });

  it('links an existing account by a verified address and confirms that address', async () => {
    const account = await registerThroughApi(api);
    const sub = providerAccount({ email: account.email.toUpperCase(), email_verified: true });
    const result = await signIn(api, sub);
    expect(result.location).toBe('/');
    const me = await whoIs(api, result.refresh!);
    expect(me.id).toBe(account.user.id);
    expect(me.emailVerified).toBe(true);
    expect(await identitiesOf(api, account.user.id)).toHaveLength(1);
    // The password keeps working beside it.
    const login = await api.call('POST', '/api/v1/auth/login', {
      body: { email: account.email, password: account.password },
    });
    expect(login.status).toBe(200);
  });

  it('never links or provisions by an address the provider has not verified', async () => {
    const account = await registerThroughApi(api);
    const before = await userCount(api);
    for (const email_verified of [false, 'true', undefined]) {
      const sub = providerAccount({ email: account.email, email_verified });
      const result = await signIn(api, sub);
      expect(result.location).toBe('/signin?oidc_error=unverified-email');
      expect(result.refresh).toBeUndefined();
    }
    const unknown = providerAccount({ email: freshEmail('unverified'), email_verified: false });
    expect((await signIn(api, unknown)).location).toBe('/signin?oidc_error=unverified-email');
    const noEmail = providerAccount({ name: 'No Address' });
    expect((await signIn(api, noEmail)).location).toBe('/signin?oidc_error=no-email');
    expect(await identitiesOf(api, account.user.id)).toEqual([]);
    expect(await userCount(api)).toBe(before);
  });

  it('sends an account with two-factor to its second step, which the code completes', async () => {
    const account = await registerThroughApi(api);
    const enrolment = await api.call('POST', '/api/v1/me/totp', { token: account.token });
    const totp = new TOTP({ secret: Secret.fromBase32(enrolment.body.secret as string) });
    const confirm = await api.call('POST', '/api/v1/me/totp/confirm', {
      token: account.token,
      body: { code: totp.generate({ timestamp: Date.now() - 30_000 }) },
    });
    expect(confirm.status).toBe(200);
    const sub = providerAccount({ email: account.email, email_verified: true });
    const result = await signIn(api, sub, '/inbox');
    expect(result.refresh).toBeUndefined();
    const [path, fragment] = result.location.split('#') as [string, string];
    expect(path).toBe('/signin?redirect=%2Finbox');
    const challenge = new URLSearchParams(fragment).get('totp')!;
    const second = await api.call('POST', '/api/v1/auth/totp', {
      body: { challenge, code: totp.generate() },
    });
    expect(second.status).toBe(200);
    expect(second.body.user.id).toBe(account.user.id);
  });
});

describe('refusing what is not a genuine, fresh sign-in of this browser', () => {
  it('refuses a callback whose state is not the flow’s', async () => {
    const sub = providerAccount({ email: freshEmail('state'), email_verified: true });
    const started = await start(api);
    const back = await idp.signIn(started.location, sub);
    back.searchParams.set('state', 'forged-state-value');
    const result = await callback(api, back, started.flow);
    expect(result.location).toBe('/signin?oidc_error=failed');
    expect(result.refresh).toBeUndefined();
  });

  it('refuses a code from another browser’s flow: its PKCE verifier does not match (code injection)', async () => {
    const sub = providerAccount({ email: freshEmail('pkce'), email_verified: true });
    const victim = await start(api);
    const stolen = await idp.signIn(victim.location, sub);
    // The attacker starts a flow of their own and presents the stolen code with their own state and cookie.
    const attacker = await start(api);
    const injected = new URL(stolen);
    injected.searchParams.set('state', new URL(attacker.location).searchParams.get('state')!);
    const result = await callback(api, injected, attacker.flow);
    expect(result.location).toBe('/signin?oidc_error=failed');
    expect(result.refresh).toBeUndefined();
  });

  it('refuses a callback without the flow cookie, and a replayed one after it was used', async () => {
    const sub = providerAccount({ email: freshEmail('replay'), email_verified: true });
    const started = await start(api);
    const back = await idp.signIn(started.location, sub);
    expect((await callback(api, back, undefined)).location).toBe('/signin?oidc_error=expired');
    const first = await callback(api, back, started.flow);
    expect(first.refresh).toBeDefined();
    const replay = await callback(api, back, started.flow);
    expect(replay.location).toBe('/signin?oidc_error=expired');
    expect(replay.refresh).toBeUndefined();
  });

  it('refuses an id_token whose payload was altered after signing', async () => {
    const victim = await registerThroughApi(api);
    const sub = providerAccount({ email: freshEmail('tamper'), email_verified: true });
    idp.tamperNextIdToken((token) => {
      const [header, payload, signature] = token.split('.') as [string, string, string];
      const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
      const forged = { ...claims, email: victim.email, email_verified: true };
      return [header, Buffer.from(JSON.stringify(forged)).toString('base64url'), signature].join('.');
    });
    const result = await signIn(api, sub);
    expect(result.location).toBe('/signin?oidc_error=failed');
    expect(result.refresh).toBeUndefined();
    expect(await identitiesOf(api, victim.user.id)).toEqual([]);
  });

  it('refuses a validly signed id_token for another audience, or with another nonce', async () => {
    for (const change of [
      (claims: Record<string, unknown>) => ({ ...claims, aud: 'another-client' }),
      (claims: Record<string, unknown>) => ({ ...claims, nonce: 'not-the-flows-nonce' }),
      (claims: Record<string, unknown>) => ({ ...claims, iss: 'https://evil.example.com' }),
      (claims: Record<string, unknown>) => ({ ...claims, exp: Math.floor(Date.now() / 1000) - 3600 }),
    ]) {
      const sub = providerAccount({ email: freshEmail('claims'), email_verified: true });
      idp.rewriteNextIdTokenClaims(change);
      const result = await signIn(api, sub);
      expect(result.location).toBe('/signin?oidc_error=failed');
      expect(result.refresh).toBeUndefined();
    }
    // The same re-signing with the claims untouched signs in: the refusals above are the claims' doing.
    const sub = providerAccount({ email: freshEmail('resigned'), email_verified: true });
    idp.rewriteNextIdTokenClaims((claims) => claims);
    expect((await signIn(api, sub)).location).toBe('/');
  });

  it('tells the person when they cancelled at the provider', async () => {
    const started = await start(api, '/inbox');
    const state = new URL(started.location).searchParams.get('state')!;
    const cancelled = new URL(`${PUBLIC_URL}/api/v1/auth/oidc/callback`);
    cancelled.search = new URLSearchParams({ error: 'access_denied', state, iss: idp.issuer }).toString();
    const result = await callback(api, cancelled, started.flow);
    expect(result.location).toBe('/signin?oidc_error=denied&redirect=%2Finbox');
  });

  it('keeps the return path inside the app', async () => {
    for (const redirect of ['//evil.example.com', '/\\evil.example.com', 'https://evil.example.com']) {
      const res = await api.call('GET', `/api/v1/auth/oidc/start?${new URLSearchParams({ redirect })}`);
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
    }
  });

  it('sends the browser back to sign-in when the provider cannot be reached', async () => {
    const down = await startTestApi(oidcEnv({ OIDC_ISSUER: 'http://127.0.0.1:9' }));
    try {
      const { res, location } = await start(down);
      expect(res.status).toBe(302);
      expect(location).toBe('/signin?oidc_error=unavailable');
    } finally {
      await down.close();
    }
  });
});

describe('without auto-provisioning, and with OIDC only', () => {
  it('refuses an unknown user with a clear reason, and makes no account', async () => {
    const before = await userCount(strict);
    const sub = providerAccount({ email: freshEmail('stranger'), email_verified: true });
    const result = await signIn(strict, sub, '/projects');
    expect(result.location).toBe('/signin?oidc_error=no-account&redirect=%2Fprojects');
    expect(await userCount(strict)).toBe(before);
  });

  it('lets the admin made by `npm run admin -- create` in through the provider, linked by address', async () => {
    const email = freshEmail('admin');
    const admin = await createInstanceAdmin(strict.context.sql, {
      email,
      name: 'Admin',
      password: 'long admin password',
    });
    const sub = providerAccount({ email, email_verified: true });
    const result = await signIn(strict, sub);
    expect(result.location).toBe('/');
    expect(await whoIs(strict, result.refresh!)).toMatchObject({ id: admin.id, isInstanceAdmin: true });
    // Their password does not get them in while passwords are off.
    const login = await strict.call('POST', '/api/v1/auth/login', {
      body: { email, password: 'long admin password' },
    });
    expect(login.status).toBe(403);
  });

  it('turns off sign-in, sign-up and reset by password with a problem naming the provider', async () => {
    const calls = [
      ['/auth/login', { email: 'a@example.com', password: 'whatever password' }],
      ['/auth/register', { email: 'b@example.com', password: 'long enough pw', name: 'B' }],
      ['/auth/password/forgot', { email: 'a@example.com' }],
      ['/auth/password/reset', { token: 'x', password: 'long enough pw' }],
    ] as const;
    for (const [path, body] of calls) {
      const res = await strict.call('POST', `/api/v1${path}`, { body });
      expect(res.status, path).toBe(403);
      expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
      expect(res.body).toMatchObject({
        type: 'urn:taskstack:problem:password-sign-in-disabled',
        detail: 'Sign in with Test IdP instead.',
      });
    }
    // Where passwords are on, the same routes work.
    const register = await api.call('POST', '/api/v1/auth/register', {
      body: { email: freshEmail('pw'), password: 'long enough pw', name: 'Pw' },
    });
    expect(register.status).toBe(201);
  });

  it('tells the sign-in page which ways in there are', async () => {
    expect((await strict.call('GET', '/api/v1/auth/methods')).body).toEqual({
      password: false,
      oidc: { displayName: 'Test IdP' },
    });
    expect((await api.call('GET', '/api/v1/auth/methods')).body).toEqual({
      password: true,
      oidc: { displayName: 'Test IdP' },
    });
  });
});

describe('without a provider', () => {
  it('answers 404 problems on the OIDC routes and lists passwords only', async () => {
    const plain = await startTestApi();
    try {
      expect((await plain.call('GET', '/api/v1/auth/methods')).body).toEqual({ password: true, oidc: null });
      for (const path of ['/auth/oidc/start', '/auth/oidc/callback?code=x&state=y']) {
        const res = await plain.call('GET', `/api/v1${path}`);
        expect(res.status).toBe(404);
        expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
      }
    } finally {
      await plain.close();
    }
  });
});

describe('configuration', () => {
  const base = {
    DATABASE_URL: 'postgres://localhost/x',
    REDIS_URL: 'redis://localhost',
    JWT_SECRET: 'x'.repeat(32),
    DATA_ENCRYPTION_KEY: randomBytes(32).toString('base64url'),
  };
  const problemsOf = (env: Record<string, string>) => {
    try {
      loadApiConfig({ ...base, ...env });
      return [];
    } catch (error) {
      return (error as ConfigError).problems;
    }
  };

  it('names each missing or bad OIDC setting on one line', () => {
    expect(problemsOf({ OIDC_ISSUER: 'https://id.example.com' })).toEqual([
      'OIDC_CLIENT_ID: is required when OIDC_ISSUER is set',
      'OIDC_CLIENT_SECRET: is required when OIDC_ISSUER is set (or OIDC_CLIENT_SECRET_FILE)',
    ]);
    expect(problemsOf({ OIDC_ONLY: 'true' })).toEqual([
      'OIDC_ONLY: needs OIDC_ISSUER (otherwise nobody could sign in)',
    ]);
    expect(
      problemsOf({ OIDC_ISSUER: 'http://id.example.com', OIDC_CLIENT_ID: 'a', OIDC_CLIENT_SECRET: 'b' }),
    ).toEqual(['OIDC_ISSUER: must be an https:// URL (http only for localhost)']);
    expect(problemsOf({ OIDC_AUTO_PROVISION: 'yes' })).toEqual([
      'OIDC_AUTO_PROVISION: must be true or false',
    ]);
  });

  it('reads the client secret from a Docker secret file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'taskstack-oidc-'));
    try {
      writeFileSync(join(dir, 'secret'), 's3cret\n');
      const config = loadApiConfig({
        ...base,
        OIDC_ISSUER: 'https://id.example.com/realms/team',
        OIDC_CLIENT_ID: 'taskstack',
        OIDC_CLIENT_SECRET_FILE: join(dir, 'secret'),
      });
      expect(config).toMatchObject({
        OIDC_CLIENT_SECRET: 's3cret',
        OIDC_AUTO_PROVISION: false,
        OIDC_ONLY: false,
        OIDC_DISPLAY_NAME: 'single sign-on',
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
