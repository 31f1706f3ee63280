import { DataKeyring } from '@taskstack/db';
import { hasWebhookFor, insertDelivery, insertWebhook, updateWebhook } from '@taskstack/db/repositories';
import { SmtpSink } from '@taskstack/devservices';
import {
  createRedis,
  EventPublisher,
  SINGLE_ATTEMPT,
  WebhookQueue,
  type BoardEventType,
} from '@taskstack/queues';
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError } from '@taskstack/config';
import type { WorkerConfig } from '../src/config.js';
import { startWorker, type WorkerHandle } from '../src/start.js';
import { createTestDatabase, runJob, sql, testConfig } from './helpers.js';

type Received = { path: string; headers: http.IncomingHttpHeaders; body: string; at: number };

/** A real receiver on 127.0.0.1 (reachable because the config allows private networks) answering as told. */
let answers: Record<string, number[]> = {};
const received: Received[] = [];
let receiver: http.Server;
let receiverUrl: string;

let sink: SmtpSink;
let db: { url: string; drop: () => Promise<void> };
let pool: pg.Pool;
let config: WorkerConfig;
let worker: WorkerHandle;
let webhooks: WebhookQueue;
let events: EventPublisher;
let workspaceId: string;

const SECRET = 'whsec_test-secret';

beforeAll(async () => {
  receiver = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      const path = req.url ?? '/';
      received.push({ path, headers: req.headers, body, at: Date.now() });
      const status = answers[path]?.shift() ?? 200;
      res.writeHead(status, { 'content-type': 'text/plain' }).end(`answer ${status}`);
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  sink = await SmtpSink.start();
  db = await createTestDatabase();
  pool = new pg.Pool({ connectionString: db.url, max: 2 });
  const [row] = await sql<{ id: string }>(
    db.url,
    `WITH w AS (INSERT INTO workspaces (name) VALUES ('Acme') RETURNING id),
          u AS (INSERT INTO users (email, name, password_hash) VALUES ('ada@example.test', 'Ada', 'x') RETURNING id)
     INSERT INTO memberships (workspace_id, user_id, role) SELECT w.id, u.id, 'owner' FROM w, u RETURNING workspace_id AS id`,
  );
  workspaceId = row!.id;
  config = await testConfig(db.url, {
    SMTP_URL: sink.url,
    WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true',
    WEBHOOK_MAX_ATTEMPTS: '3',
    WEBHOOK_RETRY_DELAY_MS: '200',
    WEBHOOK_DISABLE_AFTER_FAILURES: '2',
    WEBHOOK_TIMEOUT_MS: '2000',
  });
  worker = await startWorker(config);
  const redis = createRedis(config.REDIS_URL);
  webhooks = WebhookQueue.connect(redis, config.REDIS_PREFIX);
  events = new EventPublisher(redis, config.REDIS_PREFIX, {
    queue: webhooks,
    subscribed: (id, type) => hasWebhookFor(pool, id, type),
  });
});

afterAll(async () => {
  await worker?.close();
  await webhooks?.queue.close();
  await pool?.end();
  await sink?.close();
  await db?.drop();
  receiver?.closeAllConnections();
  receiver?.close();
});

beforeEach(() => {
  answers = {};
});

/** A webhook as the API adds it: its secret sealed with the key the worker holds (or another `keyring`). */
const hook = (
  path: string,
  events = ['task.created', 'task.moved'],
  keyring = new DataKeyring(config.DATA_ENCRYPTION_KEY),
) =>
  insertWebhook(pool, keyring, {
    workspaceId,
    url: `${receiverUrl}${path}`,
    description: '',
    events,
    secret: SECRET,
    createdBy: null,
  });

/** Publishes a board event with the API's publisher: a fan-out job when some webhook subscribes to it. */
const publish = (type: BoardEventType, data: unknown = { task: { id: 't1', title: 'Launch' } }) =>
  events.publish(workspaceId, type, data);

