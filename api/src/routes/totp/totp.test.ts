import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildProject } from '../../../test/board-factories.js';
import { signInAsInstanceAdmin } from '../../../test/admins.js';
import { addMember, buildWorkspace } from '../../../test/factories.js';
import { startTestApi, type TestApi } from '../../../test/harness.js';
import { refreshCookieOf, registerThroughApi } from '../../../test/sessions.js';
import { codeOf, twoFactorClient } from '../../../test/two-factor.js';

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(() => api.close());

const { enrolled, login, challengeOf, secondStep } = twoFactorClient(() => api);

describe('enrolment', () => {
  it('gives a QR code once, confirms with a code, then shows ten recovery codes and never the secret again', async () => {
    const account = await registerThroughApi(api);
    const token = account.token;
    expect((await api.call('GET', '/api/v1/me/totp', { token })).body).toEqual({
      enabled: false,
      recoveryCodesLeft: 0,
      passwordRequired: true,
    });
    const started = await api.call('POST', '/api/v1/me/totp', { token });
    expect(started.status).toBe(201);
    const { secret, otpauthUri, qrCode } = started.body;
    expect(otpauthUri).toMatch(/^otpauth:\/\/totp\/taskstack:.+\?.*secret=[A-Z2-7]+/);
    expect(otpauthUri).toContain(`secret=${secret}`);
    expect(Buffer.from(qrCode.replace('data:image/svg+xml;base64,', ''), 'base64').toString()).toMatch(
      /^<svg/,
    );

    // Sealed in the database: neither the base32 secret nor anything decodable as it.
    const stored = await api.context.sql.query(`SELECT secret_encrypted FROM user_totp WHERE user_id = $1`, [
      account.user.id,
    ]);
    expect(stored.rows[0]!.secret_encrypted).toMatch(/^enc:v1:/);
    expect(stored.rows[0]!.secret_encrypted).not.toContain(secret);

    const wrong = await api.call('POST', '/api/v1/me/totp/confirm', { token, body: { code: '000000' } });
    expect(wrong.status).toBe(400);
    expect((await login(account)).status).toBe(200); // not on until confirmed

    const confirmed = await api.call('POST', '/api/v1/me/totp/confirm', {
      token,
      body: { code: codeOf(secret) },
    });
    expect(confirmed.status).toBe(200);
    const codes = confirmed.body.recoveryCodes as string[];
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    for (const code of codes) expect(code).toMatch(/^[a-z2-9]{5}-[a-z2-9]{5}$/);
    const hashes = await api.context.sql.query(
      `SELECT code_hash FROM totp_recovery_codes WHERE user_id = $1`,
      [account.user.id],
    );
    expect(hashes.rows).toHaveLength(10);
    expect(JSON.stringify(hashes.rows)).not.toContain(codes[0]);

    expect((await api.call('GET', '/api/v1/me/totp', { token })).body).toEqual({
      enabled: true,
      recoveryCodesLeft: 10,
      passwordRequired: true,
    });
    const again = await api.call('POST', '/api/v1/me/totp', { token });
    expect(again.status).toBe(409);
    expect(JSON.stringify(again.body)).not.toContain(secret);
    const reconfirm = await api.call('POST', '/api/v1/me/totp/confirm', {
      token,
      body: { code: codeOf(secret, 1) },
    });
    expect(reconfirm.status).toBe(409);
  });

  it('refuses bad input with 400 problems', async () => {
    const { token } = await registerThroughApi(api);
    for (const body of [{}, { code: '12' }, { code: 123456 }, { code: '123456', extra: 1 }]) {
      const res = await api.call('POST', '/api/v1/me/totp/confirm', { token, body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
    }
  });
});

describe('sign-in with two-factor', () => {
  it('answers a challenge instead of a session, and a code turns it into one', async () => {
    const account = await enrolled();
    const challenge = await challengeOf(account);
    expect((await secondStep(challenge, '000000')).status).toBe(401);
    const res = await secondStep(challenge, codeOf(account.secret));
    expect(res.status).toBe(200);
    expect(res.body.user.id).toBe(account.user.id);
    expect(refreshCookieOf(res.headers)).toBeTruthy();
    const me = await api.call('GET', '/api/v1/me', { token: res.body.accessToken });
    expect(me.status).toBe(200);
    // One challenge gives one session.
    expect((await secondStep(challenge, codeOf(account.secret, 1))).status).toBe(401);
    expect((await secondStep('made-up', codeOf(account.secret, 1))).status).toBe(401);
  });

  it('accepts each code once: the same code on a fresh challenge is refused', async () => {
    const account = await enrolled();
    const code = codeOf(account.secret);
    expect((await secondStep(await challengeOf(account), code)).status).toBe(200);
    const replay = await secondStep(await challengeOf(account), code);
    expect(replay.status).toBe(401);
    expect(replay.headers.get('content-type')).toMatch(/application\/problem\+json/);
    // An earlier step than the newest used is refused too; the next one works.
    expect((await secondStep(await challengeOf(account), codeOf(account.secret, -1))).status).toBe(401);
    expect((await secondStep(await challengeOf(account), codeOf(account.secret, 1))).status).toBe(200);
  });

  it('spends a recovery code on use, in any case and with or without its dash', async () => {
    const account = await enrolled();
    const [first] = account.recoveryCodes as [string];
    const typed = first.toUpperCase().replace('-', '');
    expect((await secondStep(await challengeOf(account), typed)).status).toBe(200);
    expect((await secondStep(await challengeOf(account), first)).status).toBe(401);
    const status = await api.call('GET', '/api/v1/me/totp', { token: account.token });
    expect(status.body.recoveryCodesLeft).toBe(9);
  });

  it('limits codes per account: past ten wrong ones, even a right code waits with 429', async () => {
    const account = await enrolled();
    const challenge = await challengeOf(account);
    for (let i = 0; i < 10; i++) expect((await secondStep(challenge, '000000')).status).toBe(401);
    const limited = await secondStep(challenge, codeOf(account.secret));
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    // A fresh challenge from the same password is no way around it.
    expect((await secondStep(await challengeOf(account), codeOf(account.secret))).status).toBe(429);
  });

  it('refuses bad input with 400 problems', async () => {
    for (const body of [
      {},
      { challenge: 'x' },
      { challenge: '', code: '123456' },
      { challenge: 'x', code: 1 },
    ]) {
      const res = await api.call('POST', '/api/v1/auth/totp', { body });
      expect(res.status, JSON.stringify(body)).toBe(400);
    }
  });
});

describe('disabling', () => {
  it('needs the password and a code, then sign-in is one step again', async () => {
    const account = await enrolled();
    const disable = (body: Record<string, string>) =>
      api.call('POST', '/api/v1/me/totp/disable', { token: account.token, body });
    expect((await disable({ password: 'wrong password', code: codeOf(account.secret) })).status).toBe(400);
    expect((await disable({ code: codeOf(account.secret) })).status).toBe(400);
    expect((await disable({ password: account.password, code: '000000' })).status).toBe(400);
    expect((await disable({ password: account.password, code: codeOf(account.secret) })).status).toBe(204);
    expect((await login(account)).status).toBe(200);
    const rows = await api.context.sql.query(`SELECT 1 FROM totp_recovery_codes WHERE user_id = $1`, [
      account.user.id,
    ]);
    expect(rows.rows).toEqual([]);
  });

  it('takes a code alone from an account made by single sign-on, which has no password to give', async () => {
    const account = await enrolled();
    // What an OIDC sign-in that provisions an account stores (NO_PASSWORD).
    await api.context.sql.query(`UPDATE users SET password_hash = '!' WHERE id = $1`, [account.user.id]);
    const status = await api.call('GET', '/api/v1/me/totp', { token: account.token });
    expect(status.body).toMatchObject({ enabled: true, passwordRequired: false });
    const disable = (body: Record<string, string>) =>
      api.call('POST', '/api/v1/me/totp/disable', { token: account.token, body });
    expect((await disable({ code: '000000' })).status).toBe(400);
    expect((await disable({ code: codeOf(account.secret) })).status).toBe(204);
    expect((await api.call('GET', '/api/v1/me/totp', { token: account.token })).body).toMatchObject({
      enabled: false,
    });
  });
});

describe('workspace requirement', () => {
  it('403s members without two-factor on the workspace routes until they enrol', async () => {
    const owner = await enrolled();
    const workspace = await buildWorkspace(owner.user);
    const project = await buildProject(workspace);
    const member = await registerThroughApi(api);
    await addMember(workspace, member.user, 'member');
    const bystander = await registerThroughApi(api);

    // Only the owner, and only with two-factor of their own.
    const set = (token: string, requireTotp: boolean) =>
      api.call('PATCH', `/api/v1/workspaces/${workspace.id}/security`, { token, body: { requireTotp } });
    expect((await set(member.token, true)).status).toBe(403);
    const plainOwner = await registerThroughApi(api);
    const plainWorkspace = await buildWorkspace(plainOwner.user);
    const refused = await api.call('PATCH', `/api/v1/workspaces/${plainWorkspace.id}/security`, {
      token: plainOwner.token,
      body: { requireTotp: true },
    });
    expect(refused.status).toBe(409);
    const saved = await set(owner.token, true);
    expect(saved.status).toBe(200);
    expect(saved.body.requireTotp).toBe(true);

    for (const path of [`/workspaces/${workspace.id}`, `/projects/${project.id}/tasks`]) {
      const res = await api.call('GET', `/api/v1${path}`, { token: member.token });
      expect(res.status, path).toBe(403);
      expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
      expect(res.body.type).toBe('urn:taskstack:problem:totp-enrolment-required');
      expect((await api.call('GET', `/api/v1${path}`, { token: owner.token })).status, path).toBe(200);
    }
    // Outsiders still learn nothing; the list still shows the workspace, flagged, so the UI can lead to enrolment.
    expect(
      (await api.call('GET', `/api/v1/workspaces/${workspace.id}`, { token: bystander.token })).status,
    ).toBe(404);
    const list = await api.call('GET', '/api/v1/workspaces', { token: member.token });
    expect(list.body).toEqual([expect.objectContaining({ id: workspace.id, requireTotp: true })]);

    // The owner cannot switch their own two-factor off while they require it.
    const ownerOff = await api.call('POST', '/api/v1/me/totp/disable', {
      token: owner.token,
      body: { password: owner.password, code: codeOf(owner.secret) },
    });
    expect(ownerOff.status).toBe(409);

    const started = await api.call('POST', '/api/v1/me/totp', { token: member.token });
    await api.call('POST', '/api/v1/me/totp/confirm', {
      token: member.token,
      body: { code: codeOf(started.body.secret) },
    });
    expect(
      (await api.call('GET', `/api/v1/workspaces/${workspace.id}`, { token: member.token })).status,
    ).toBe(200);
  });
});

describe('lost device', () => {
  it('lets an instance admin reset a user, who then signs in with the password alone', async () => {
    const account = await enrolled();
    const admin = await signInAsInstanceAdmin(api);
    const path = `/api/v1/admin/users/${account.user.id}/totp-reset`;
    expect((await api.call('POST', path, { token: account.token })).status).toBe(403);
    const twoFactorOf = async () => {
      const users = await api.call('GET', '/api/v1/admin/users?limit=100', { token: admin.token });
      return users.body.items.find((u: { id: string }) => u.id === account.user.id)?.twoFactor;
    };
    expect(await twoFactorOf()).toBe(true);
    expect((await api.call('POST', path, { token: admin.token })).status).toBe(204);
    expect(await twoFactorOf()).toBe(false);
    expect((await login(account)).status).toBe(200);
    expect((await api.call('POST', path, { token: admin.token })).status).toBe(404);
  });
});
