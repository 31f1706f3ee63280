import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildProject } from '../../../test/board-factories.js';
import { buildMember, buildUser, buildWorkspace, tokenFor } from '../../../test/factories.js';
import { startTestApi, type TestApi } from '../../../test/harness.js';
import { MAX_VIEWS_PER_PROJECT } from './router.js';

let api: TestApi;
let project: { id: string };
let owner: string;
let admin: string;
let member: string;
let viewer: string;
let outsider: string;
let memberId: string;
let workspace: { id: string };

beforeAll(async () => {
  api = await startTestApi();
  const founder = await buildUser();
  workspace = await buildWorkspace(founder);
  project = await buildProject(workspace);
  owner = await tokenFor(api, founder);
  admin = (await buildMember(api, workspace, 'admin')).token;
  const m = await buildMember(api, workspace, 'member');
  member = m.token;
  memberId = m.user.id;
  viewer = (await buildMember(api, workspace, 'viewer')).token;
  outsider = await tokenFor(api, await buildUser());
});
afterAll(() => api.close());

const save = (token: string, body: unknown) =>
  api.call('POST', `/api/v1/projects/${project.id}/views`, { token, body });
const names = async (token: string) =>
  ((await api.call('GET', `/api/v1/projects/${project.id}/views`, { token })).body as { name: string }[]).map(
    (v) => v.name,
  );

describe('saved views', () => {
  it('keeps a personal view for its owner alone, and a shared one for everyone in the project', async () => {
    const mine = await save(member, {
      name: 'My open bugs',
      view: 'list',
      filters: { status: 'todo', assignee: memberId, q: 'crash', sort: 'dueAt' },
    });
    expect(mine).toMatchObject({
      status: 201,
      body: {
        name: 'My open bugs',
        view: 'list',
        shared: false,
        mine: true,
        filters: { status: 'todo', assignee: memberId, q: 'crash', sort: 'dueAt' },
      },
    });
    const shared = await save(member, {
      name: 'Due this week',
      view: 'board',
      filters: { due: 'week' },
      shared: true,
    });
    expect(shared.status).toBe(201);
    expect(await names(member)).toEqual(['Due this week', 'My open bugs']);
    expect(await names(viewer)).toEqual(['Due this week']);
    const seen = (await api.call('GET', `/api/v1/projects/${project.id}/views`, { token: viewer })).body;
    expect(seen[0]).toMatchObject({ mine: false, shared: true });
    // Another's personal view does not exist for them.
    const other = await api.call('PATCH', `/api/v1/views/${mine.body.id}`, {
      token: admin,
      body: { name: 'x' },
    });
    expect(other.status).toBe(404);
    expect((await api.call('GET', `/api/v1/projects/${project.id}/views`, { token: outsider })).status).toBe(
      404,
    );
  });

  it('lets the owner change and delete it, and admins a shared one; members and viewers only their own', async () => {
    const shared = await save(member, { name: 'Team board', view: 'board', shared: true });
    const patch = (token: string, body: unknown) =>
      api.call('PATCH', `/api/v1/views/${shared.body.id}`, { token, body });
    expect(await patch(member, { filters: { label: undefined, status: 'done' } })).toMatchObject({
      status: 200,
      body: { filters: { status: 'done' } },
    });
    expect((await patch(viewer, { name: 'Mine now' })).status).toBe(403);
    expect(await patch(admin, { name: 'Team board (done)' })).toMatchObject({
      status: 200,
      body: { name: 'Team board (done)', ownerId: shared.body.ownerId },
    });
    expect((await api.call('DELETE', `/api/v1/views/${shared.body.id}`, { token: viewer })).status).toBe(403);
    expect((await api.call('DELETE', `/api/v1/views/${shared.body.id}`, { token: owner })).status).toBe(204);
    expect(await names(member)).not.toContain('Team board (done)');
  });

  it('lets viewers keep views for themselves but not share them', async () => {
    expect((await save(viewer, { name: 'Mine', view: 'list' })).status).toBe(201);
    const sharing = await save(viewer, { name: 'For all', view: 'list', shared: true });
    expect(sharing.status).toBe(403);
    expect(sharing.headers.get('content-type')).toMatch(/problem\+json/);
  });

  it('refuses unknown filter keys, bad values and a name the person already uses, storing nothing', async () => {
    const before = await names(member);
    for (const filters of [
      { evil: 'x' },
      { status: 'nope' },
      { assignee: 'not-a-uuid' },
      { sort: 'random' },
    ]) {
      const res = await save(member, { name: 'Bad', view: 'list', filters });
      expect(res.status, JSON.stringify(filters)).toBe(400);
      expect(res.headers.get('content-type')).toMatch(/problem\+json/);
    }
    expect((await save(member, { name: 'Bad', view: 'gantt' })).status).toBe(400);
    expect((await save(member, { name: 'Dup', view: 'list' })).status).toBe(201);
    const dup = await save(member, { name: 'DUP', view: 'board' });
    expect(dup).toMatchObject({
      status: 409,
      body: { detail: expect.stringMatching(/already have a view/) },
    });
    const after = await names(member);
    expect(after).toHaveLength(before.length + 1);
    expect(after).toContain('Dup');
  });

  it(`caps each person at ${MAX_VIEWS_PER_PROJECT} views per project`, async () => {
    const { token } = await buildMember(api, workspace, 'member');
    for (let i = 0; i < MAX_VIEWS_PER_PROJECT; i += 1) {
      expect((await save(token, { name: `View ${i}`, view: 'list' })).status).toBe(201);
    }
    expect((await save(token, { name: 'One more', view: 'list' })).status).toBe(409);
  });
});
