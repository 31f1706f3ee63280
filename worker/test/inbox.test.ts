import { SmtpSink } from '@taskstack/devservices';
import { QUEUES } from '@taskstack/queues';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WorkerConfig } from '../src/config.js';
import { startWorker, type WorkerHandle } from '../src/start.js';
import { createTestDatabase, runJob, sleep, sql, testConfig } from './helpers.js';

let sink: SmtpSink;
let db: { url: string; drop: () => Promise<void> };
let config: WorkerConfig;
let worker: WorkerHandle;
const ids: Record<string, string> = {};

/** A member of the seeded workspace with an email preference. */
async function member(name: string, preference: string) {
  const [user] = await sql<{ id: string }>(
    db.url,
    `INSERT INTO users (email, name, password_hash, email_notifications) VALUES ($1, $2, 'x', $3) RETURNING id`,
    [`${name.toLowerCase()}@example.test`, name, preference],
  );
  await sql(db.url, `INSERT INTO memberships (workspace_id, user_id, role) VALUES ($1, $2, 'member')`, [
    ids.workspace,
    user!.id,
  ]);
  ids[name] = user!.id;
}

/** An unread inbox item of `user` (a mention by Ada on the seeded task). */
const mention = (user: string, excerpt: string) =>
  sql(
    db.url,
    `INSERT INTO notifications (user_id, workspace_id, task_id, actor_id, kind, excerpt)
     VALUES ($1, $2, $3, $4, 'mentioned', $5)`,
    [ids[user], ids.workspace, ids.task, ids.Ada, excerpt],
  );

beforeAll(async () => {
  sink = await SmtpSink.start();
  db = await createTestDatabase();
  const [row] = await sql<{ workspace_id: string; project_id: string }>(
    db.url,
    `WITH w AS (INSERT INTO workspaces (name) VALUES ('W') RETURNING id)
     INSERT INTO projects (workspace_id, name) SELECT id, 'Apollo' FROM w RETURNING workspace_id, id AS project_id`,
  );
  ids.workspace = row!.workspace_id;
  await member('Ada', 'immediately');
  await member('Dee', 'daily');
  await member('Nev', 'never');
  const [task] = await sql<{ id: string }>(
    db.url,
    `INSERT INTO tasks (workspace_id, project_id, number, title, position, due_at, assignee_id)
     VALUES ($1, $2, 1, 'Launch', 'a', now() + interval '2 hours', $3) RETURNING id`,
    [ids.workspace, row!.project_id, ids.Nev],
  );
  ids.task = task!.id;
  config = await testConfig(db.url, { SMTP_URL: sink.url });
  worker = await startWorker(config);
});

afterAll(async () => {
  await worker?.close();
  await sink?.close();
  await db?.drop();
});

describe('inbox emails', () => {
  it('puts a due-soon item in the inbox, and emails nothing to a member whose preference is never', async () => {
    const scan = await runJob(config, QUEUES.reminders, 'scan-due-tasks', {});
    expect(scan.returnvalue).toEqual({ reminded: 1 });
    const items = await sql(db.url, `SELECT kind, excerpt FROM notifications WHERE user_id = $1`, [ids.Nev]);
    expect(items).toEqual([{ kind: 'due_soon', excerpt: expect.stringMatching(/^Due \d{4}-\d\d-\d\d/) }]);
    await mention('Nev', 'never emailed');
    const digests = await runJob(config, QUEUES.reminders, 'send-digests', {});
    expect(digests.returnvalue).toEqual({ sent: 0 });
    await sleep(1000);
    expect(sink.messages.filter((m) => m.to.includes('nev@example.test'))).toEqual([]);
  });

  it('sends a digest reader one digest a day of their unread items, and nobody else one', async () => {
    await mention('Dee', 'first thing');
    await mention('Dee', 'second thing');
    await mention('Ada', 'already emailed at once');
    await sql(db.url, `UPDATE notifications SET emailed_at = now() WHERE user_id = $1`, [ids.Ada]);
    await sql(
      db.url,
      `INSERT INTO notifications (user_id, workspace_id, task_id, actor_id, kind, excerpt, read_at)
       VALUES ($1, $2, $3, $4, 'mentioned', 'read already', now())`,
      [ids.Dee, ids.workspace, ids.task, ids.Ada],
    );
    const first = await runJob(config, QUEUES.reminders, 'send-digests', {});
    expect(first.returnvalue).toEqual({ sent: 1 });
    const mail = await sink.waitFor((m) => m.to.includes('dee@example.test'));
    expect(mail.subject).toBe('Your taskstack digest: 2 unread');
    expect(mail.text).toContain('Ada mentioned you on Apollo #1 Launch: second thing');
    expect(mail.text).toContain('first thing');
    expect(mail.text).not.toContain('read already');
    expect(mail.text).toContain(`https://tasks.example.test/tasks/${ids.task}`);

    // Later the same day: a new item waits for tomorrow's digest.
    await mention('Dee', 'third thing');
    const again = await runJob(config, QUEUES.reminders, 'send-digests', {});
    expect(again.returnvalue).toEqual({ sent: 0 });
    await sleep(1000);
    expect(sink.messages.filter((m) => m.to.includes('dee@example.test'))).toHaveLength(1);
    expect(sink.messages.filter((m) => m.to.includes('ada@example.test'))).toEqual([]);
    const [day] = await sql<{ items: number }>(
      db.url,
      `SELECT items FROM digest_deliveries WHERE user_id = $1`,
      [ids.Dee],
    );
    expect(day).toEqual({ items: 2 });
  });
});
