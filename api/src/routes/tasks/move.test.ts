import { Task } from '@taskstack/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildProject, createTask } from '../../../test/board-factories.js';
import { buildMember, buildUser, buildWorkspace } from '../../../test/factories.js';
import { startTestApi, type TestApi } from '../../../test/harness.js';

let api: TestApi;
let workspace: { id: string };
let token: string;
let viewer: string;

beforeAll(async () => {
  api = await startTestApi();
  workspace = await buildWorkspace(await buildUser());
  token = (await buildMember(api, workspace, 'member')).token;
  viewer = (await buildMember(api, workspace, 'viewer')).token;
});
afterAll(() => api.close());

const move = (id: string, body: unknown, as = token) =>
  api.call('POST', `/api/v1/tasks/${id}/move`, { token: as, body });

/** The ids of a column in position order, straight from the database. */
async function column(projectId: string, status: string) {
  const tasks = await Task.findAll({ where: { projectId, status }, order: [['position', 'ASC']] });
  return tasks.map((t) => t.id);
}

describe('moving tasks', () => {
  it('places a task after beforeId, before afterId, or at the end, writing only that task', async () => {
    const p = await buildProject(workspace);
    const [a, b, c] = [
      await createTask(api, token, p),
      await createTask(api, token, p),
      await createTask(api, token, p),
    ];
    const untouched = await Task.findByPk(b.id);
    const res = await move(c.id, { status: 'todo', beforeId: a.id });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: c.id, status: 'todo' });
    expect(await column(p.id, 'todo')).toEqual([a.id, c.id, b.id]);
    expect((await Task.findByPk(b.id))!.position).toBe(untouched!.position);

    await move(b.id, { status: 'todo', afterId: a.id });
    expect(await column(p.id, 'todo')).toEqual([b.id, a.id, c.id]);

    const across = await move(a.id, { status: 'done' });
    expect(across.body.status).toBe('done');
    expect(await column(p.id, 'todo')).toEqual([b.id, c.id]);
    expect(await column(p.id, 'done')).toEqual([a.id]);
    await move(c.id, { status: 'done', afterId: a.id });
    expect(await column(p.id, 'done')).toEqual([c.id, a.id]);
  });

  it('refuses neighbours from another project (400), in another column (409), or the task itself', async () => {
    const p = await buildProject(workspace);
    const q = await buildProject(workspace);
    const task = await createTask(api, token, p);
    const elsewhere = await createTask(api, token, q);
    const done = await createTask(api, token, p, { status: 'done' });
    expect((await move(task.id, { status: 'todo', beforeId: elsewhere.id })).status).toBe(400);
    expect((await move(task.id, { status: 'todo', beforeId: done.id })).status).toBe(409);
    expect((await move(task.id, { status: 'todo', afterId: task.id })).status).toBe(400);
    expect((await move(task.id, { status: 'doing' })).status).toBe(400);
    expect((await move(task.id, { status: 'todo', position: 'a0' })).status).toBe(400);
    expect((await move(task.id, { status: 'done' }, viewer)).status).toBe(403);
  });

  it('keeps a consistent, unique order when many moves hit the same column at once', async () => {
    const p = await buildProject(workspace);
    const anchor = await createTask(api, token, p, { status: 'in_progress' });
    const tasks = [];
    for (let i = 0; i < 24; i++)
      tasks.push(await createTask(api, token, p, { status: i % 2 ? 'todo' : 'backlog' }));
    const results = await Promise.all(
      tasks.map((task, i) =>
        move(
          task.id,
          i % 3 === 0
            ? { status: 'in_progress', beforeId: anchor.id }
            : i % 3 === 1
              ? { status: 'in_progress', afterId: anchor.id }
              : { status: 'in_progress' },
        ),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(tasks.map(() => 200));
    const rows = await Task.findAll({ where: { projectId: p.id, status: 'in_progress' } });
    expect(rows.length).toBe(25);
    const positions = rows.map((t) => t.position).sort();
    expect(new Set(positions).size).toBe(25);
    const ids = await column(p.id, 'in_progress');
    expect(new Set(ids)).toEqual(new Set([anchor.id, ...tasks.map((t) => t.id)]));
    // Tasks moved "before the anchor" sit above it, those moved after it or to the end sit below it.
    const at = ids.indexOf(anchor.id);
    tasks.forEach((task, i) => {
      const index = ids.indexOf(task.id);
      if (i % 3 === 1) expect(index).toBeLessThan(at);
      else expect(index).toBeGreaterThan(at);
    });
  });
});
