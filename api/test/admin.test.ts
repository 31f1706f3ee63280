import { Backup } from '@taskstack/db';
import { createTestDatabase, prepareTemplateDatabase } from '@taskstack/db/testing';
import { startPostgres } from '@taskstack/devservices';
import { QUEUES } from '@taskstack/queues';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signInAsInstanceAdmin } from './admins.js';
import { buildUser, tokenFor } from './factories.js';
import { startTestApi, type TestApi } from './harness.js';
import { registerThroughApi } from './sessions.js';
import { presentRecovery } from '../src/presenters/recovery.js';

let api: TestApi;
let adminToken: string;
let userToken: string;
beforeAll(async () => {
  api = await startTestApi({ ADMIN_EMAILS: 'ops@example.com', LOG_LEVEL: 'error' });
  adminToken = (await signInAsInstanceAdmin(api)).token; // made by the operator, as `npm run admin -- create` does
  userToken = (await registerThroughApi(api)).token;
});
afterAll(() => api.close());

const get = (path: string, token?: string) => api.call('GET', `/api/v1${path}`, { token });

describe('instance admin routes', () => {
  it('answer 401 without a token and 403 for users who are not instance admins', async () => {
    for (const path of ['/admin/backups', '/admin/recovery', '/admin/queues', '/admin/users']) {
      expect((await get(path)).status).toBe(401);
      const res = await get(path, userToken);
      expect(res.status).toBe(403);
      expect(res.headers.get('content-type')).toMatch(/problem\+json/);
    }
    for (const path of ['/admin/backups', '/admin/recovery/drills']) {
      expect((await api.call('POST', `/api/v1${path}`, { token: userToken })).status).toBe(403);
    }
  });

  it('admit ADMIN_EMAILS accounts as well as operator-made admins, once they have confirmed the address', async () => {
    const ops = await buildUser({ email: 'ops@example.com' });
    const token = await tokenFor(api, ops);
    expect((await get('/admin/queues', token)).status).toBe(403);
    await ops.update({ emailVerifiedAt: new Date() });
    expect((await get('/admin/queues', token)).status).toBe(200);
  });

  it('list backups the worker recorded, newest first', async () => {
    await Backup.create({
      file: 'old.dump',
      status: 'succeeded',
      size: 1234,
      sha256: 'ab'.repeat(32),
      startedAt: new Date('2026-01-01T02:30:00Z'),
      finishedAt: new Date('2026-01-01T02:31:00Z'),
      verifiedAt: new Date('2026-01-01T03:00:00Z'),
    });
    await Backup.create({ file: 'new.dump', startedAt: new Date('2026-01-02T02:30:00Z') });
    const res = await get('/admin/backups', adminToken);
    expect(res.status).toBe(200);
    expect(res.body.map((b: { file: string }) => b.file)).toEqual(['new.dump', 'old.dump']);
    expect(res.body[1]).toMatchObject({
      size: 1234,
      status: 'succeeded',
      location: 'local',
      startedAt: '2026-01-01T02:30:00.000Z',
      verifiedAt: '2026-01-01T03:00:00.000Z',
    });
    expect(res.body[0]).toMatchObject({ status: 'running', finishedAt: null, size: null });
  });

  it('show point-in-time recovery: archiving, recovery point, window and the last finished drill', async () => {
    const sql = (text: string) => api.context.sql.query(text);
    await sql(
      `INSERT INTO recovery_journal (recorded_at, tables, window_start)
       VALUES ('2026-01-02 10:00Z', '{}', '2026-01-01 03:05Z'), ('2026-01-02 10:05Z', '{}', '2026-01-01 03:06Z')`,
    );
    await sql(
      `INSERT INTO restore_drills (status, target_time, problems, started_at, finished_at) VALUES
         ('failed', '2026-01-01 20:00Z', '["public.tasks: journalled 3 rows, restored 2"]', '2026-01-02 05:30Z', '2026-01-02 05:34Z'),
         ('passed', '2026-01-02 01:00Z', '[]', '2026-01-03 05:30Z', '2026-01-03 05:33Z'),
         ('running', NULL, '[]', '2026-01-04 05:30Z', NULL)`,
    );
    const res = await get('/admin/recovery', adminToken);
    expect(res.status).toBe(200);
    // The test server does not archive WAL: no recovery point, so no window either.
    expect(res.body).toEqual({
      archiving: false,
      recoveryPoint: null,
      recoveryPointAgeSeconds: null,
      archiveFailing: false,
      window: null,
      lastDrill: {
        id: expect.any(String),
        status: 'passed',
        targetTime: '2026-01-02T01:00:00.000Z',
        problems: [],
        startedAt: '2026-01-03T05:30:00.000Z',
        finishedAt: '2026-01-03T05:33:00.000Z',
      },
    });
    // With an archiving server the window runs from the newest journal's oldest restorable moment to the recovery point.
    const archived = presentRecovery(
      {
        archiving: true,
        recoveryPoint: new Date('2026-01-05T12:00:00Z'),
        archiveFailing: false,
        windowStart: new Date('2026-01-01T03:06:00Z'),
        lastDrill: undefined,
      },
      new Date('2026-01-05T12:00:42Z'),
    );
    expect(archived).toMatchObject({
      recoveryPointAgeSeconds: 42,
      window: { from: '2026-01-01T03:06:00.000Z', to: '2026-01-05T12:00:00.000Z' },
      lastDrill: null,
    });
  });

  it('refuse a restore drill on a server that archives no WAL, enqueueing nothing', async () => {
    const waiting = await api.context.queues[QUEUES.backups]!.getWaitingCount();
    const res = await api.call('POST', '/api/v1/admin/recovery/drills', { token: adminToken });
    expect(res.status).toBe(409);
    expect(res.body.detail).toMatch(/Point-in-time recovery is off/);
    expect(await api.context.queues[QUEUES.backups]!.getWaitingCount()).toBe(waiting);
  });

  it('enqueue a manual backup and count it among the queue’s jobs', async () => {
    const res = await api.call('POST', '/api/v1/admin/backups', { token: adminToken });
    expect(res.status).toBe(202);
    expect(res.body.jobId).toMatch(/^manual-[0-9a-f-]{36}$/);
    const job = await api.context.queues[QUEUES.backups]!.getJob(res.body.jobId);
    expect(job).toMatchObject({ name: 'backup', data: { reason: 'manual' } });

    const queues = await get('/admin/queues', adminToken);
    expect(queues.status).toBe(200);
    expect(Object.keys(queues.body).sort()).toEqual([
      'backups',
      'emails',
      'reminders',
      'transfers',
      'webhooks',
    ]);
    expect(queues.body.backups.waiting).toBeGreaterThanOrEqual(1);
    expect(queues.body.emails).toEqual({
      waiting: expect.any(Number),
      active: 0,
      delayed: 0,
      failed: 0,
      completed: 0,
    });
  });

  it('page through users with a cursor', async () => {
    for (let i = 0; i < 3; i++) await buildUser();
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `?limit=2&cursor=${cursor}` : '?limit=2';
      const page = await get(`/admin/users${query}`, adminToken);
      expect(page.status).toBe(200);
      expect(page.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.items.map((u: { id: string }) => u.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen.length).toBe(new Set(seen).size);
    const all = await get('/admin/users?limit=100', adminToken);
    expect(seen).toEqual(all.body.items.map((u: { id: string }) => u.id));
    expect(all.body.items[0].isInstanceAdmin).toBe(true);
    expect(all.body.nextCursor).toBeNull();
  });

  it('refuse absurd limits and malformed cursors with 400', async () => {
    expect((await get('/admin/users?limit=0', adminToken)).status).toBe(400);
    expect((await get('/admin/users?limit=100000', adminToken)).status).toBe(400);
    expect((await get('/admin/users?cursor=%%%', adminToken)).status).toBe(400);
    expect((await get('/admin/users?cursor=WyJ4Il0', adminToken)).status).toBe(400);
    expect((await get('/admin/users?sort=email', adminToken)).status).toBe(400);
  });
});

describe('a restore drill on demand', () => {
  let archiving: Awaited<ReturnType<typeof startPostgres>>;
  let onArchiving: TestApi;
  beforeAll(async () => {
    // A server of its own with archive_mode on (archiving nowhere): what the recovery status reads as configured.
    archiving = await startPostgres({ settings: { archive_mode: 'on', archive_command: 'true' } });
    await prepareTemplateDatabase(archiving.url);
    const db = await createTestDatabase(archiving.url);
    onArchiving = await startTestApi({ DATABASE_URL: db.url });
  });
  afterAll(async () => {
    await onArchiving?.close();
    await archiving?.stop();
  });

  it('is enqueued for the worker when the server archives WAL', async () => {
    const { token } = await signInAsInstanceAdmin(onArchiving);
    const res = await onArchiving.call('POST', '/api/v1/admin/recovery/drills', { token });
    expect(res.status).toBe(202);
    expect(res.body.jobId).toMatch(/^manual-drill-[0-9a-f-]{36}$/);
    const job = await onArchiving.context.queues[QUEUES.backups]!.getJob(res.body.jobId);
    expect(job).toMatchObject({ name: 'pitr-drill', data: {} });
  });
});