const deliveries = (webhookId: string) =>
  sql<Record<string, unknown>>(
    db.url,
    `SELECT id, event_id, trigger, status, attempts, response_status, response_snippet, error, duration_ms, body
       FROM webhook_deliveries WHERE webhook_id = $1 ORDER BY created_at, id`,
    [webhookId],
  );

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting; last: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Verifies a delivery's signature the way api/README.md tells receivers to. */
function verify(headers: http.IncomingHttpHeaders, body: string, secret: string): number {
  const header = String(headers['taskstack-signature']);
  const parts = Object.fromEntries(header.split(',').map((part) => part.split('=') as [string, string]));
  const expected = createHmac('sha256', secret).update(`${parts.t}.${body}`).digest();
  const given = Buffer.from(parts.v1 ?? '', 'hex');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new Error('bad signature');
  return Number(parts.t);
}

describe('webhook settings', () => {
  it('refuses anything but true or false for the private-networks switch, in one line naming it', async () => {
    const error = await testConfig(db.url, { WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'yes' }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual([
      'WEBHOOK_ALLOW_PRIVATE_NETWORKS: must be true or false',
    ]);
    expect((await testConfig(db.url)).WEBHOOK_ALLOW_PRIVATE_NETWORKS).toBe(false);
  });
});

describe('webhook deliveries', () => {
  it('delivers a subscribed event once per webhook, signed, and nothing to webhooks that did not subscribe', async () => {
    const subscribed = await hook('/ok');
    const other = await hook('/other', ['comment.created']);
    const eventId = await publish('task.created');
    const [delivery] = await until(
      () => deliveries(subscribed.id),
      (rows) => rows[0]?.status === 'succeeded',
    );
    expect(delivery).toMatchObject({
      event_id: eventId,
      trigger: 'event',
      attempts: 1,
      response_status: 200,
      response_snippet: 'answer 200',
      error: null,
    });
    const request = received.find((r) => r.path === '/ok')!;
    expect(request.headers).toMatchObject({
      'content-type': 'application/json',
      'taskstack-event': 'task.created',
      'taskstack-delivery': delivery!.id,
    });
    expect(Math.abs(verify(request.headers, request.body, SECRET) - Date.now() / 1000)).toBeLessThan(10);
    // Signed with the secret as issued, which the database holds only sealed.
    const [stored] = await sql<{ secret: string }>(db.url, `SELECT secret FROM webhooks WHERE id = $1`, [
      subscribed.id,
    ]);
    expect(stored!.secret).toMatch(/^enc:v1:/);
    expect(stored!.secret).not.toContain(SECRET.slice('whsec_'.length));
    expect(() => verify(request.headers, request.body, 'whsec_wrong')).toThrow('bad signature');
    expect(() => verify(request.headers, request.body.replace('Launch', 'Lunch'), SECRET)).toThrow();
    expect(JSON.parse(request.body)).toEqual({
      id: eventId,
      type: 'task.created',
      workspaceId,
      occurredAt: expect.any(String),
      data: { task: { id: 't1', title: 'Launch' } },
    });
    // The same event fanned out again (a retried fan-out) is not delivered twice.
    await webhooks.queue.add('fan-out', {
      workspaceId,
      id: eventId,
      type: 'task.created',
      occurredAt: new Date().toISOString(),
      data: {},
    });
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(received.filter((r) => r.path === '/ok')).toHaveLength(1);
    expect(await deliveries(other.id)).toEqual([]);
    expect(received.filter((r) => r.path === '/other')).toEqual([]);
  });

  it('retries a 500 with growing waits, signing each attempt afresh, until the receiver takes it', async () => {
    const flaky = await hook('/flaky');
    answers['/flaky'] = [500, 503];
    await publish('task.moved');
    const [delivery] = await until(
      () => deliveries(flaky.id),
      (rows) => rows[0]?.status === 'succeeded',
    );
    expect(delivery).toMatchObject({ attempts: 3, response_status: 200, error: null });
    const attempts = received.filter((r) => r.path === '/flaky');
    expect(attempts).toHaveLength(3);
    const [first, second] = [attempts[1]!.at - attempts[0]!.at, attempts[2]!.at - attempts[1]!.at];
    // 200 ms then 400 ms, less up to 30 % jitter.
    expect(first).toBeGreaterThanOrEqual(130);
    expect(second).toBeGreaterThan(first);
    expect(new Set(attempts.map((a) => a.body)).size).toBe(1);
    const [row] = await sql<{ consecutive_failures: number }>(
      db.url,
      `SELECT consecutive_failures FROM webhooks WHERE id = $1`,
      [flaky.id],
    );
    expect(row).toEqual({ consecutive_failures: 0 });
  });

  it('turns a webhook off after repeated failed deliveries, tells its admins, and a replay still reaches it', async () => {
    const broken = await hook('/broken');
    answers['/broken'] = Array(6).fill(500);
    await publish('task.created');
    await until(
      () => deliveries(broken.id),
      (rows) => rows[0]?.status === 'failed',
    );
    const [afterOne] = await sql(db.url, `SELECT active, consecutive_failures FROM webhooks WHERE id = $1`, [
      broken.id,
    ]);
    expect(afterOne).toEqual({ active: true, consecutive_failures: 1 });
    await publish('task.created');
    const rows = await until(
      () => deliveries(broken.id),
      (list) => list.length === 2 && list.every((d) => d.status === 'failed'),
    );
    expect(rows.map((d) => [d.attempts, d.response_status, d.error])).toEqual([
      [3, 500, 'HTTP 500'],
      [3, 500, 'HTTP 500'],
    ]);
    const [off] = await sql(db.url, `SELECT active, disabled_reason FROM webhooks WHERE id = $1`, [
      broken.id,
    ]);
    expect(off).toEqual({
      active: false,
      disabled_reason: 'Turned off after 2 failed deliveries in a row (last: HTTP 500).',
    });
    const mail = await sink.waitFor((m) => m.subject === 'A webhook of Acme was turned off');
    expect(mail.to).toContain('ada@example.test');
    expect(mail.text).toContain(`https://tasks.example.test/w/${workspaceId}/webhooks`);

    // Turned off, it gets no more events…
    const before = received.filter((r) => r.path === '/broken').length;
    await publish('task.created');
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(received.filter((r) => r.path === '/broken')).toHaveLength(before);
    expect(await deliveries(broken.id)).toHaveLength(2);

    // …but an admin's replay is sent (once), with the original body, as the API queues it.
    answers['/broken'] = [200];
    const replay = await insertDelivery(pool, {
      webhookId: broken.id,
      eventId: rows[0]!.event_id as string,
      eventType: 'task.created',
      trigger: 'replay',
      body: rows[0]!.body as string,
    });
    await webhooks.deliver([replay.id], SINGLE_ATTEMPT);
    const replayed = await until(
      () => deliveries(broken.id),
      (list) => list.some((d) => d.id === replay.id && d.status === 'succeeded'),
    );
    expect(replayed.find((d) => d.id === replay.id)).toMatchObject({ attempts: 1, response_status: 200 });
    const last = received.filter((r) => r.path === '/broken').at(-1)!;
    expect(last.body).toBe(rows[0]!.body);
    verify(last.headers, last.body, SECRET);
  });

  it('prunes finished deliveries past the retention, keeping recent and unfinished ones', async () => {
    const kept = await hook('/prune', ['comment.deleted']);
    const insert = (status: string, age: string) =>
      sql(
        db.url,
        `INSERT INTO webhook_deliveries (webhook_id, event_id, event_type, trigger, body, status, created_at)
         VALUES ($1, $2, 'comment.deleted', 'event', '{}', $3, now() - $4::interval)`,
        [kept.id, `${status}-${age}`, status, age],
      );
    await insert('succeeded', '31 days');
    await insert('failed', '40 days');
    await insert('retrying', '31 days');
    await insert('succeeded', '29 days');
    const job = await runJob(config, 'webhooks', 'prune-deliveries', {});
    expect(job.returnvalue).toEqual({ pruned: 2 });
    expect((await deliveries(kept.id)).map((d) => d.event_id).sort()).toEqual([
      'retrying-31 days',
      'succeeded-29 days',
    ]);
  });

  it('refuses a private address when the switch is off: no request, no retry', async () => {
    const strict = await testConfig(db.url, {
      WEBHOOK_MAX_ATTEMPTS: '3',
      WEBHOOK_RETRY_DELAY_MS: '100',
      DATA_ENCRYPTION_KEY: config.DATA_ENCRYPTION_KEY.join(','),
    });
    await worker.close();
    worker = await startWorker(strict);
    const guarded = WebhookQueue.connect(createRedis(strict.REDIS_URL), strict.REDIS_PREFIX);
    try {
      const inside = await hook('/inside');
      await guarded.fanOut({
        workspaceId,
        id: 'private-1',
        type: 'task.created',
        occurredAt: new Date().toISOString(),
        data: {},
      });
      const [delivery] = await until(
        () => deliveries(inside.id),
        (rows) => rows[0]?.status === 'failed',
      );
      expect(delivery).toMatchObject({ attempts: 1, response_status: null });
      expect(delivery!.error).toMatch(/^refused: 127\.0\.0\.1 resolves to 127\.0\.0\.1 \(loopback\)/);
      expect(received.filter((r) => r.path === '/inside')).toEqual([]);
      // An address changed afterwards (PATCH) is checked again at its next delivery, by name this time.
      await updateWebhook(pool, inside.id, {
        url: receiverUrl.replace('127.0.0.1', 'localhost') + '/edited',
      });
      const ping = await insertDelivery(pool, {
        webhookId: inside.id,
        eventId: 'private-2',
        eventType: 'ping',
        trigger: 'ping',
        body: '{}',
      });
      await guarded.deliver([ping.id], SINGLE_ATTEMPT);
      const edited = await until(
        () => deliveries(inside.id),
        (rows) => rows.some((d) => d.id === ping.id && d.status === 'failed'),
      );
      expect(edited.find((d) => d.id === ping.id)!.error).toMatch(
        /^refused: localhost resolves to .*loopback/,
      );
      expect(received.filter((r) => r.path === '/edited')).toEqual([]);
    } finally {
      await guarded.queue.close();
    }
  });

  it('signs with a secret sealed by the old key once a worker starts with the new key before it', async () => {
    const old = randomBytes(32).toString('base64url');
    const rotated = await hook('/rotated', ['task.created'], new DataKeyring([old]));
    await worker.close();
    // The rotation's first step: the new key first, the old one after it.
    const rotating = await testConfig(db.url, {
      SMTP_URL: sink.url,
      WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true',
      DATA_ENCRYPTION_KEY: `${config.DATA_ENCRYPTION_KEY.join(',')},${old}`,
    });
    worker = await startWorker(rotating);
    const queue = WebhookQueue.connect(createRedis(rotating.REDIS_URL), rotating.REDIS_PREFIX);
    try {
      await queue.fanOut({
        workspaceId,
        id: 'rotated-1',
        type: 'task.created',
        occurredAt: new Date().toISOString(),
        data: {},
      });
      await until(
        () => deliveries(rotated.id),
        (rows) => rows[0]?.status === 'succeeded',
      );
      const request = received.find((r) => r.path === '/rotated')!;
      verify(request.headers, request.body, SECRET);
      // Start-up re-sealed it under the new key: the old one may now go.
      const [row] = await sql<{ secret: string }>(db.url, `SELECT secret FROM webhooks WHERE id = $1`, [
        rotated.id,
      ]);
      const current = new DataKeyring(config.DATA_ENCRYPTION_KEY);
      expect(row!.secret.startsWith(`enc:v1:${current.currentKeyId}:`)).toBe(true);
    } finally {
      await queue.queue.close();
    }
  });
});
