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

/** A task of the seeded project, due `hours` from now, assigned to Ada unless `assignee` is null. */
async function task(
  label: string,
  hours: number | null,
  extra: { assignee?: string | null; status?: string; remindedSameDue?: boolean } = {},
) {
  const [row] = await sql<{ id: string }>(
    db.url,
    `INSERT INTO tasks (workspace_id, project_id, number, title, position, due_at, assignee_id, status, reminded_due_at)
     SELECT p.workspace_id, p.id, (SELECT count(*) + 1 FROM tasks), $1, 'a', now() + $2 * interval '1 hour', $3, $4::task_status,
            CASE WHEN $5 THEN now() + $2 * interval '1 hour' END
       FROM projects p RETURNING id`,
    [
      label,
      hours,
      extra.assignee === undefined ? ids.ada : extra.assignee,
      extra.status ?? 'todo',
      extra.remindedSameDue ?? false,
    ],
  );
  ids[label] = row!.id;
}

beforeAll(async () => {
  sink = await SmtpSink.start();
  db = await createTestDatabase();
  const [ada] = await sql<{ id: string }>(
    db.url,
    `INSERT INTO users (email, name, password_hash) VALUES ('ada@example.test', 'Ada', 'x') RETURNING id`,
  );
  ids.ada = ada!.id;
  await sql(
    db.url,
    `WITH w AS (INSERT INTO workspaces (name) VALUES ('W') RETURNING id),
          p AS (INSERT INTO projects (workspace_id, name) SELECT id, 'Apollo' FROM w)
     INSERT INTO memberships (workspace_id, user_id, role) SELECT id, $1, 'member' FROM w`,
    [ids.ada],
  );
  await task('due in 2 h', 2);
  await task('due in 23 h', 23);
  await task('due in 30 h', 30);
  await task('overdue', -1);
  await task('done', 2, { status: 'done' });
  await task('unassigned', 2, { assignee: null });
  await task('already reminded', 5, { remindedSameDue: true });
  config = await testConfig(db.url, { SMTP_URL: sink.url });
  worker = await startWorker(config);
});

afterAll(async () => {
  await worker?.close();
  await sink?.close();
  await db?.drop();
});

describe('due-date reminders', () => {
  it('emails the assignee of each open task due within 24 h, once per task per due date', async () => {
    const first = await runJob(config, QUEUES.reminders, 'scan-due-tasks', {});
    expect(first.returnvalue).toEqual({ reminded: 2 });
    await sink.waitFor((m) => m.subject.includes('due in 23 h'));
    await sink.waitFor((m) => m.subject.includes('due in 2 h'));
    const mail = sink.messages.find((m) => m.subject.includes('due in 2 h'))!;
    expect(mail.to).toEqual(['ada@example.test']);
    expect(mail.subject).toMatch(/^Due soon: Apollo #1 due in 2 h$/);
    expect(mail.text).toContain(`https://tasks.example.test/tasks/${ids['due in 2 h']}`);

    const second = await runJob(config, QUEUES.reminders, 'scan-due-tasks', {});
    expect(second.returnvalue).toEqual({ reminded: 0 });

    // Moving the due date re-arms the reminder.
    await sql(db.url, `UPDATE tasks SET due_at = due_at + interval '1 hour' WHERE id = $1`, [
      ids['due in 2 h'],
    ]);
    const third = await runJob(config, QUEUES.reminders, 'scan-due-tasks', {});
    expect(third.returnvalue).toEqual({ reminded: 1 });
    await sleep(1000);
    expect(sink.messages.map((m) => m.subject).sort()).toEqual([
      'Due soon: Apollo #1 due in 2 h',
      'Due soon: Apollo #1 due in 2 h',
      'Due soon: Apollo #2 due in 23 h',
    ]);
  });
});
