import { Secret, TOTP } from 'otpauth';
import { expect } from 'vitest';
import type { TestApi } from './harness.js';
import { registerThroughApi } from './sessions.js';

/** The code an authenticator app shows for `secret`, `steps` periods of 30 s from now (window ±1 accepts it). */
export const codeOf = (secret: string, steps = 0) =>
  new TOTP({ secret: Secret.fromBase32(secret) }).generate({ timestamp: Date.now() + steps * 30_000 });

/**
 * Two-factor sign-in through the API that `on()` returns (a function, as test files start theirs in beforeAll).
 */
export function twoFactorClient(on: () => TestApi) {
  /** A registered account with two-factor on: its confirming code used the previous step, so now and +1 are free. */
  async function enrolled() {
    const account = await registerThroughApi(on());
    const started = await on().call('POST', '/api/v1/me/totp', { token: account.token });
    expect(started.status).toBe(201);
    const { secret } = started.body as { secret: string };
    const confirmed = await on().call('POST', '/api/v1/me/totp/confirm', {
      token: account.token,
      body: { code: codeOf(secret, -1) },
    });
    expect(confirmed.status).toBe(200);
    return { ...account, secret, recoveryCodes: confirmed.body.recoveryCodes as string[] };
  }

  const login = (account: { email: string; password: string }) =>
    on().call('POST', '/api/v1/auth/login', { body: { email: account.email, password: account.password } });

  async function challengeOf(account: { email: string; password: string }): Promise<string> {
    const res = await login(account);
    expect(res.status).toBe(401);
    expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(res.body).toMatchObject({ type: 'urn:taskstack:problem:totp-required', expiresInSeconds: 300 });
    expect(res.headers.getSetCookie()).toEqual([]);
    return res.body.challenge as string;
  }

  const secondStep = (challenge: string, code: string) =>
    on().call('POST', '/api/v1/auth/totp', { body: { challenge, code } });

  return { enrolled, login, challengeOf, secondStep };
}
