import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildProject, createTask } from '../../../test/board-factories.js';
import { addMember, buildUser, buildWorkspace, tokenFor } from '../../../test/factories.js';
import { startTestApi, type TestApi } from '../../../test/harness.js';
import { openEventStream } from '../../../test/sse-client.js';

let api: TestApi;
let owner: { id: string };
let session: string;
let workspaceA: { id: string };
let workspaceB: { id: string };
let projectA: { id: string };
let projectB: { id: string };

beforeAll(async () => {
  api = await startTestApi();
  owner = await buildUser();
  session = await tokenFor(api, owner);
  // The owner is in both workspaces: a token for A must still get nothing in B.
  workspaceA = await buildWorkspace(owner);
  workspaceB = await buildWorkspace(owner);
  projectA = await buildProject(workspaceA);
  projectB = await buildProject(workspaceB);
});
afterAll(() => api.close());

async function issue(body: Record<string, unknown>, token = session) {
  return api.call('POST', '/api/v1/me/tokens', {
    token,
    body: { name: 'script', scope: 'write', expiresInDays: 30, workspaceId: workspaceA.id, ...body },
  });
}
async function secret(body: Record<string, unknown> = {}, token = session): Promise<string> {
  const res = await issue(body, token);
  expect(res.status).toBe(201);
  return res.body.token as string;
}

