import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildProject, createTask } from '../../../test/board-factories.js';
import { buildMember, buildUser, buildWorkspace } from '../../../test/factories.js';
import { startTestApi, type TestApi } from '../../../test/harness.js';
import { eventTiming } from '../../commands/calendar-feed/render-feed.js';

let api: TestApi;
let workspace: { id: string };
let project: { id: string };
let member: Awaited<ReturnType<typeof buildMember>>;

beforeAll(async () => {
  api = await startTestApi({ PUBLIC_URL: 'https://tasks.example.com' });
  workspace = await buildWorkspace(await buildUser());
  project = await buildProject(workspace, { name: 'Launch' });
  member = await buildMember(api, workspace, 'member');
});
afterAll(() => api.close());

const soon = (days: number, time = '10:00:00') =>
  new Date(Date.now() + days * 86400_000).toISOString().slice(0, 10) + `T${time}Z`;

/** Creates the member's feed (in UTC, so 23:59Z is a date-only due) and returns the path of its URL. */
async function newFeed(token = member.token) {
  const res = await api.call('POST', '/api/v1/me/calendar-feed', { token, body: { timeZone: 'UTC' } });
  expect(res.status).toBe(201);
  const url = new URL(res.body.url as string);
  expect(url.origin).toBe('https://tasks.example.com');
  return url.pathname;
}
const fetchFeed = (path: string) => api.call('GET', path);

describe('the due-date window of task lists', () => {
  it('lists the tasks due in [dueFrom, dueBefore) of a project and of "my tasks"', async () => {
    const p = await buildProject(workspace);
    const other = await buildProject(workspace);
    const inside = await createTask(api, member.token, p, {
      dueAt: '2031-03-10T12:00:00Z',
      assigneeId: member.user.id,
    });
    await createTask(api, member.token, p, { dueAt: '2031-04-01T00:00:00Z', assigneeId: member.user.id });
    await createTask(api, member.token, p, { dueAt: '2031-02-28T23:59:59Z' });
    const elsewhere = await createTask(api, member.token, other, {
      dueAt: '2031-03-01T00:00:00Z',
      assigneeId: member.user.id,
    });
    await createTask(api, member.token, other, { dueAt: '2031-03-02T00:00:00Z' }); // nobody's
    const window = 'dueFrom=2031-03-01T00:00:00Z&dueBefore=2031-04-01T00:00:00Z&sort=dueAt';
    const projectList = await api.call('GET', `/api/v1/projects/${p.id}/tasks?${window}`, {
      token: member.token,
    });
    expect(projectList.status).toBe(200);
    expect(projectList.body.items.map((t: { id: string }) => t.id)).toEqual([inside.id]);
    const mine = await api.call('GET', `/api/v1/workspaces/${workspace.id}/my-tasks?${window}`, {
      token: member.token,
    });
    expect(mine.status).toBe(200);
    expect(mine.body.items.map((t: { id: string }) => t.id)).toEqual([elsewhere.id, inside.id]);
  });

  it('refuses bad or reversed dates with a problem', async () => {
    for (const query of [
      'dueFrom=2031-13-01',
      'dueFrom=yesterday',
      'dueFrom=2031-03-02T00:00:00Z&dueBefore=2031-03-01T00:00:00Z',
    ]) {
      const res = await api.call('GET', `/api/v1/projects/${project.id}/tasks?${query}`, {
        token: member.token,
      });
      expect(res.status, query).toBe(400);
      expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
    }
    const mine = await api.call(
      'GET',
      `/api/v1/workspaces/${workspace.id}/my-tasks?assigneeId=${member.user.id}`,
      {
        token: member.token,
      },
    );
    expect(mine.status).toBe(400);
  });
});

