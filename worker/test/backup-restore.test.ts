import { QUEUES } from '@taskstack/queues';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dropDatabase } from '../src/backup/databases.js';
import { manifestSchema, type Manifest } from '../src/backup/manifest.js';
import { RefusedBackupError } from '../src/backup/restore.js';
import { restoreBackup } from '../src/backup/restore-backup.js';
import type { WorkerConfig } from '../src/config.js';
import { startWorker, type WorkerHandle } from '../src/start.js';
import { createTestDatabase, runJob, sql, testConfig } from './helpers.js';
import { seedDatabase, tableChecksums } from './seed.js';

const exec = promisify(execFile);

let db: { url: string; drop: () => Promise<void> };
let config: WorkerConfig;
let worker: WorkerHandle;
let before: Record<string, string>;
let dumpPath: string;
let manifest: Manifest;
const name = () => new URL(db.url).pathname.slice(1);
const databases = async () =>
  (
    await sql<{ datname: string }>(db.url, `SELECT datname FROM pg_database WHERE datname LIKE $1`, [
      `${name()}%`,
    ])
  )
    .map((r) => r.datname)
    .sort();

beforeAll(async () => {
  db = await createTestDatabase();
  await seedDatabase(db.url, 300);
  before = await tableChecksums(db.url);
  config = await testConfig(db.url);
  worker = await startWorker(config);
});

afterAll(async () => {
  await worker?.close();
  for (const other of (await databases()).filter((d) => d !== name())) await dropDatabase(db.url, other);
  await db?.drop();
});

/** Runs the restore CLI as `npm run restore` does, from worker/. */
function restoreCli(spec: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return exec('node', ['--conditions=@taskstack/source', '--import', 'tsx', 'src/cli/restore.ts', spec], {
    cwd: join(import.meta.dirname, '..'),
    env: { ...process.env, DATABASE_URL: db.url, BACKUP_DIR: config.BACKUP_DIR },
  }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code: number; stdout: string; stderr: string }) => error,
  );
}

/** A copy of the backup in a directory of its own, altered by `change`, with the original or a matching manifest. */
function alteredCopy(change: (bytes: Buffer) => Buffer, manifestMatches = false): string {
  const dir = mkdtempSync(join(tmpdir(), 'taskstack-altered-'));
  const path = join(dir, manifest.file);
  const bytes = change(readFileSync(dumpPath));
  writeFileSync(path, bytes);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  writeFileSync(
    `${path}.json`,
    JSON.stringify(manifestMatches ? { ...manifest, size: bytes.length, sha256 } : manifest),
  );
  return path;
}

