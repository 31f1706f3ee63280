import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildProject, createTask } from '../../../test/board-factories.js';
import { buildMember, buildUser, buildWorkspace, tokenFor } from '../../../test/factories.js';
import { startTestApi, type TestApi } from '../../../test/harness.js';
import { openEventStream } from '../../../test/sse-client.js';

let api: TestApi;
let workspace: { id: string };
let project: { id: string; name: string };
type Member = Awaited<ReturnType<typeof buildMember>>;
let author: Member;
let ann: Member;
let bob: Member;
let stranger: { user: { id: string; name: string }; token: string };

beforeAll(async () => {
  api = await startTestApi();
  workspace = await buildWorkspace(await buildUser());
  project = await buildProject(workspace, { name: 'Apollo' });
  author = await buildMember(api, workspace, 'member');
  ann = await buildMember(api, workspace, 'member');
  bob = await buildMember(api, workspace, 'viewer');
  const outsider = await buildUser();
  await buildWorkspace(outsider);
  stranger = { user: outsider, token: await tokenFor(api, outsider) };
});
afterAll(() => api.close());

const mention = (m: { user: { id: string; name: string } }) => `@[${m.user.name}](user:${m.user.id})`;
const inbox = async (m: { token: string }, query = '') =>
  (await api.call('GET', `/api/v1/workspaces/${workspace.id}/inbox${query}`, { token: m.token })).body;
const unread = async (m: { token: string }) =>
  (await api.call('GET', `/api/v1/workspaces/${workspace.id}/inbox/unread`, { token: m.token })).body.unread;
const comment = (m: { token: string }, taskId: string, body: string) =>
  api.call('POST', `/api/v1/tasks/${taskId}/comments`, { token: m.token, body: { body } });
const emailsTo = async (to: string, name: string) =>
  (await api.context.emails.queue.getJobs(['waiting', 'delayed', 'prioritized'])).filter(
    (job) => job.name === name && job.data.to === to,
  );

