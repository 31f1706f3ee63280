import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildProject, createTask } from '../../../test/board-factories.js';
import { buildMember, buildUser, buildWorkspace, tokenFor } from '../../../test/factories.js';
import { startTestApi, type TestApi } from '../../../test/harness.js';
import { startApi, type RunningApi } from '../../server.js';
import { WEBHOOK_EVENT_TYPES } from '@taskstack/queues';
import { MAX_WEBHOOKS_PER_WORKSPACE } from './router.js';

let api: TestApi;
let owner: string;
let admin: string;
let member: string;
let workspace: { id: string };
/** A second replica on the same database and Redis; models then use its pool, so it lives as long as the file. */
let replica: RunningApi;

beforeAll(async () => {
  api = await startTestApi();
  replica = await startApi(api.config, { port: 0 });
  const founder = await buildUser();
  workspace = await buildWorkspace(founder);
  owner = await tokenFor(api, founder);
  admin = (await buildMember(api, workspace, 'admin')).token;
  member = (await buildMember(api, workspace, 'member')).token;
});
afterAll(async () => {
  await replica?.close();
  await api?.close();
});

const hooks = (ws = workspace.id) => `/api/v1/workspaces/${ws}/webhooks`;
const create = (token: string, body: unknown, ws = workspace.id) =>
  api.call('POST', hooks(ws), { token, body });
/** The jobs waiting on the webhooks queue (no worker runs in these tests, so they stay there). */
const waiting = async () =>
  (await api.context.webhooks.queue.getJobs(['waiting', 'prioritized'])).map((job) => ({
    name: job.name,
    data: job.data as Record<string, unknown>,
    attempts: job.opts.attempts,
  }));