describe('backup, verification and restore', () => {
  it('writes a checksummed dump and manifest and records the backup', async () => {
    const job = await runJob(config, QUEUES.backups, 'backup', { reason: 'manual' });
    expect(job.failedReason).toBeUndefined();
    const { file } = job.returnvalue as { file: string };
    expect(file).toMatch(new RegExp(`^${name()}-\\d{8}T\\d{6}Z\\.dump$`));
    expect(readdirSync(config.BACKUP_DIR).sort()).toEqual([file, `${file}.json`]);
    dumpPath = join(config.BACKUP_DIR, file);
    manifest = manifestSchema.parse(JSON.parse(readFileSync(`${dumpPath}.json`, 'utf8')));
    const bytes = readFileSync(dumpPath);
    expect(manifest.size).toBe(bytes.length);
    expect(manifest.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
    expect(manifest.tables).toMatchObject({
      // The tables behind the trash's views (tasks, comments: their live rows).
      'public.all_tasks': 300,
      'public.all_comments': 300,
      'public.backups': 1,
    });
    expect(manifest.serverVersion).toMatch(/^\d+\.\d+/);
    const [row] = await sql(db.url, 'SELECT * FROM backups');
    expect(row).toMatchObject({
      file,
      status: 'succeeded',
      size: String(bytes.length),
      sha256: manifest.sha256,
      location: 'local',
    });
    expect(row!.finished_at).toBeInstanceOf(Date);
  });

  it('verifies the newest backup by restoring it into a scratch database, then drops it', async () => {
    const job = await runJob(config, QUEUES.backups, 'verify-backup', {});
    expect(job.returnvalue).toMatchObject({ ok: true });
    const [row] = await sql(
      db.url,
      'SELECT verified_at, verification_status, verification_error FROM backups',
    );
    expect(row).toMatchObject({ verification_status: 'passed', verification_error: null });
    expect(row!.verified_at).toBeInstanceOf(Date);
    expect(await databases()).toEqual([name()]);
    const metrics = await (await fetch(`${worker.url}/metrics`)).text();
    expect(metrics).toMatch(/^worker_backup_verification_failed 0$/m);
    const lastSuccess = Number(/^worker_backup_last_success_timestamp_seconds (\S+)$/m.exec(metrics)?.[1]);
    expect(Math.abs(lastSuccess * 1000 - Date.now())).toBeLessThan(60_000);
    await worker.close();
  });

  it('refuses truncated, corrupt and wrong-version files and leaves the live database untouched', async () => {
    const truncated = alteredCopy((b) => b.subarray(0, Math.floor(b.length / 2)));
    await expect(restoreBackup(db.url, truncated)).rejects.toThrow(/truncated or altered/);
    const flipped = alteredCopy((b) => {
      const copy = Buffer.from(b);
      copy[copy.length - 100] = copy[copy.length - 100]! ^ 0xff;
      return copy;
    });
    await expect(restoreBackup(db.url, flipped)).rejects.toThrow(/does not match the sha256/);
    // Archive format version 1.99: the header names a pg_dump newer than this pg_restore.
    const newer = alteredCopy(
      (b) => Buffer.concat([b.subarray(0, 5), Buffer.from([1, 99, 0]), b.subarray(8)]),
      true,
    );
    const refusal = restoreBackup(db.url, newer);
    await expect(refusal).rejects.toBeInstanceOf(RefusedBackupError);
    await expect(refusal).rejects.toThrow(/cannot be read by pg_restore: .*unsupported version/);
    // A truncated file with a manifest that matches it gets past the checks; pg_restore fails and it is discarded.
    const cut = alteredCopy((b) => b.subarray(0, b.length - 2000), true);
    await expect(restoreBackup(db.url, cut)).rejects.toThrow(/pg_restore failed/);
    expect(await databases()).toEqual([name()]);
    const live = await tableChecksums(db.url);
    expect({ ...live, backups: '' }).toEqual({ ...before, backups: '' });
  });

  it('the restore CLI refuses a truncated file with one clear line', async () => {
    const truncated = alteredCopy((b) => b.subarray(0, 1000));
    const result = await restoreCli(truncated);
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toMatch(
      /^restore: refused: .* truncated or altered\. The live database was not touched\.$/,
    );
    expect(await databases()).toEqual([name()]);
  });

  it('restores every row into a new database and switches to it, keeping the old one aside', async () => {
    await sql(db.url, 'DELETE FROM comments');
    await sql(db.url, 'UPDATE tasks SET title = $1', ['changed after the backup']);
    // Through the CLI, by file name in BACKUP_DIR, as an operator would.
    const result = await restoreCli(manifest.file);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      /checking sha256[\s\S]*loading public\.all_tasks[\s\S]*row counts[\s\S]*switching[\s\S]*done in/,
    );
    const previous = /kept as database (\S+);/.exec(result.stdout)![1]!;
    const after = await tableChecksums(db.url);
    expect({ ...after, backups: '' }).toEqual({ ...before, backups: '' });
    // The dump's own row was "running" when dumped: the restore records what the manifest proves.
    expect(await sql(db.url, 'SELECT file, status, sha256 FROM backups')).toEqual([
      { file: manifest.file, status: 'succeeded', sha256: manifest.sha256 },
    ]);
    expect(await databases()).toEqual([name(), previous].sort());
    const aside = new URL(db.url);
    aside.pathname = `/${previous}`;
    expect(await sql(aside.toString(), 'SELECT count(*)::int AS n FROM comments')).toEqual([{ n: 0 }]);
  });
});
