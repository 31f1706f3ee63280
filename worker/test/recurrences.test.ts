import { DataKeyring, dueInstant, localDate } from '@taskstack/db';
import { insertWebhook, inTransaction, spawnNextOccurrence } from '@taskstack/db/repositories';
import { createRedis, eventChannel, eventStreamKey, QUEUES } from '@taskstack/queues';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WorkerConfig } from '../src/config.js';
import { startWorker, type WorkerHandle } from '../src/start.js';
import { createTestDatabase, runJob, sleep, sql, testConfig } from './helpers.js';

const ZONE = 'Pacific/Auckland';
let db: { url: string; drop: () => Promise<void> };
let config: WorkerConfig;
let worker: WorkerHandle | undefined;
const ids: Record<string, string> = {};

/** A local date `days` from today in the workspace's zone. */
const day = (days: number) => {
  const today = localDate(new Date(), ZONE);
  return new Date(Date.parse(`${today}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
};

/**
 * A daily series (09:00 in the workspace's zone) whose only occurrence, on `startsOn`, was completed while
 * nobody continued it: what a completion leaves when the API stops between its commit and the follow-up.
 */
async function doneSeries(title: string, startsOn: string, extra: { count?: number } = {}) {
  const [task] = await sql<{ id: string }>(
    db.url,
    `WITH n AS (UPDATE projects SET task_counter = task_counter + 1 WHERE id = $2 RETURNING task_counter)
     INSERT INTO tasks (workspace_id, project_id, number, title, position, status, due_at, assignee_id, created_by_id)
     SELECT $1, $2, n.task_counter, $3, 'a', 'done', $4, $5, $5 FROM n RETURNING id`,
    [ids.workspace, ids.project, title, dueInstant(startsOn, '09:00', ZONE), ids.ada],
  );
  await sql(
    db.url,
    `INSERT INTO checklist_items (task_id, text, done, position) VALUES ($1, 'Step one', true, 'a'), ($1, 'Step two', true, 'b')`,
    [task!.id],
  );
  const [series] = await sql<{ id: string }>(
    db.url,
    `WITH r AS (INSERT INTO task_recurrences (workspace_id, rule, starts_on, created_by_id) VALUES ($1, $2, $3, $4)
       RETURNING id)
     INSERT INTO recurrence_occurrences (series_id, occurrence_date, task_id) SELECT id, $3, $5 FROM r
     RETURNING series_id AS id`,
    [
      ids.workspace,
      JSON.stringify({ frequency: 'daily', interval: 1, time: '09:00', ...extra }),
      startsOn,
      ids.ada,
      task!.id,
    ],
  );
  return { taskId: task!.id, seriesId: series!.id };
}

/** The tasks titled `title` with their checklist progress, oldest first. */
const tasksTitled = (title: string) =>
  sql<{ status: string; due_at: Date; done: number; total: number }>(
    db.url,
    `SELECT t.status, t.due_at, count(c.id) FILTER (WHERE c.done)::int AS done, count(c.id)::int AS total
       FROM tasks t LEFT JOIN checklist_items c ON c.task_id = t.id
      WHERE t.title = $1 GROUP BY t.id, t.status, t.due_at, t.number ORDER BY t.number`,
    [title],
  );

beforeAll(async () => {
  db = await createTestDatabase();
  const [ada] = await sql<{ id: string }>(
    db.url,
    `INSERT INTO users (email, name, password_hash) VALUES ('ada@example.test', 'Ada', 'x') RETURNING id`,
  );
  ids.ada = ada!.id;
  const [row] = await sql<{ workspace_id: string; project_id: string }>(
    db.url,
    `WITH w AS (INSERT INTO workspaces (name) VALUES ('W') RETURNING id),
          m AS (INSERT INTO memberships (workspace_id, user_id, role) SELECT id, $1, 'member' FROM w),
          z AS (INSERT INTO workspace_time_zones (workspace_id, time_zone) SELECT id, $2 FROM w)
     INSERT INTO projects (workspace_id, name) SELECT id, 'Apollo' FROM w RETURNING workspace_id, id AS project_id`,
    [ids.ada, ZONE],
  );
  ids.workspace = row!.workspace_id;
  ids.project = row!.project_id;
  config = await testConfig(db.url);
});

afterAll(async () => {
  await worker?.close();
  await db?.drop();
});

describe('recurrence catch-up', () => {
  it('creates, on start-up after downtime, the occurrence nobody made: once, today, its checklist undone', async () => {
    // Completed three days ago while no API continued it and no worker ran.
    await doneSeries('Water the plants', day(-3));
    await doneSeries('Ran out', day(-3), { count: 1 });
    worker = await startWorker(config);
    // The scheduler runs the catch-up as soon as the worker starts, not only at the next RECURRENCE_CRON tick.
    let tasks = await tasksTitled('Water the plants');
    for (let i = 0; i < 100 && tasks.length < 2; i++) {
      await sleep(100);
      tasks = await tasksTitled('Water the plants');
    }
    // Missed dates are skipped rather than made one by one: the next occurrence is today's, at 09:00 there.
    expect(tasks).toEqual([
      { status: 'done', due_at: dueInstant(day(-3), '09:00', ZONE), done: 2, total: 2 },
      { status: 'todo', due_at: dueInstant(day(0), '09:00', ZONE), done: 0, total: 2 },
    ]);
    // Running it again makes nothing more, and a series that ran out stays finished.
    const again = await runJob(config, QUEUES.reminders, 'catch-up-recurrences', {});
    expect(again.returnvalue).toEqual({ created: 0 });
    expect(await tasksTitled('Water the plants')).toHaveLength(2);
    expect(await tasksTitled('Ran out')).toHaveLength(1);
    const [ranOut] = await sql<{ finished: boolean }>(
      db.url,
      `SELECT finished_at IS NOT NULL AS finished FROM task_recurrences WHERE rule->>'count' = '1'`,
    );
    expect(ranOut).toEqual({ finished: true });
  });

  it('makes exactly one next occurrence when the job races other attempts at the same series', async () => {
    const { seriesId } = await doneSeries('Raced', day(-1));
    const pool = new pg.Pool({ connectionString: db.url, max: 6 });
    try {
      // The job and five concurrent attempts in transactions of their own, as API replicas would make them.
      const [job, ...direct] = await Promise.all([
        runJob(config, QUEUES.reminders, 'catch-up-recurrences', {}),
        ...[1, 2, 3, 4, 5].map(() =>
          inTransaction(pool, (client) => spawnNextOccurrence(client, seriesId, new Date())),
        ),
      ]);
      const created =
        direct.filter((r) => r.kind === 'created').length + (job!.returnvalue as { created: number }).created;
      expect(created).toBe(1);
      expect((await tasksTitled('Raced')).map((t) => t.status)).toEqual(['done', 'todo']);
      // The schema, not the lock, is what refuses a second successor of the same occurrence.
      const [{ occurrence_date: first } = { occurrence_date: '' }] = await sql<{ occurrence_date: string }>(
        db.url,
        `SELECT occurrence_date::text FROM recurrence_occurrences WHERE series_id = $1 AND follows_date IS NULL`,
        [seriesId],
      );
      await expect(
        sql(
          db.url,
          `INSERT INTO recurrence_occurrences (series_id, occurrence_date, follows_date) VALUES ($1, $2::date + 30, $2)`,
          [seriesId, first],
        ),
      ).rejects.toMatchObject({ code: '23505' });
    } finally {
      await pool.end();
    }
  });

  it("announces an occurrence it creates on the board's event stream, as the API does, and to subscribed webhooks", async () => {
    const { taskId } = await doneSeries('Feed the cat', day(-1));
    const pool = new pg.Pool({ connectionString: db.url, max: 1 });
    const hook = await insertWebhook(pool, new DataKeyring(config.DATA_ENCRYPTION_KEY), {
      workspaceId: ids.workspace!,
      url: 'https://hooks.example.test/in',
      description: '',
      events: ['task.created'],
      secret: 'whsec_test',
      createdBy: null,
    });
    await pool.end();
    const listener = createRedis(config.REDIS_URL);
    const reader = createRedis(config.REDIS_URL);
    const heard: string[] = [];
    listener.on('message', (_channel, message: string) => heard.push(message));
    await listener.subscribe(eventChannel(config.REDIS_PREFIX));
    try {
      const job = await runJob(config, QUEUES.reminders, 'catch-up-recurrences', {});
      expect(job.returnvalue).toEqual({ created: 1 });
      for (let i = 0; i < 50 && heard.length === 0; i++) await sleep(100);
      const [next] = await sql<{ id: string; number: number }>(
        db.url,
        `SELECT id, number FROM tasks WHERE title = 'Feed the cat' AND id <> $1`,
        [taskId],
      );
      expect(heard.map((message) => JSON.parse(message))).toEqual([
        {
          id: expect.stringMatching(/^\d+-\d+$/),
          workspaceId: ids.workspace,
          type: 'task.created',
          data: expect.any(String),
        },
      ]);
      const event = JSON.parse(heard[0]!) as { id: string; data: string };
      // The payload the API's own announcement carries: the task as the API shows it and the occurrence's date.
      expect(JSON.parse(event.data)).toEqual({
        projectId: ids.project,
        task: expect.objectContaining({
          id: next!.id,
          number: next!.number,
          title: 'Feed the cat',
          status: 'todo',
          dueAt: dueInstant(day(0), '09:00', ZONE).toISOString(),
          checklist: { done: 0, total: 2 },
          labelIds: [],
        }),
        recurrence: { occurrenceDate: day(0) },
      });
      // Kept in the workspace's history, so a board reconnecting with Last-Event-ID replays it.
      const history = await reader.xrange(eventStreamKey(config.REDIS_PREFIX, ids.workspace!), '-', '+');
      expect(history.map(([id]) => id)).toContain(event.id);
      // The running worker fans it out to the webhook subscribed to task.created.
      let deliveries: { event_id: string; event_type: string }[] = [];
      for (let i = 0; i < 100 && deliveries.length === 0; i++) {
        await sleep(100);
        deliveries = await sql(
          db.url,
          `SELECT event_id, event_type FROM webhook_deliveries WHERE webhook_id = $1`,
          [hook.id],
        );
      }
      expect(deliveries).toEqual([{ event_id: event.id, event_type: 'task.created' }]);
    } finally {
      listener.disconnect();
      reader.disconnect();
    }
  });
});
