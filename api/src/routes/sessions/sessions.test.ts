import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWorkspace } from '../../../test/factories.js';
import { startTestApi, type TestApi } from '../../../test/harness.js';
import { refreshCookieOf, registerThroughApi } from '../../../test/sessions.js';

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(() => api.close());

const firefox = 'Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0';
const phone = 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) Safari/604.1';

async function signIn(account: { email: string; password: string }, userAgent: string) {
  const res = await api.call('POST', '/api/v1/auth/login', {
    body: { email: account.email, password: account.password },
    headers: { 'user-agent': userAgent },
  });
  expect(res.status).toBe(200);
  return { token: res.body.accessToken as string, refresh: refreshCookieOf(res.headers)! };
}
const sessionsOf = async (token: string) =>
  (await api.call('GET', '/api/v1/me/sessions', { token })).body.items;

describe('sessions screen', () => {
  it('lists live sessions with device, address and last use, the current one marked', async () => {
    const account = await registerThroughApi(api);
    const laptop = await signIn(account, firefox);
    await signIn(account, phone);
    const listed = await api.call('GET', '/api/v1/me/sessions', { token: laptop.token });
    expect(listed.status).toBe(200);
    const items = listed.body.items as { userAgent: string; current: boolean; ipAddress: string }[];
    expect(items).toHaveLength(3); // registering signed in too
    expect(items.filter((s) => s.current).map((s) => s.userAgent)).toEqual([firefox]);
    expect(items.map((s) => s.userAgent)).toContain(phone);
    expect(items.every((s) => s.ipAddress.includes('127.0.0.1'))).toBe(true);

    // A refresh is a use: it moves the session up and notes the browser it came from.
    const before = items.find((s) => s.current) as unknown as { id: string; lastSeenAt: string };
    const refreshed = await api.call('POST', '/api/v1/auth/refresh', {
      headers: { cookie: `taskstack_refresh=${laptop.refresh}`, 'user-agent': `${firefox} updated` },
    });
    expect(refreshed.status).toBe(200);
    const after = await sessionsOf(refreshed.body.accessToken);
    expect(after[0]).toMatchObject({ id: before.id, current: true, userAgent: `${firefox} updated` });
    expect(Date.parse(after[0].lastSeenAt)).toBeGreaterThanOrEqual(Date.parse(before.lastSeenAt));
    expect(after).toHaveLength(3);
  });

  it('revoking a session ends its access token and refresh cookie at once; logout drops it from the list', async () => {
    const account = await registerThroughApi(api);
    const laptop = await signIn(account, firefox);
    const stolen = await signIn(account, phone);
    const target = (await sessionsOf(laptop.token)).find((s: { userAgent: string }) => s.userAgent === phone);

    expect((await api.call('GET', '/api/v1/me', { token: stolen.token })).status).toBe(200);
    const revoked = await api.call('DELETE', `/api/v1/me/sessions/${target.id}`, { token: laptop.token });
    expect(revoked.status).toBe(204);
    expect((await api.call('GET', '/api/v1/me', { token: stolen.token })).status).toBe(401);
    const refresh = await api.call('POST', '/api/v1/auth/refresh', {
      headers: { cookie: `taskstack_refresh=${stolen.refresh}` },
    });
    expect(refresh.status).toBe(401);
    expect((await api.call('GET', '/api/v1/me', { token: laptop.token })).status).toBe(200);
    expect((await sessionsOf(laptop.token)).map((s: { id: string }) => s.id)).not.toContain(target.id);
    expect(
      (await api.call('DELETE', `/api/v1/me/sessions/${target.id}`, { token: laptop.token })).status,
    ).toBe(404);

    await api.call('POST', '/api/v1/auth/logout', {
      headers: { cookie: `taskstack_refresh=${account.refresh}` },
    });
    expect(await sessionsOf(laptop.token)).toHaveLength(1);
  });

  it("cannot end someone else's session, and refuses bad ids and API tokens", async () => {
    const victim = await registerThroughApi(api);
    const victimSessions = await sessionsOf(victim.token);
    const attacker = await registerThroughApi(api);
    const res = await api.call('DELETE', `/api/v1/me/sessions/${victimSessions[0].id}`, {
      token: attacker.token,
    });
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect((await api.call('GET', '/api/v1/me', { token: victim.token })).status).toBe(200);
    expect((await api.call('DELETE', '/api/v1/me/sessions/nope', { token: attacker.token })).status).toBe(
      404,
    );
    expect((await api.call('GET', '/api/v1/me/sessions')).status).toBe(401);

    const workspace = await buildWorkspace(attacker.user);
    const created = await api.call('POST', '/api/v1/me/tokens', {
      token: attacker.token,
      body: { name: 'x', scope: 'write', expiresInDays: 1, workspaceId: workspace.id },
    });
    for (const method of ['GET', 'DELETE']) {
      const path = method === 'GET' ? '/api/v1/me/sessions' : `/api/v1/me/sessions/${victimSessions[0].id}`;
      expect((await api.call(method, path, { token: created.body.token })).status).toBe(403);
    }
  });
});
