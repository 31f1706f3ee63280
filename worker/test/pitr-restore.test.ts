import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withDatabase } from '@taskstack/db/testing';
import { QUEUES } from '@taskstack/queues';
import { Queue } from 'bullmq';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { backup, info } from '../src/pitr/pgbackrest.js';
import { RefusedBackupError } from '../src/backup/restore.js';
import { planRestore, restoreToMoment } from '../src/pitr/restore-to-moment.js';
import { startWorker, type WorkerHandle } from '../src/start.js';
import type { WorkerConfig } from '../src/config.js';
import { runJob, sql, testConfig } from './helpers.js';
import { startArchivingPostgres } from './pitr-server.js';

const exec = promisify(execFile);

/** The restore CLI as `npm run restore -- --to …` runs it, from worker/. */
function restoreCli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return exec('node', ['--conditions=@taskstack/source', '--import', 'tsx', 'src/cli/restore.ts', ...args], {
    cwd: join(import.meta.dirname, '..'),
    env: { ...process.env, DATABASE_URL: server.url, PITR_STANZA: server.pb.stanza },
  }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code: number; stdout: string; stderr: string }) => error,
  );
}

let server: Awaited<ReturnType<typeof startArchivingPostgres>>;
let config: WorkerConfig;
let worker: WorkerHandle;
beforeAll(async () => {
  server = await startArchivingPostgres();
  config = await testConfig(server.url, { PITR_STANZA: server.pb.stanza });
  worker = await startWorker(config);
}, 120_000);
afterAll(async () => {
  await worker?.close();
  await server?.stop();
});

const names = (url: string) =>
  sql<{ name: string }>(url, `SELECT name FROM workspaces ORDER BY name`).then((r) => r.map((x) => x.name));

