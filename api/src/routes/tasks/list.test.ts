import { Task } from '@taskstack/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildLabel, buildProject, createTask } from '../../../test/board-factories.js';
import { buildMember, buildUser, buildWorkspace } from '../../../test/factories.js';
import { startTestApi, type TestApi } from '../../../test/harness.js';

let api: TestApi;
let workspace: { id: string };
let project: { id: string };
let token: string;
let assignee: { id: string };

type Item = { id: string; title: string; status: string; position: string; [k: string]: unknown };

beforeAll(async () => {
  api = await startTestApi();
  workspace = await buildWorkspace(await buildUser());
  project = await buildProject(workspace);
  const member = await buildMember(api, workspace, 'member');
  token = member.token;
  assignee = member.user;
});
afterAll(() => api.close());

const list = (query: string, projectId = project.id) =>
  api.call('GET', `/api/v1/projects/${projectId}/tasks?${query}`, { token });

/** Follows `nextCursor` to the end, returning every item in order. */
async function all(query: string, projectId = project.id): Promise<Item[]> {
  const items: Item[] = [];
  let cursor: string | null = null;
  for (let pages = 0; pages < 100; pages++) {
    const res = await list(`${query}${cursor ? `&cursor=${cursor}` : ''}`, projectId);
    expect(res.status).toBe(200);
    items.push(...res.body.items);
    cursor = res.body.nextCursor;
    if (!cursor) return items;
  }
  throw new Error('pagination did not end');
}

describe('listing tasks', () => {
  it('filters by status, assignee, label and due date, and searches title and description', async () => {
    const p = await buildProject(workspace);
    const bug = await buildLabel(workspace);
    const a = await createTask(api, token, p, { title: 'Fix login redirect', labelIds: [bug.id] });
    const b = await createTask(api, token, p, {
      title: 'Write docs',
      description: 'Explain the login flow',
      assigneeId: assignee.id,
      dueAt: '2030-01-01T00:00:00Z',
    });
    const c = await createTask(api, token, p, {
      title: 'Release',
      status: 'done',
      dueAt: '2031-01-01T00:00:00Z',
    });
    const ids = async (query: string) => (await all(query, p.id)).map((t) => t.id);
    expect(await ids('')).toEqual([a.id, b.id, c.id]);
    expect(await ids('status=done')).toEqual([c.id]);
    expect(await ids(`assigneeId=${assignee.id}`)).toEqual([b.id]);
    expect(await ids(`labelId=${bug.id}`)).toEqual([a.id]);
    expect(await ids('dueBefore=2030-06-01T00:00:00Z')).toEqual([b.id]);
    expect(await ids('q=login')).toEqual([a.id, b.id]);
    expect(await ids('q=flow')).toEqual([b.id]);
    expect(await ids('q=LOG')).toEqual([a.id, b.id]);
    expect(await ids('q=login%20docs')).toEqual([b.id]);
    expect(await ids('q=nothing-like-this')).toEqual([]);
    expect(await ids(`q=${encodeURIComponent("'&|!:*()")}`)).toEqual([]);
    const labelled = (await list('', p.id)).body.items[0];
    expect(labelled.labelIds).toEqual([bug.id]);
  });

  it('sorts by due date (none last), creation (newest first) and priority (most urgent first)', async () => {
    const p = await buildProject(workspace);
    const late = await createTask(api, token, p, { dueAt: '2030-05-01T00:00:00Z', priority: 'low' });
    const none = await createTask(api, token, p, { priority: 'urgent' });
    const soon = await createTask(api, token, p, { dueAt: '2030-01-01T00:00:00Z', priority: 'medium' });
    const ids = async (query: string) => (await all(query, p.id)).map((t) => t.id);
    expect(await ids('sort=dueAt&limit=1')).toEqual([soon.id, late.id, none.id]);
    expect(await ids('sort=createdAt&limit=1')).toEqual([soon.id, none.id, late.id]);
    expect(await ids('sort=priority&limit=2')).toEqual([none.id, soon.id, late.id]);
  });

  it('pages through many rows under every sort with no duplicates and no gaps', async () => {
    const p = await buildProject(workspace);
    const statuses = ['backlog', 'todo', 'in_progress', 'done'] as const;
    const priorities = ['none', 'low', 'medium', 'high', 'urgent'] as const;
    // Bulk rows with equal sort values (same created_at, due dates, priorities) stress the id tie-breaker.
    const createdAt = new Date('2026-01-01T00:00:00.123456Z');
    await Task.bulkCreate(
      Array.from({ length: 230 }, (_, i) => ({
        workspaceId: workspace.id,
        projectId: p.id,
        number: i + 1,
        title: `Bulk ${i}`,
        status: statuses[i % 4],
        priority: priorities[i % 5],
        position: `a${String(i).padStart(4, '0')}`,
        dueAt: i % 3 === 0 ? null : new Date(Date.UTC(2030, 0, 1 + (i % 7))),
        createdAt,
        updatedAt: createdAt,
      })),
    );
    for (const sort of ['position', 'dueAt', 'createdAt', 'priority']) {
      const items = await all(`sort=${sort}&limit=17`, p.id);
      expect(items.length, sort).toBe(230);
      expect(new Set(items.map((t) => t.id)).size, sort).toBe(230);
    }
    const filtered = await all('sort=position&limit=9&status=in_progress', p.id);
    expect(filtered.length).toBe(230 / 4 - 0.5);
    const byPosition = await all('sort=position&limit=50', p.id);
    const keys = byPosition.map((t) => `${statuses.indexOf(t.status as never)}|${t.position}`);
    expect(keys).toEqual([...keys].sort());
  });

  it('answers 400 for a malformed cursor, bad limits, bad filters and unknown parameters', async () => {
    for (const query of [
      'cursor=garbage',
      `cursor=${Buffer.from('["x"]').toString('base64url')}`,
      `cursor=${Buffer.from('["todo","a0","not-a-uuid"]').toString('base64url')}`,
      'limit=0',
      'limit=101',
      'status=started',
      'sort=title',
      'dueBefore=tomorrow',
      'colour=red',
    ]) {
      const res = await list(query);
      expect(res.status, query).toBe(400);
      expect(res.headers.get('content-type'), query).toMatch(/problem\+json/);
    }
  });
});
