import { QUEUES } from '@taskstack/queues';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listLocalBackups } from '../src/backup/local-store.js';
import { pruneBackups } from '../src/backup/prune.js';
import { locateBackup, restoreBackup } from '../src/backup/restore-backup.js';
import { S3BackupStore, s3StoreFrom } from '../src/backup/s3-store.js';
import type { WorkerConfig } from '../src/config.js';
import { startWorker, type WorkerHandle } from '../src/start.js';
import { calendar, EXPECTED_AFTER_400_DAYS } from './calendar.js';
import { createTestDatabase, runJob, sql, testConfig } from './helpers.js';
import { startS3Server } from '@taskstack/devservices';
import { seedDatabase, tableChecksums } from './seed.js';

let s3: Awaited<ReturnType<typeof startS3Server>>;
let db: { url: string; drop: () => Promise<void> };
let config: WorkerConfig;
let worker: WorkerHandle;
let store: S3BackupStore;
let file: string;

beforeAll(async () => {
  s3 = await startS3Server('uploads');
  db = await createTestDatabase();
  await seedDatabase(db.url, 50);
  config = await testConfig(db.url, { ...s3.env, S3_BACKUP_PREFIX: 'db/' });
  store = s3StoreFrom(config)!;
  worker = await startWorker(config);
});

afterAll(async () => {
  await worker?.close();
  store?.close();
  await db?.drop();
  await s3?.close();
});

describe('backup copies in S3-compatible storage', () => {
  it('uploads each backup and its manifest and records where it is', async () => {
    const job = await runJob(config, QUEUES.backups, 'backup', { reason: 'manual' });
    file = (job.returnvalue as { file: string }).file;
    expect(await store.list()).toEqual([file]);
    const [row] = await sql(db.url, 'SELECT location, status FROM backups');
    expect(row).toEqual({ status: 'succeeded', location: `local+s3://uploads-backups/db/${file}` });
    // The backups' bucket of their own, never the uploads' one the api holds a key to.
    expect(await s3.keys()).toEqual([]);
    expect(await s3.keys('uploads-backups')).toEqual([`db/${file}`, `db/${file}.json`]);
    const copyDir = mkdtempSync(join(tmpdir(), 'taskstack-copy-'));
    await store.download(file, copyDir);
    expect(readFileSync(join(copyDir, file))).toEqual(readFileSync(join(config.BACKUP_DIR, file)));
  });

  it('verifies a backup that is only left remotely', async () => {
    rmSync(join(config.BACKUP_DIR, file));
    rmSync(join(config.BACKUP_DIR, `${file}.json`));
    const job = await runJob(config, QUEUES.backups, 'verify-backup', {});
    expect(job.returnvalue).toMatchObject({ ok: true });
    expect(readdirSync(config.BACKUP_DIR)).toEqual([]);
  });

  it('restores in place from an object key', async () => {
    await worker.close();
    const before = await tableChecksums(db.url);
    await sql(db.url, 'DELETE FROM comments');
    const path = await locateBackup(`db/${file}`, config.BACKUP_DIR, store, () => {});
    expect(path).toBe(join(config.BACKUP_DIR, '.restore', file));
    const result = await restoreBackup(db.url, path, { inPlace: true });
    expect(result.previous).toBeUndefined();
    const after = await tableChecksums(db.url);
    expect({ ...after, backups: '' }).toEqual({ ...before, backups: '' });
  });

  it('applies the retention policy to local and remote copies alike over 400 days', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'taskstack-calendar-'));
    const remote = s3StoreFrom({ ...config, S3_BACKUP_PREFIX: 'calendar/' })!;
    const policy = { daily: 7, weekly: 4, monthly: 6 };
    try {
      for (const name of calendar('2025-01-01', 400)) {
        writeFileSync(join(dir, name), name);
        writeFileSync(join(dir, `${name}.json`), '{}');
        await remote.upload(dir, name);
        await pruneBackups(dir, policy, remote);
      }
      expect((await listLocalBackups(dir)).sort()).toEqual(EXPECTED_AFTER_400_DAYS);
      expect(readdirSync(dir)).toHaveLength(2 * EXPECTED_AFTER_400_DAYS.length);
      expect((await remote.list()).sort()).toEqual(EXPECTED_AFTER_400_DAYS);
    } finally {
      remote.close();
    }
  }, 120_000);
});