describe('restore to a moment (real PostgreSQL and pgBackRest)', () => {
  it('schedules weekly full and daily differential pgBackRest backups, and the job creates the stanza', async () => {
    const queue = new Queue(QUEUES.backups, {
      connection: { url: config.REDIS_URL },
      prefix: config.REDIS_PREFIX,
    });
    const schedulers = await queue.getJobSchedulers();
    await queue.close();
    expect(
      schedulers
        .filter((s) => s.name === 'pitr-backup')
        .map((s) => [s.key, s.pattern])
        .sort(),
    ).toEqual([
      ['pitr-diff-backup', '0 3 * * 1-6'],
      ['pitr-full-backup', '0 3 * * 0'],
    ]);
    const job = await runJob(config, QUEUES.backups, 'pitr-backup', { type: 'full' });
    expect(job.failedReason).toBeUndefined();
    expect(job.returnvalue).toMatchObject({ type: 'full' });
    expect((await info(server.pb)).backups).toHaveLength(1);
  }, 120_000);

  it('keeps the archive lag under 90 s under steady writes, as the worker reports it to Prometheus', async () => {
    const metric = async (name: string) => {
      const text = await (await fetch(`${worker.url}/metrics`)).text();
      return Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1]);
    };
    await server.archiveNow();
    const samples: number[] = [];
    const points = new Set<number>();
    const until = Date.now() + 80_000;
    let i = 0;
    while (Date.now() < until) {
      await sql(server.url, `INSERT INTO workspaces (name) VALUES ($1)`, [`steady-${i++}`]);
      if (i % 10 === 0) {
        samples.push(await metric('worker_pitr_archive_lag_seconds'));
        points.add(await metric('worker_pitr_recovery_point_timestamp_seconds'));
      }
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    await sql(server.url, `DELETE FROM workspaces WHERE name LIKE 'steady-%'`);
    // Writes are pending between archive_timeout switches, so the lag rises above 0, then falls back.
    expect(Math.max(...samples)).toBeGreaterThan(0);
    expect(Math.max(...samples)).toBeLessThan(90);
    expect(points.size).toBeGreaterThan(1);
    expect(await metric('worker_pitr_archive_failing')).toBe(0);
  }, 150_000);

  it('brings back the rows written before T and none written after, keeping the previous data aside, with the app roles given their grants', async () => {
    // The app's DML-only role, as the stack has it: the copy comes without grants, so the restore gives them back.
    await sql(
      server.url,
      `DO $$ BEGIN CREATE ROLE pitr_app; EXCEPTION WHEN duplicate_object THEN NULL; END $$`,
    );
    const full = (await info(server.pb)).backups[0]!;
    await sql(server.url, `INSERT INTO workspaces (name) VALUES ('before-1'), ('before-2')`);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const t = (await sql<{ t: Date }>(server.url, `SELECT clock_timestamp() AS t`))[0]!.t;
    await new Promise((resolve) => setTimeout(resolve, 1100));
    await sql(server.url, `INSERT INTO workspaces (name) VALUES ('after-1')`);
    await sql(server.url, `UPDATE workspaces SET name = 'before-1-renamed-after' WHERE name = 'before-1'`);
    await server.archiveNow();

    const plan = await planRestore(server.pb, t);
    expect(plan.backup.label).toBe(full.label);
    expect(plan.walSegments).toBeGreaterThan(0);

    const lines: string[] = [];
    const result = await restoreToMoment(server.pb, t, {
      scratchDir: server.scratch,
      appRoles: ['pitr_app'],
      progress: (l) => lines.push(l),
    });
    expect(result.database).toBe('taskstack');
    expect(await names(server.url)).toEqual(['before-1', 'before-2']);
    const [grants] = await sql<{ read: boolean; write: boolean }>(
      server.url,
      `SELECT has_table_privilege('pitr_app', 'public.workspaces', 'SELECT') AS read,
              has_table_privilege('pitr_app', 'public.workspaces', 'UPDATE') AS write`,
    );
    expect(grants).toEqual({ read: true, write: true });
    expect(await names(withDatabase(server.url, result.previous!))).toEqual([
      'after-1',
      'before-1-renamed-after',
      'before-2',
    ]);
    expect(lines.join('\n')).toContain('replaying WAL up to');
  }, 180_000);

  it('dry run says which backup and how much WAL a restore would use, changing nothing', async () => {
    const before = await names(server.url);
    const dry = await restoreCli('--to', 'latest', '--dry-run');
    expect(dry.stderr).toBe('');
    expect(dry.stdout).toMatch(
      /^restore: dry run: would restore to the newest archived WAL from full backup \S+ \(finished .+\) and up to \d+ WAL segments \(\d+ MiB, [0-9A-F]{24} … [0-9A-F]{24}\)\n$/,
    );
    const bad = await restoreCli('--to', 'yesterday', '--dry-run');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(
      /^restore: refused: --to "yesterday" must be "latest" or an ISO time with a zone.*\n$/,
    );
    expect(await names(server.url)).toEqual(before);
  }, 60_000);

  it('refuses a moment later than the newest archived WAL and leaves the live data as it was', async () => {
    const before = await names(server.url);
    const future = new Date(Date.now() + 3600_000);
    await expect(restoreToMoment(server.pb, future, { scratchDir: server.scratch })).rejects.toThrow(
      RefusedBackupError,
    );
    await expect(planRestore(server.pb, new Date('2001-01-01T00:00:00Z'))).rejects.toThrow(/oldest backup/);
    expect(await names(server.url)).toEqual(before);
    const databases = await sql<{ datname: string }>(
      server.url,
      `SELECT datname FROM pg_database WHERE datname LIKE '%pitr%'`,
    );
    expect(databases).toEqual([]);
  });

  it('restores to the latest archived moment after a differential backup', async () => {
    await backup(server.pb, 'diff');
    await sql(server.url, `INSERT INTO workspaces (name) VALUES ('latest')`);
    await server.archiveNow();
    const result = await restoreToMoment(server.pb, 'latest', {
      scratchDir: server.scratch,
      keepAside: true,
    });
    expect(await names(withDatabase(server.url, result.database))).toContain('latest');
    expect((await info(server.pb)).backups.map((b) => b.type)).toEqual(['full', 'diff']);
  }, 180_000);
});
