import { ActivityEvent, Comment } from '@taskstack/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildProject, createTask } from '../../../test/board-factories.js';
import { buildMember, buildUser, buildWorkspace, tokenFor } from '../../../test/factories.js';
import { startTestApi, type Response, type TestApi } from '../../../test/harness.js';

let api: TestApi;
let task: { id: string };
let workspace: { id: string };
let author: { user: { id: string }; token: string };
let otherMember: string;
let admin: string;
let viewer: string;
let outsider: string;

beforeAll(async () => {
  api = await startTestApi();
  workspace = await buildWorkspace(await buildUser());
  const project = await buildProject(workspace);
  author = await buildMember(api, workspace, 'member');
  otherMember = (await buildMember(api, workspace, 'member')).token;
  admin = (await buildMember(api, workspace, 'admin')).token;
  viewer = (await buildMember(api, workspace, 'viewer')).token;
  outsider = await tokenFor(api, await buildUser());
  task = await createTask(api, author.token, project);
});
afterAll(() => api.close());

const comment = (token: string, body: unknown, taskId = task.id) =>
  api.call('POST', `/api/v1/tasks/${taskId}/comments`, { token, body });

describe('comments', () => {
  it('members comment, everyone in the workspace reads, and the activity records it', async () => {
    const res = await comment(author.token, { body: ' Looks good ' });
    expect(res).toMatchObject({
      status: 201,
      body: { taskId: task.id, authorId: author.user.id, body: 'Looks good' },
    });
    const list = await api.call('GET', `/api/v1/tasks/${task.id}/comments`, { token: viewer });
    expect(list.status).toBe(200);
    expect(list.body.items.map((c: { id: string }) => c.id)).toContain(res.body.id);
    const activity = await ActivityEvent.findOne({ where: { subjectId: res.body.id } });
    expect(activity).toMatchObject({
      verb: 'comment.created',
      data: { taskId: task.id, excerpt: 'Looks good' },
    });
  });

  it('refuses a NUL character with a 400 naming the field, and stores nothing', async () => {
    const before = await Comment.count({ where: { taskId: task.id } });
    const res = await comment(author.token, { body: 'a\u0000b' });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ path: 'body', message: 'must not contain NUL characters' }]);
    expect(await Comment.count({ where: { taskId: task.id } })).toBe(before);
  });

  it('refuses a lone surrogate with a 400, and cuts the activity excerpt between code points', async () => {
    const lone = await comment(author.token, { body: 'broken \ud83d text' });
    expect(lone.status).toBe(400);
    expect(lone.body.errors).toEqual([{ path: 'body', message: 'must not contain lone surrogates' }]);
    // 143 code points: a cut at 139 UTF-16 units would halve the first emoji.
    const body = `${'a'.repeat(138)}${'😀'.repeat(5)}`;
    const res = await comment(author.token, { body });
    expect(res.status).toBe(201);
    const event = await ActivityEvent.findOne({ where: { subjectId: res.body.id } });
    expect((event!.data as { excerpt: string }).excerpt).toBe(`${'a'.repeat(138)}😀…`);
  });

  it('pages through comments oldest first without duplicates or gaps', async () => {
    const fresh = await createTask(api, author.token, await buildProject(workspace));
    const at = new Date('2026-02-02T00:00:00Z');
    await Comment.bulkCreate(
      Array.from({ length: 45 }, (_, i) => ({
        taskId: fresh.id,
        authorId: author.user.id,
        body: `c${i}`,
        createdAt: at,
      })),
    );
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: Response = await api.call(
        'GET',
        `/api/v1/tasks/${fresh.id}/comments?limit=7${cursor ? `&cursor=${cursor}` : ''}`,
        { token: viewer },
      );
      expect(res.status).toBe(200);
      seen.push(...res.body.items.map((c: { id: string }) => c.id));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(seen.length).toBe(45);
    expect(new Set(seen).size).toBe(45);
    expect(
      (await api.call('GET', `/api/v1/tasks/${fresh.id}/comments?cursor=abc`, { token: viewer })).status,
    ).toBe(400);
  });

  it('lets only the author edit; the author or an admin delete', async () => {
    const { body: mine } = await comment(author.token, { body: 'typo' });
    const path = `/api/v1/comments/${mine.id}`;
    expect((await api.call('PATCH', path, { token: otherMember, body: { body: 'x' } })).status).toBe(403);
    expect((await api.call('PATCH', path, { token: admin, body: { body: 'x' } })).status).toBe(403);
    const edited = await api.call('PATCH', path, { token: author.token, body: { body: 'fixed' } });
    expect(edited).toMatchObject({ status: 200, body: { body: 'fixed' } });
    expect((await api.call('DELETE', path, { token: otherMember })).status).toBe(403);
    expect((await api.call('DELETE', path, { token: viewer })).status).toBe(403);
    expect((await api.call('DELETE', path, { token: admin })).status).toBe(204);
    const { body: second } = await comment(author.token, { body: 'bye' });
    expect((await api.call('DELETE', `/api/v1/comments/${second.id}`, { token: author.token })).status).toBe(
      204,
    );
    expect(
      (await api.call('PATCH', `/api/v1/comments/${second.id}`, { token: author.token, body: { body: 'x' } }))
        .status,
    ).toBe(404);
  });

  it('validates bodies and hides other workspaces', async () => {
    expect((await comment(author.token, { body: '   ' })).status).toBe(400);
    expect((await comment(author.token, { body: 'x', pinned: true })).status).toBe(400);
    expect((await comment(viewer, { body: 'x' })).status).toBe(403);
    expect((await comment(outsider, { body: 'x' })).status).toBe(404);
    expect((await api.call('GET', `/api/v1/tasks/${task.id}/comments`, { token: outsider })).status).toBe(
      404,
    );
    const { body: mine } = await comment(author.token, { body: 'private' });
    expect((await api.call('DELETE', `/api/v1/comments/${mine.id}`, { token: outsider })).status).toBe(404);
  });
});