describe('the iCal feed', () => {
  it('serves the open, dated tasks assigned to its owner as RFC 5545 text', async () => {
    const dateOnly = await createTask(api, member.token, project, {
      title: 'Ship, then; celebrate \\ rest',
      description: 'Line one\nLine two',
      dueAt: soon(3, '23:59:00'),
      assigneeId: member.user.id,
    });
    const timed = await createTask(api, member.token, project, {
      title: 'Call '.repeat(30),
      dueAt: soon(4),
      assigneeId: member.user.id,
    });
    const done = await createTask(api, member.token, project, {
      title: 'Already done',
      status: 'done',
      dueAt: soon(2),
      assigneeId: member.user.id,
    });
    const undated = await createTask(api, member.token, project, {
      assigneeId: member.user.id,
      title: 'Someday',
    });
    const res = await fetchFeed(await newFeed());
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/calendar/);
    expect(res.headers.get('cache-control')).toBe('private, max-age=300');
    const text = res.body as string;
    expect(text.startsWith('BEGIN:VCALENDAR\r\n')).toBe(true);
    expect(text.split('\r\n').every((line) => Buffer.byteLength(line) <= 75)).toBe(true);
    expect(text.replace(/\r\n/g, '')).not.toMatch(/\n/);
    const unfolded = text.replace(/\r\n[ \t]/g, '');
    expect(unfolded).toContain(`UID:${dateOnly.id}@taskstack`);
    expect(unfolded).toContain(`DTSTART;VALUE=DATE:${soon(3).slice(0, 10).replace(/-/g, '')}`);
    expect(unfolded).toContain(`SUMMARY:Ship\\, then\\; celebrate \\\\ rest (#${dateOnly.number})`);
    expect(unfolded).toContain(`https://tasks.example.com/tasks/${dateOnly.id}\\n\\nLine one\\nLine two`);
    expect(unfolded).toContain(`UID:${timed.id}@taskstack`);
    expect(unfolded).toContain(`DTSTART:${soon(4).replace(/[-:]/g, '').replace('.000', '')}`);
    expect(unfolded).not.toContain(done.id);
    expect(unfolded).not.toContain(undated.id);
  });

  it('stops at once when rotated or revoked, and a bad secret is a 404 alike', async () => {
    const first = await newFeed();
    const second = await newFeed();
    expect((await fetchFeed(first)).status).toBe(404);
    expect((await fetchFeed(second)).status).toBe(200);
    const state = await api.call('GET', '/api/v1/me/calendar-feed', { token: member.token });
    expect(state.body.feed).toMatchObject({ timeZone: 'UTC' });
    expect(JSON.stringify(state.body)).not.toContain(second.split('/').pop()!.replace('.ics', ''));
    expect((await api.call('DELETE', '/api/v1/me/calendar-feed', { token: member.token })).status).toBe(204);
    const revoked = await fetchFeed(second);
    expect(revoked.status).toBe(404);
    expect(revoked.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect((await api.call('DELETE', '/api/v1/me/calendar-feed', { token: member.token })).status).toBe(404);
    expect((await fetchFeed('/api/v1/calendar/not-a-token.ics')).status).toBe(404);
    const bad = await api.call('POST', '/api/v1/me/calendar-feed', {
      token: member.token,
      body: { timeZone: 'Mars/Olympus' },
    });
    expect(bad.status).toBe(400);
  });

  it("drops a workspace's tasks from the feed once its owner is removed from it", async () => {
    const admin = await buildMember(api, workspace, 'admin');
    const leaving = await buildMember(api, workspace, 'member');
    const task = await createTask(api, admin.token, project, { dueAt: soon(5), assigneeId: leaving.user.id });
    const path = await newFeed(leaving.token);
    expect((await fetchFeed(path)).body).toContain(task.id);
    const removed = await api.call(
      'DELETE',
      `/api/v1/workspaces/${workspace.id}/members/${leaving.user.id}`,
      {
        token: admin.token,
      },
    );
    expect(removed.status).toBe(204);
    const after = await fetchFeed(path);
    expect(after.status).toBe(200);
    expect(after.body).not.toContain(task.id);
  });

  it("makes 23:59 on the wall clock of the feed's zone an all-day date, and other times instants", () => {
    // 23:59 in New York on 3 March is 04:59 UTC on the 4th: still the 3rd for its owner.
    expect(eventTiming(new Date('2031-03-04T04:59:00Z'), 'America/New_York')).toEqual({
      start: new Date('2031-03-03T00:00:00Z'),
      allDay: true,
    });
    const at = new Date('2031-03-04T04:59:00Z');
    expect(eventTiming(at, 'UTC')).toEqual({ start: at, allDay: false });
  });
});
