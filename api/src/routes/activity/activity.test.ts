import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildProject, createTask } from '../../../test/board-factories.js';
import { buildMember, buildUser, buildWorkspace, tokenFor } from '../../../test/factories.js';
import { startTestApi, type Response, type TestApi } from '../../../test/harness.js';

let api: TestApi;
let workspace: { id: string };
let member: { user: { id: string }; token: string };
let viewer: string;

beforeAll(async () => {
  api = await startTestApi();
  workspace = await buildWorkspace(await buildUser());
  member = await buildMember(api, workspace, 'member');
  viewer = (await buildMember(api, workspace, 'viewer')).token;
});
afterAll(() => api.close());

type Event = { id: string; verb: string; actorId: string; subject: { type: string; id: string }; data: any }; // eslint-disable-line @typescript-eslint/no-explicit-any

async function history(projectId: string, limit: number): Promise<Event[]> {
  const events: Event[] = [];
  let cursor: string | null = null;
  do {
    const res: Response = await api.call(
      'GET',
      `/api/v1/projects/${projectId}/activity?limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`,
      { token: viewer },
    );
    expect(res.status).toBe(200);
    events.push(...res.body.items);
    cursor = res.body.nextCursor;
  } while (cursor);
  return events;
}

describe('project activity', () => {
  it('lists every task and comment change, newest first, with what changed', async () => {
    const project = await buildProject(workspace);
    const task = await createTask(api, member.token, project, { title: 'A' });
    const token = member.token;
    await api.call('PATCH', `/api/v1/tasks/${task.id}`, { token, body: { title: 'B' } });
    await api.call('POST', `/api/v1/tasks/${task.id}/move`, { token, body: { status: 'done' } });
    await api.call('POST', `/api/v1/tasks/${task.id}/comments`, { token, body: { body: 'done!' } });
    await api.call('DELETE', `/api/v1/tasks/${task.id}`, { token });

    const events = await history(project.id, 2);
    expect(events.map((e) => e.verb)).toEqual([
      'task.deleted',
      'comment.created',
      'task.moved',
      'task.updated',
      'task.created',
    ]);
    expect(new Set(events.map((e) => e.id)).size).toBe(5);
    expect(events.every((e) => e.actorId === member.user.id)).toBe(true);
    expect(events[4]!.subject).toEqual({ type: 'task', id: task.id });
    expect(events[3]!.data).toEqual({ changes: { title: { from: 'A', to: 'B' } } });
    expect(events[2]!.data).toMatchObject({ from: { status: 'todo' }, to: { status: 'done' } });
    expect(events[0]!.data).toEqual({ number: task.number, title: 'B' });
  });

  it('is hidden from other workspaces and rejects malformed cursors', async () => {
    const project = await buildProject(workspace);
    const outsider = await tokenFor(api, await buildUser());
    expect(
      (await api.call('GET', `/api/v1/projects/${project.id}/activity`, { token: outsider })).status,
    ).toBe(404);
    expect(
      (await api.call('GET', `/api/v1/projects/${project.id}/activity?cursor=%%%`, { token: viewer })).status,
    ).toBe(400);
    expect(
      (await api.call('GET', `/api/v1/projects/${project.id}/activity?limit=500`, { token: viewer })).status,
    ).toBe(400);
  });
});
