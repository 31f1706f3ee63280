import { QUEUES } from '@taskstack/queues';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WorkerConfig } from '../src/config.js';
import { startWorker, type WorkerHandle } from '../src/start.js';
import { createTestDatabase, runJob, sql, testConfig } from './helpers.js';

let db: { url: string; drop: () => Promise<void> };
let config: WorkerConfig;
let worker: WorkerHandle;
let files: string;
let workspaces: { short: string; long: string };
let number = 0;

async function workspace(retentionDays: number) {
  const [row] = await sql<{ id: string }>(
    db.url,
    `INSERT INTO workspaces (name, trash_retention_days) VALUES ('W', $1) RETURNING id`,
    [retentionDays],
  );
  return row!.id;
}
const project = async (workspaceId: string, deletedDaysAgo: number | null = null) =>
  (
    await sql<{ id: string }>(
      db.url,
      `INSERT INTO all_projects (workspace_id, name, deleted_at) VALUES ($1, 'P', now() - $2 * interval '1 day')
        RETURNING id`,
      [workspaceId, deletedDaysAgo],
    )
  )[0]!.id;
/** A task trashed `deletedDaysAgo` (null: live), with one attachment whose file is on disk. */
async function task(workspaceId: string, projectId: string, deletedDaysAgo: number | null) {
  const [row] = await sql<{ id: string }>(
    db.url,
    `INSERT INTO all_tasks (workspace_id, project_id, number, title, position, deleted_at)
      VALUES ($1, $2, $3, 'T', 'a', now() - $4 * interval '1 day') RETURNING id`,
    [workspaceId, projectId, ++number, deletedDaysAgo],
  );
  const key = `${workspaceId}/${row!.id}/${randomUUID()}`;
  await sql(
    db.url,
    `INSERT INTO attachments (task_id, filename, content_type, size, storage_key) VALUES ($1, 'f', 'text/plain', 1, $2)`,
    [row!.id, key],
  );
  mkdirSync(dirname(join(files, key)), { recursive: true });
  writeFileSync(join(files, key), 'x');
  return { id: row!.id, file: join(files, key) };
}
const comment = async (taskId: string, deletedDaysAgo: number | null) =>
  (
    await sql<{ id: string }>(
      db.url,
      `INSERT INTO all_comments (task_id, body, deleted_at) VALUES ($1, 'c', now() - $2 * interval '1 day')
        RETURNING id`,
      [taskId, deletedDaysAgo],
    )
  )[0]!.id;
const exists = async (table: string, id: string) =>
  (await sql(db.url, `SELECT 1 FROM ${table} WHERE id = $1`, [id])).length > 0;

beforeAll(async () => {
  db = await createTestDatabase();
  files = mkdtempSync(join(tmpdir(), 'taskstack-trash-files-'));
  workspaces = { short: await workspace(7), long: await workspace(30) };
  config = await testConfig(db.url, { STORAGE_DRIVER: 'local', STORAGE_DIR: files });
  worker = await startWorker(config);
});

afterAll(async () => {
  await worker?.close();
  await db?.drop();
  rmSync(files, { recursive: true, force: true });
});

describe('trash purge', () => {
  it("purges what is past its workspace's retention with its files, keeps the rest, and is idempotent", async () => {
    const live = await project(workspaces.short);
    const liveTask = await task(workspaces.short, live, null);
    const expiredTask = await task(workspaces.short, live, 8);
    const recentTask = await task(workspaces.short, live, 6);
    const expiredComment = await comment(liveTask.id, 8);
    const liveComment = await comment(liveTask.id, null);
    // Trashed 8 days ago too, but this workspace keeps its trash 30 days.
    const longProject = await project(workspaces.long);
    const kept = await task(workspaces.long, longProject, 8);
    // A project purged with every task it holds, trashed with it or before.
    const doomed = await project(workspaces.short, 10);
    const doomedTask = await task(workspaces.short, doomed, 10);
    const doomedComment = await comment(doomedTask.id, null);

    const first = await runJob(config, QUEUES.reminders, 'purge-trash', {});
    expect(first.failedReason).toBeUndefined();
    expect(first.returnvalue).toEqual({ projects: 1, tasks: 2, comments: 1, files: 2 });

    expect(await exists('all_tasks', expiredTask.id)).toBe(false);
    expect(existsSync(expiredTask.file)).toBe(false);
    expect(await exists('all_projects', doomed)).toBe(false);
    expect(await exists('all_tasks', doomedTask.id)).toBe(false);
    expect(await exists('all_comments', doomedComment)).toBe(false);
    expect(existsSync(doomedTask.file)).toBe(false);
    expect(await exists('all_comments', expiredComment)).toBe(false);
    for (const id of [liveTask.id, recentTask.id, kept.id]) expect(await exists('all_tasks', id)).toBe(true);
    for (const file of [liveTask.file, recentTask.file, kept.file]) expect(existsSync(file)).toBe(true);
    expect(await exists('all_comments', liveComment)).toBe(true);

    const again = await runJob(config, QUEUES.reminders, 'purge-trash', {});
    expect(again.returnvalue).toEqual({ projects: 0, tasks: 0, comments: 0, files: 0 });
  });

  it('finishes a purge whose files were removed before a crash', async () => {
    const p = await project(workspaces.short);
    const gone = await task(workspaces.short, p, 9);
    rmSync(gone.file);
    const run = await runJob(config, QUEUES.reminders, 'purge-trash', {});
    expect(run.returnvalue).toEqual({ projects: 0, tasks: 1, comments: 0, files: 1 });
    expect(await exists('all_tasks', gone.id)).toBe(false);
  });

  it('is scheduled', async () => {
    const { Queue } = await import('bullmq');
    const queue = new Queue(QUEUES.reminders, {
      connection: { url: config.REDIS_URL },
      prefix: config.REDIS_PREFIX,
    });
    try {
      const scheduler = await queue.getJobScheduler('trash-purge');
      expect(scheduler).toMatchObject({ name: 'purge-trash', pattern: '15 3 * * *', tz: 'UTC' });
    } finally {
      await queue.close();
    }
  });
});