describe('webhooks', () => {
  it('shows the signing secret once, at creation, and lists the webhook without it', async () => {
    const res = await create(admin, {
      url: 'https://hooks.example.com/taskstack',
      description: 'CI',
      events: ['task.moved', 'task.created', 'task.created'],
    });
    expect(res).toMatchObject({
      status: 201,
      body: {
        secret: expect.stringMatching(/^whsec_[A-Za-z0-9_-]{43}$/),
        webhook: {
          url: 'https://hooks.example.com/taskstack',
          description: 'CI',
          events: ['task.created', 'task.moved'],
          active: true,
          disabledReason: null,
          consecutiveFailures: 0,
        },
      },
    });
    const list = await api.call('GET', hooks(), { token: owner });
    expect(list.status).toBe(200);
    const listed = list.body.find((w: { id: string }) => w.id === res.body.webhook.id);
    expect(listed).toEqual(res.body.webhook);
    expect(JSON.stringify(list.body)).not.toContain(res.body.secret);
    const all = await create(admin, { url: 'http://receiver.example.net:8080/in' });
    expect(all.body.webhook.events).toEqual(WEBHOOK_EVENT_TYPES);
    expect(all.body.webhook.events).not.toContain('inbox.updated');
  });

  it('refuses URLs that are not http(s), carry credentials or a fragment with a 422, storing nothing', async () => {
    const before = (await api.call('GET', hooks(), { token: admin })).body.length;
    for (const url of [
      'not a url',
      'ftp://example.com/x',
      'file:///etc/passwd',
      'javascript:alert(1)',
      'https://user:secret@example.com/hook',
      'https://example.com/hook#part',
    ]) {
      const res = await create(admin, { url });
      expect(res.status, url).toBe(422);
      expect(res.headers.get('content-type')).toMatch(/problem\+json/);
      expect(res.body.errors).toEqual([{ path: 'url', message: expect.any(String) }]);
    }
    expect((await create(admin, { url: 'https://example.com', events: ['inbox.updated'] })).status).toBe(400);
    expect((await create(admin, { url: 'https://example.com', events: [] })).status).toBe(400);
    const patch = await api.call('GET', hooks(), { token: admin });
    expect(patch.body).toHaveLength(before);
  });

  it('enqueues one fan-out job per board event some webhook subscribes to, whatever their number, and none for inbox updates', async () => {
    await api.context.webhooks.queue.drain();
    const project = await buildProject(workspace);
    const task = await createTask(api, owner, project);
    await api.call('POST', `/api/v1/tasks/${task.id}/move`, { token: owner, body: { status: 'done' } });
    const jobs = await waiting();
    expect(jobs.map((j) => [j.name, j.data.type]).sort()).toEqual([
      ['fan-out', 'task.created'],
      ['fan-out', 'task.moved'],
    ]);
    const created = jobs.find((j) => j.data.type === 'task.created')!;
    expect(created.data).toMatchObject({
      workspaceId: workspace.id,
      id: expect.stringMatching(/^\d+-\d+$/),
      data: { task: { id: task.id } },
    });
  });

  it('enqueues nothing for events no active webhook of the workspace subscribes to', async () => {
    const founder = await buildUser();
    const quiet = await buildWorkspace(founder);
    const token = await tokenFor(api, founder);
    const project = await buildProject(quiet);
    await api.context.webhooks.queue.drain();
    const task = await createTask(api, token, project);
    expect(await waiting()).toEqual([]);

    const moves = (
      await create(token, { url: 'https://hooks.example.com/moves', events: ['task.moved'] }, quiet.id)
    ).body.webhook;
    await createTask(api, token, project);
    expect(await waiting()).toEqual([]);
    await api.call('POST', `/api/v1/tasks/${task.id}/move`, { token, body: { status: 'done' } });
    expect((await waiting()).map((j) => [j.name, j.data.type])).toEqual([['fan-out', 'task.moved']]);

    // Turned off, the webhook no longer calls for fan-outs; deleted, neither.
    await api.context.webhooks.queue.drain();
    await api.call('PATCH', `${hooks(quiet.id)}/${moves.id}`, { token, body: { active: false } });
    await api.call('POST', `/api/v1/tasks/${task.id}/move`, { token, body: { status: 'todo' } });
    expect(await waiting()).toEqual([]);
    await api.call('PATCH', `${hooks(quiet.id)}/${moves.id}`, { token, body: { active: true } });
    await api.call('POST', `/api/v1/tasks/${task.id}/move`, { token, body: { status: 'done' } });
    expect(await waiting()).toHaveLength(1);
    await api.context.webhooks.queue.drain();
    expect((await api.call('DELETE', `${hooks(quiet.id)}/${moves.id}`, { token })).status).toBe(204);
    await api.call('POST', `/api/v1/tasks/${task.id}/move`, { token, body: { status: 'todo' } });
    expect(await waiting()).toEqual([]);
  });

  describe('on another replica, which remembers which events a workspace wants', () => {
    const channel = () => `${api.config.REDIS_PREFIX}:webhooks-changed`;
    /** Until both replicas listen for webhook changes again (each confirms a moment after Redis counts it). */
    const bothListening = async () => {
      for (;;) {
        const [, count] = (await api.context.redis.pubsub('NUMSUB', channel())) as [string, number];
        if (count >= 2) return new Promise((resolve) => setTimeout(resolve, 100));
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    };
    const moveThroughReplica = (token: string, taskId: string, status: string) =>
      fetch(`${replica.url}/api/v1/tasks/${taskId}/move`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ status }),
      });

    /** A workspace with a task and no webhook, which the replica has learnt by moving the task (no job queued). */
    const knownWithoutWebhooks = async () => {
      const founder = await buildUser();
      const quiet = await buildWorkspace(founder);
      const token = await tokenFor(api, founder);
      const task = await createTask(api, token, await buildProject(quiet));
      await bothListening();
      await api.context.webhooks.queue.drain();
      expect((await moveThroughReplica(token, task.id, 'done')).status).toBe(200);
      expect(await waiting()).toEqual([]);
      return { quiet, token, task };
    };

    it('a webhook created through one replica gets the next event of the other at once', async () => {
      // The replica learns that the workspace has no webhook…
      const { quiet, token, task } = await knownWithoutWebhooks();
      // …and forgets it when one is created elsewhere.
      await create(token, { url: 'https://hooks.example.com/moves', events: ['task.moved'] }, quiet.id);
      expect((await moveThroughReplica(token, task.id, 'todo')).status).toBe(200);
      expect((await waiting()).map((j) => [j.name, j.data.type])).toEqual([['fan-out', 'task.moved']]);
    });

    it('a change announced while the replica was not listening is not missed', async () => {
      const { quiet, token, task } = await knownWithoutWebhooks();
      // Every subscriber connection dropped: the announcement of the new webhook reaches nobody.
      await api.context.redis.client('KILL', 'TYPE', 'pubsub');
      await create(token, { url: 'https://hooks.example.com/moves', events: ['task.moved'] }, quiet.id);
      expect((await moveThroughReplica(token, task.id, 'todo')).status).toBe(200);
      await bothListening();
      expect((await moveThroughReplica(token, task.id, 'done')).status).toBe(200);
      expect((await waiting()).map((j) => j.data.type)).toEqual(['task.moved', 'task.moved']);
    });
  });

  it('turns a webhook off and back on; turning it on clears the reason', async () => {
    const { body } = await create(admin, { url: 'https://example.com/toggle' });
    const patch = (change: unknown) =>
      api.call('PATCH', `${hooks()}/${body.webhook.id}`, { token: admin, body: change });
    expect((await patch({ active: false })).body).toMatchObject({
      active: false,
      disabledReason: 'Turned off by an admin.',
    });
    expect((await patch({ active: true, url: 'https://example.com/other' })).body).toMatchObject({
      active: true,
      disabledReason: null,
      url: 'https://example.com/other',
    });
    expect((await patch({ url: 'https://a:b@example.com' })).status).toBe(422);
  });

  it('rotates the secret: a new one, shown once', async () => {
    const { body } = await create(admin, { url: 'https://example.com/rotate' });
    const rotated = await api.call('POST', `${hooks()}/${body.webhook.id}/secret`, { token: owner });
    expect(rotated.status).toBe(200);
    expect(rotated.body.secret).toMatch(/^whsec_/);
    expect(rotated.body.secret).not.toBe(body.secret);
    expect(rotated.body.webhook.id).toBe(body.webhook.id);
    // The database keeps it sealed (the worker opens it to sign), never as issued.
    const { rows } = await api.context.sql.query('SELECT secret FROM webhooks WHERE id = $1', [
      body.webhook.id,
    ]);
    const stored = String(rows[0]!.secret);
    expect(stored.startsWith(`enc:v1:${api.context.keyring.currentKeyId}:`)).toBe(true);
    expect(stored).not.toContain(rotated.body.secret.slice('whsec_'.length));
    expect(api.context.keyring.open(stored, `webhooks.secret:${body.webhook.id}`)).toBe(rotated.body.secret);
  });

  it('queues a ping and a replay for one attempt each, logged as deliveries of their own', async () => {
    await api.context.webhooks.queue.drain();
    const { body } = await create(admin, { url: 'https://example.com/ping' });
    const base = `${hooks()}/${body.webhook.id}`;
    const ping = await api.call('POST', `${base}/ping`, { token: admin });
    expect(ping).toMatchObject({
      status: 202,
      body: { eventType: 'ping', trigger: 'ping', status: 'pending', attempts: 0 },
    });
    expect(JSON.parse(ping.body.body)).toMatchObject({
      id: ping.body.eventId,
      type: 'ping',
      workspaceId: workspace.id,
      data: { webhookId: body.webhook.id },
    });
    const replay = await api.call('POST', `${base}/deliveries/${ping.body.id}/replay`, { token: admin });
    expect(replay).toMatchObject({
      status: 202,
      body: { eventId: ping.body.eventId, body: ping.body.body, trigger: 'replay', status: 'pending' },
    });
    expect(replay.body.id).not.toBe(ping.body.id);
    expect(await waiting()).toEqual(
      expect.arrayContaining([
        { name: 'deliver', data: { deliveryId: ping.body.id }, attempts: 1 },
        { name: 'deliver', data: { deliveryId: replay.body.id }, attempts: 1 },
      ]),
    );
    const log = await api.call('GET', `${base}/deliveries?limit=1`, { token: admin });
    expect(log.body.items.map((d: { id: string }) => d.id)).toEqual([replay.body.id]);
    const next = await api.call('GET', `${base}/deliveries?limit=1&cursor=${log.body.nextCursor}`, {
      token: admin,
    });
    expect(next.body).toMatchObject({ items: [{ id: ping.body.id }], nextCursor: null });

    // A delivery of another webhook is not this one's to replay.
    const other = await create(admin, { url: 'https://example.com/other-hook' });
    const foreign = await api.call(
      'POST',
      `${hooks()}/${other.body.webhook.id}/deliveries/${ping.body.id}/replay`,
      { token: admin },
    );
    expect(foreign.status).toBe(404);
  });

  it('is for admins and owners only, and unknown to other workspaces', async () => {
    expect((await api.call('GET', hooks(), { token: member })).status).toBe(403);
    expect((await create(member, { url: 'https://example.com/m' })).status).toBe(403);
    const stranger = await buildUser();
    const theirs = await buildWorkspace(stranger);
    const { body } = await create(admin, { url: 'https://example.com/mine' });
    const strangerToken = await tokenFor(api, stranger);
    const cross = await api.call('DELETE', `${hooks(theirs.id)}/${body.webhook.id}`, {
      token: strangerToken,
    });
    expect(cross.status).toBe(404);
    expect((await api.call('DELETE', `${hooks()}/${body.webhook.id}`, { token: strangerToken })).status).toBe(
      404,
    );
  });

  it(`caps a workspace at ${MAX_WEBHOOKS_PER_WORKSPACE} webhooks`, async () => {
    const founder = await buildUser();
    const ws = await buildWorkspace(founder);
    const token = await tokenFor(api, founder);
    for (let i = 0; i < MAX_WEBHOOKS_PER_WORKSPACE; i += 1) {
      expect((await create(token, { url: `https://example.com/${i}` }, ws.id)).status).toBe(201);
    }
    expect((await create(token, { url: 'https://example.com/one-more' }, ws.id)).status).toBe(409);
  });
});
