import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildProject, createTask } from '../../../test/board-factories.js';
import { buildMember, buildUser, buildWorkspace, tokenFor } from '../../../test/factories.js';
import { startTestApi, type TestApi } from '../../../test/harness.js';
import { openEventStream } from '../../../test/sse-client.js';
import { EventPublisher } from '@taskstack/queues';
import { redactLoggedRequest } from '../../middlewares/log-redaction.js';

let api: TestApi;
let closed = false;
let workspace: { id: string };
let project: { id: string };
let member: string;
let viewer: string;
let outsider: string;
let otherReplica: Redis;

beforeAll(async () => {
  api = await startTestApi();
  workspace = await buildWorkspace(await buildUser());
  project = await buildProject(workspace);
  member = (await buildMember(api, workspace, 'member')).token;
  viewer = (await buildMember(api, workspace, 'viewer')).token;
  outsider = await tokenFor(api, await buildUser());
  otherReplica = new Redis(process.env.TEST_REDIS_URL!);
});
afterAll(async () => {
  otherReplica.disconnect();
  if (!closed) await api.close();
});

const streamUrl = (query = `workspaceId=${workspace.id}`) => `${api.url}/api/v1/events?${query}`;
const open = (token = viewer, headers: Record<string, string> = {}) =>
  openEventStream(streamUrl(), { authorization: `Bearer ${token}`, ...headers });

describe('event stream', () => {
  it('delivers task events to members of the workspace as they happen', async () => {
    const stream = await open();
    try {
      expect(stream.status).toBe(200);
      expect(stream.headers['content-type']).toMatch(/text\/event-stream/);
      const task = await createTask(api, member, project, { title: 'Live' });
      const created = await stream.next((e) => e.event === 'task.created');
      expect(JSON.parse(created.data)).toMatchObject({
        projectId: project.id,
        task: { id: task.id, title: 'Live' },
      });
      expect(created.id).toMatch(/^\d+-\d+$/);
      await api.call('POST', `/api/v1/tasks/${task.id}/move`, { token: member, body: { status: 'done' } });
      await api.call('POST', `/api/v1/tasks/${task.id}/comments`, { token: member, body: { body: 'hi' } });
      await api.call('DELETE', `/api/v1/tasks/${task.id}`, { token: member });
      await stream.next((e) => e.event === 'task.deleted');
      expect(stream.events.map((e) => e.event)).toEqual([
        'task.created',
        'task.moved',
        'comment.created',
        'task.deleted',
      ]);
    } finally {
      stream.close();
    }
  });

  it('fans out events published by another replica, and only to that workspace', async () => {
    const stream = await open();
    try {
      const publisher = new EventPublisher(otherReplica, api.config.REDIS_PREFIX);
      const foreign = await buildWorkspace(await buildUser());
      await publisher.publish(foreign.id, 'task.updated', { projectId: 'elsewhere' });
      await publisher.publish(workspace.id, 'task.updated', { projectId: project.id, from: 'replica-2' });
      const event = await stream.next((e) => e.event === 'task.updated');
      expect(JSON.parse(event.data)).toEqual({ projectId: project.id, from: 'replica-2' });
      expect(stream.events).toHaveLength(1);
    } finally {
      stream.close();
    }
  });

  it('replays what a client missed when it reconnects with Last-Event-ID', async () => {
    const first = await open();
    await createTask(api, member, project, { title: 'seen' });
    const seen = await first.next((e) => e.event === 'task.created');
    first.close();
    const missed = [
      await createTask(api, member, project, { title: 'missed 1' }),
      await createTask(api, member, project, { title: 'missed 2' }),
    ];
    const again = await open(viewer, { 'last-event-id': seen.id! });
    try {
      await again.next((e) => e.event === 'task.created' && JSON.parse(e.data).task.id === missed[1]!.id);
      const replayed = again.events.filter((e) => e.event === 'task.created');
      expect(replayed.map((e) => JSON.parse(e.data).task.id)).toEqual(missed.map((t) => t.id));
      expect(replayed[0]!.id! > seen.id!).toBe(true);
      // Live events continue after the replay.
      const live = await createTask(api, member, project, { title: 'live' });
      await again.next((e) => e.data.includes(live.id));
    } finally {
      again.close();
    }
  });

  it('tells a client whose Last-Event-ID is older than the history to resync', async () => {
    const stream = await open(viewer, { 'last-event-id': '1000-0' });
    try {
      await stream.next((e) => e.event === 'resync');
    } finally {
      stream.close();
    }
  });

  it('accepts ?access_token= for EventSource, and refuses strangers and bad queries', async () => {
    const viaQuery = await openEventStream(streamUrl(`workspaceId=${workspace.id}&access_token=${viewer}`));
    expect(viaQuery.status).toBe(200);
    viaQuery.close();
    expect((await fetch(streamUrl())).status).toBe(401);
    const stranger = await fetch(streamUrl(), { headers: { authorization: `Bearer ${outsider}` } });
    expect(stranger.status).toBe(404);
    for (const query of ['workspaceId=nope', `workspaceId=${workspace.id}&since=1`, '']) {
      const res = await fetch(streamUrl(query), { headers: { authorization: `Bearer ${viewer}` } });
      expect(res.status, query).toBe(400);
    }
  });

  it('keeps the query token out of request logs', () => {
    const logged = redactLoggedRequest({
      url: `/api/v1/events?workspaceId=w&access_token=secret.jwt.value`,
      query: { workspaceId: 'w', access_token: 'secret.jwt.value' },
    });
    expect(JSON.stringify(logged)).not.toContain('secret');
    expect(logged.url).toBe('/api/v1/events?workspaceId=w&access_token=[redacted]');
  });

  it('ends open streams when the API shuts down', async () => {
    const stream = await open();
    const closing = api.close();
    closed = true;
    await stream.closedByServer(1000);
    await closing;
  });
});