describe('personal API tokens', () => {
  it('shows the secret once, stores only its hash, and lists tokens without secrets', async () => {
    const created = await issue({ name: 'CI import', scope: 'read', expiresInDays: 365 });
    expect(created.status).toBe(201);
    const { token, apiToken } = created.body;
    expect(token).toMatch(/^tsk_[A-Za-z0-9_-]{43}$/);
    expect(apiToken).toMatchObject({
      name: 'CI import',
      scope: 'read',
      workspaceId: workspaceA.id,
      hint: token.slice(0, 8),
      lastUsedAt: null,
    });
    expect(Date.parse(apiToken.expiresAt) - Date.now()).toBeGreaterThan(364 * 24 * 3600_000);

    const rows = await api.context.sql.query(`SELECT token_hash FROM api_tokens WHERE id = $1`, [
      apiToken.id,
    ]);
    expect(rows.rows[0]!.token_hash).toBe(createHash('sha256').update(token).digest('hex'));

    const listed = await api.call('GET', '/api/v1/me/tokens', { token: session });
    expect(listed.status).toBe(200);
    const mine = listed.body.items.find((t: { id: string }) => t.id === apiToken.id);
    expect(mine).toMatchObject({ name: 'CI import', workspaceName: expect.any(String) });
    expect(JSON.stringify(listed.body)).not.toContain(token);
  });

  it('refuses bad input with 400 problems and workspaces the caller is not in with 404', async () => {
    for (const body of [
      { expiresInDays: 366 },
      { expiresInDays: 0 },
      { expiresInDays: 1.5 },
      { scope: 'admin' },
      { name: '  ' },
      { name: 'x'.repeat(101) },
      { workspaceId: 'not-a-uuid' },
      { extra: true },
    ]) {
      const res = await issue(body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
    }
    const stranger = await buildWorkspace(await buildUser());
    expect((await issue({ workspaceId: stranger.id })).status).toBe(404);
    expect((await api.call('POST', '/api/v1/me/tokens', { body: {} })).status).toBe(401);
  });

  it('acts as its owner in its workspace, and gets nothing in another one of theirs', async () => {
    const token = await secret();
    const created = await api.call('POST', `/api/v1/projects/${projectA.id}/tasks`, {
      token,
      body: { title: 'From a script' },
    });
    expect(created.status).toBe(201);
    expect(created.body.createdBy).toBe(owner.id);
    expect((await api.call('GET', `/api/v1/tasks/${created.body.id}`, { token })).status).toBe(200);
    expect((await api.call('GET', `/api/v1/workspaces/${workspaceA.id}/projects`, { token })).status).toBe(
      200,
    );

    const taskB = await createTask(api, session, projectB);
    for (const [method, path, body] of [
      ['GET', `/api/v1/projects/${projectB.id}/tasks`],
      ['POST', `/api/v1/projects/${projectB.id}/tasks`, { title: 'Sneaky' }],
      ['GET', `/api/v1/tasks/${taskB.id}`],
      ['PATCH', `/api/v1/tasks/${taskB.id}`, { title: 'Sneaky' }],
      ['DELETE', `/api/v1/tasks/${taskB.id}`],
      ['GET', `/api/v1/workspaces/${workspaceB.id}/labels`],
      ['POST', `/api/v1/tasks/${taskB.id}/comments`, { body: 'Sneaky' }],
    ] as const) {
      const res = await api.call(method, path, { token, body });
      expect(res.status, `${method} ${path}`).toBe(404);
    }
    expect((await api.call('GET', `/api/v1/tasks/${taskB.id}`, { token: session })).body.title).toBe(
      taskB.title,
    );
  });

  it('with read scope reads but refuses every write with 403', async () => {
    const token = await secret({ scope: 'read' });
    const task = await createTask(api, session, projectA);
    expect((await api.call('GET', `/api/v1/projects/${projectA.id}/tasks`, { token })).status).toBe(200);
    for (const [method, path, body] of [
      ['POST', `/api/v1/projects/${projectA.id}/tasks`, { title: 'No' }],
      ['PATCH', `/api/v1/tasks/${task.id}`, { title: 'No' }],
      ['POST', `/api/v1/tasks/${task.id}/move`, { status: 'done' }],
      ['DELETE', `/api/v1/tasks/${task.id}`],
    ] as const) {
      const res = await api.call(method, path, { token, body });
      expect(res.status, `${method} ${path}`).toBe(403);
      expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
    }
    expect((await api.call('GET', `/api/v1/tasks/${task.id}`, { token: session })).body.title).toBe(
      task.title,
    );
  });

  it('never grants more than the role: a viewer’s write token cannot write', async () => {
    const viewer = await buildUser();
    await addMember(workspaceA, viewer, 'viewer');
    const token = await secret({}, await tokenFor(api, viewer));
    expect((await api.call('GET', `/api/v1/projects/${projectA.id}/tasks`, { token })).status).toBe(200);
    const res = await api.call('POST', `/api/v1/projects/${projectA.id}/tasks`, {
      token,
      body: { title: 'No' },
    });
    expect(res.status).toBe(403);
  });

  it('cannot reach the account: no new tokens, no /me, no workspaces, members, invitations or admin', async () => {
    const token = await secret();
    for (const [method, path, body] of [
      [
        'POST',
        '/api/v1/me/tokens',
        { name: 'more', scope: 'write', expiresInDays: 1, workspaceId: workspaceA.id },
      ],
      ['GET', '/api/v1/me/tokens'],
      ['GET', '/api/v1/me'],
      ['GET', '/api/v1/workspaces'],
      ['POST', '/api/v1/workspaces', { name: 'Mine now' }],
      ['GET', `/api/v1/workspaces/${workspaceA.id}/members`],
      ['POST', `/api/v1/workspaces/${workspaceA.id}/invitations`, { email: 'x@example.com', role: 'admin' }],
      ['GET', '/api/v1/admin/users'],
    ] as const) {
      const res = await api.call(method, path, { token, body });
      expect([401, 403], `${method} ${path} answered ${res.status}`).toContain(res.status);
      expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
    }
    const listed = await api.call('GET', '/api/v1/me/tokens', { token: session });
    expect(listed.body.items.some((t: { name: string }) => t.name === 'more')).toBe(false);
  });

  it('stops working at once when revoked or expired; unknown tokens are 401', async () => {
    const created = await issue({});
    const { token, apiToken } = created.body;
    const path = `/api/v1/projects/${projectA.id}/tasks`;
    expect((await api.call('GET', path, { token })).status).toBe(200);
    const used = await api.call('GET', '/api/v1/me/tokens', { token: session });
    expect(used.body.items.find((t: { id: string }) => t.id === apiToken.id).lastUsedAt).not.toBeNull();

    const stranger = await tokenFor(api, await buildUser());
    expect((await api.call('DELETE', `/api/v1/me/tokens/${apiToken.id}`, { token: stranger })).status).toBe(
      404,
    );
    expect((await api.call('GET', path, { token })).status).toBe(200);

    expect((await api.call('DELETE', `/api/v1/me/tokens/${apiToken.id}`, { token: session })).status).toBe(
      204,
    );
    expect((await api.call('GET', path, { token })).status).toBe(401);
    expect((await api.call('DELETE', `/api/v1/me/tokens/${apiToken.id}`, { token: session })).status).toBe(
      404,
    );
    const listed = await api.call('GET', '/api/v1/me/tokens', { token: session });
    expect(listed.body.items.some((t: { id: string }) => t.id === apiToken.id)).toBe(false);

    const expiring = await issue({});
    await api.context.sql.query(
      `UPDATE api_tokens SET expires_at = now() - interval '1 second' WHERE id = $1`,
      [expiring.body.apiToken.id],
    );
    expect((await api.call('GET', path, { token: expiring.body.token })).status).toBe(401);
    expect((await api.call('GET', path, { token: `tsk_${'A'.repeat(43)}` })).status).toBe(401);
  });

  it('opens event streams from the Authorization header only, never from the URL', async () => {
    const token = await secret({ scope: 'read' });
    const url = `${api.url}/api/v1/events?workspaceId=${workspaceA.id}`;
    const viaHeader = await openEventStream(url, { authorization: `Bearer ${token}` });
    expect(viaHeader.status).toBe(200);
    viaHeader.close();
    const viaQuery = await openEventStream(`${url}&access_token=${token}`);
    expect(viaQuery.status).toBe(401);
    viaQuery.close();
    const other = await openEventStream(`${api.url}/api/v1/events?workspaceId=${workspaceB.id}`, {
      authorization: `Bearer ${token}`,
    });
    expect(other.status).toBe(404);
    other.close();
  });

  it('is a security scheme of the OpenAPI document, listed on the board operations only', async () => {
    type Doc = {
      components: { securitySchemes: Record<string, { type: string; scheme: string }> };
      paths: Record<string, Record<string, { security: Record<string, unknown>[] }>>;
    };
    const doc = (await api.call('GET', '/api/v1/openapi.json')).body as Doc;
    expect(doc.components.securitySchemes.apiToken).toMatchObject({ type: 'http', scheme: 'bearer' });
    const schemes = (path: string, method: string) =>
      doc.paths[path]![method]!.security.flatMap((requirement) => Object.keys(requirement));
    expect(schemes('/tasks/{id}', 'patch')).toEqual(['bearer', 'apiToken']);
    expect(schemes('/projects/{id}/tasks', 'get')).toEqual(['bearer', 'apiToken']);
    expect(schemes('/me/tokens', 'post')).toEqual(['bearer']);
    expect(schemes('/me', 'get')).toEqual(['bearer']);
  });
});