describe('mentions and the inbox', () => {
  it('a mention in a comment notifies the mentioned member only, never the actor or a non-member', async () => {
    // Ann created the task, so a comment on it concerns her too; Bob is mentioned; the author mentions themself.
    const task = await createTask(api, ann.token, project, { title: 'Launch' });
    const annBefore = await unread(ann);
    const bobBefore = await unread(bob);
    const res = await comment(
      author,
      task.id,
      `Ping ${mention(bob)} and ${mention(author)} and ${mention(stranger)}, see ${mention(bob)}`,
    );
    expect(res.status).toBe(201);
    const bobInbox = await inbox(bob);
    expect(bobInbox.items[0]).toMatchObject({
      kind: 'mentioned',
      read: false,
      task: { id: task.id, projectId: project.id, number: task.number, title: 'Launch' },
      actor: { id: author.user.id, name: author.user.name },
    });
    expect(bobInbox.items[0].excerpt).toBe(
      `Ping @${bob.user.name} and @${author.user.name} and @${stranger.user.name}, see @${bob.user.name}`,
    );
    expect(await unread(bob)).toBe(bobBefore + 1);
    expect((await inbox(ann)).items[0]).toMatchObject({ kind: 'commented', task: { id: task.id } });
    expect(await unread(ann)).toBe(annBefore + 1);
    expect(
      (await inbox(author)).items.filter((n: { task: { id: string } }) => n.task.id === task.id),
    ).toEqual([]);
    // The stranger has no inbox here, and none of their own workspace's either.
    expect((await inbox(stranger)).status).toBe(404);
    const theirs = await api.call('GET', `/api/v1/workspaces/${workspace.id}/inbox/unread`, {
      token: stranger.token,
    });
    expect(theirs.status).toBe(404);
  });

  it('notifies an assignee and whom a description newly mentions, and emails by preference', async () => {
    const task = await createTask(api, author.token, project, {
      title: 'Spec',
      description: `Draft by ${mention(ann)}`,
      assigneeId: bob.user.id,
    });
    expect((await inbox(bob)).items[0]).toMatchObject({ kind: 'assigned', task: { id: task.id } });
    expect((await inbox(ann)).items[0]).toMatchObject({ kind: 'mentioned', task: { id: task.id } });
    // Editing the description again with the same mention notifies nobody again.
    const annCount = await unread(ann);
    await api.call('PATCH', `/api/v1/tasks/${task.id}`, {
      token: author.token,
      body: { description: `Draft by ${mention(ann)}, reviewed` },
    });
    expect(await unread(ann)).toBe(annCount);
    const emails = (await emailsTo(ann.user.email, 'inbox-item')).filter((job) =>
      job.data.taskUrl.endsWith(task.id),
    );
    expect(emails.map((job) => job.data)).toMatchObject([
      {
        headline: `${author.user.name} mentioned you on Apollo #${task.number} Spec`,
        taskUrl: new URL(`/tasks/${task.id}`, api.config.PUBLIC_URL).toString(),
      },
    ]);
  });

  it('sends no email to a member whose preference is never, yet keeps the inbox item', async () => {
    const put = await api.call('PUT', '/api/v1/me/notification-preferences', {
      token: ann.token,
      body: { email: 'never' },
    });
    expect(put).toMatchObject({ status: 200, body: { email: 'never' } });
    expect((await api.call('GET', '/api/v1/me/notification-preferences', { token: ann.token })).body).toEqual(
      {
        email: 'never',
      },
    );
    const before = (await emailsTo(ann.user.email, 'inbox-item')).length;
    const task = await createTask(api, author.token, project, { assigneeId: ann.user.id });
    await comment(author, task.id, `Over to ${mention(ann)}`);
    expect((await inbox(ann)).items[0]).toMatchObject({ kind: 'mentioned', task: { id: task.id } });
    expect(await emailsTo(ann.user.email, 'inbox-item')).toHaveLength(before);
    expect(await emailsTo(ann.user.email, 'task-assigned')).toHaveLength(0);
    const bad = await api.call('PUT', '/api/v1/me/notification-preferences', {
      token: ann.token,
      body: { email: 'hourly' },
    });
    expect(bad.status).toBe(400);
    await api.call('PUT', '/api/v1/me/notification-preferences', {
      token: ann.token,
      body: { email: 'immediately' },
    });
  });

  it('marks one read and unread again, then all read; only its recipient may', async () => {
    const task = await createTask(api, author.token, project);
    await comment(author, task.id, `${mention(bob)} one`);
    await comment(author, task.id, `${mention(bob)} two`);
    const [item] = (await inbox(bob, '?unread=true&limit=1')).items;
    const before = await unread(bob);
    expect(before).toBeGreaterThanOrEqual(2);
    const path = `/api/v1/me/inbox/${item.id}`;
    expect((await api.call('PATCH', path, { token: ann.token, body: { read: true } })).status).toBe(404);
    expect((await api.call('PATCH', path, { token: stranger.token, body: { read: true } })).status).toBe(404);
    expect((await api.call('PATCH', path, { token: bob.token, body: { read: 'yes' } })).status).toBe(400);
    const read = await api.call('PATCH', path, { token: bob.token, body: { read: true } });
    expect(read).toMatchObject({ status: 200, body: { id: item.id, read: true } });
    expect(await unread(bob)).toBe(before - 1);
    expect((await inbox(bob, '?unread=true')).items.map((n: { id: string }) => n.id)).not.toContain(item.id);
    await api.call('PATCH', path, { token: bob.token, body: { read: false } });
    expect(await unread(bob)).toBe(before);
    const all = await api.call('POST', `/api/v1/workspaces/${workspace.id}/inbox/read`, { token: bob.token });
    expect(all).toMatchObject({ status: 200, body: { unread: 0 } });
    expect(await unread(bob)).toBe(0);
  });

  it('pages newest first without gaps or duplicates, and refuses a forged cursor', async () => {
    const task = await createTask(api, author.token, project);
    for (let i = 0; i < 5; i++) await comment(author, task.id, `${mention(bob)} page ${i}`);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: { id: string; excerpt: string }[]; nextCursor: string | null } = await inbox(
        bob,
        `?limit=2${cursor ? `&cursor=${cursor}` : ''}`,
      );
      seen.push(...page.items.map((n) => n.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(new Set(seen).size).toBe(seen.length);
    const all = (await inbox(bob, '?limit=100')).items.map((n: { id: string }) => n.id);
    expect(seen).toEqual(all);
    expect((await inbox(bob, '?limit=5')).items[0].excerpt).toBe(`@${bob.user.name} page 4`);
    expect(
      (await api.call('GET', `/api/v1/workspaces/${workspace.id}/inbox?cursor=abc`, { token: bob.token }))
        .status,
    ).toBe(400);
  });

  it('announces a new item live to its recipient only', async () => {
    const url = `${api.url}/api/v1/events?workspaceId=${workspace.id}`;
    const bobStream = await openEventStream(url, { authorization: `Bearer ${bob.token}` });
    const annStream = await openEventStream(url, { authorization: `Bearer ${ann.token}` });
    try {
      const task = await createTask(api, author.token, project);
      await comment(author, task.id, `${mention(bob)} live`);
      const event = await bobStream.next((e) => e.event === 'inbox.updated');
      const data = JSON.parse(event.data);
      expect(data).toMatchObject({
        userId: bob.user.id,
        unread: await unread(bob),
        notification: { kind: 'mentioned', task: { id: task.id } },
      });
      // Ann (a member) gets the comment itself, never Bob's inbox event.
      await annStream.next((e) => e.event === 'comment.created');
      await comment(author, task.id, 'a marker after');
      await annStream.next((e) => e.event === 'comment.created' && e.data.includes('a marker after'));
      expect(annStream.events.filter((e) => e.event === 'inbox.updated')).toEqual([]);
    } finally {
      bobStream.close();
      annStream.close();
    }
  });
});
