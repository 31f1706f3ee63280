import { SmtpSink } from '@taskstack/devservices';
import { createRedis, QUEUES } from '@taskstack/queues';
import { Queue } from 'bullmq';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pgTool } from '../src/backup/pg-tools.js';
import { startWorker } from '../src/start.js';
import { createTestDatabase, runJob, sleep, sql, testConfig } from './helpers.js';

let sink: SmtpSink;
let db: { url: string; drop: () => Promise<void> };

beforeAll(async () => {
  sink = await SmtpSink.start();
  db = await createTestDatabase();
  await sql(
    db.url,
    `INSERT INTO users (email, name, password_hash, is_instance_admin) VALUES ('root@example.test', 'Root', 'x', true)`,
  );
});

afterAll(async () => {
  await sink?.close();
  await db?.drop();
});

describe('backup operations', () => {
  it('a failed backup is recorded, counted in /metrics and emailed to the instance admins', async () => {
    const notADirectory = join(mkdtempSync(join(tmpdir(), 'taskstack-')), 'file');
    writeFileSync(notADirectory, '');
    const config = await testConfig(db.url, {
      SMTP_URL: sink.url,
      BACKUP_DIR: notADirectory,
      ADMIN_EMAILS: 'ops@example.test',
    });
    const worker = await startWorker(config);
    try {
      const job = await runJob(config, QUEUES.backups, 'backup', { reason: 'manual' });
      expect(job.failedReason).toMatch(/ENOTDIR|EEXIST/);
      const [row] = await sql(db.url, `SELECT status, error, finished_at FROM backups`);
      expect(row).toMatchObject({ status: 'failed', error: expect.stringMatching(/^dump failed: /) });
      const mail = await sink.waitFor((m) => m.subject === 'taskstack backup FAILED');
      expect(mail.to.sort()).toEqual(['ops@example.test', 'root@example.test']);
      expect(mail.text).toContain('dump failed');
      const metrics = await (await fetch(`${worker.url}/metrics`)).text();
      expect(metrics).toMatch(/^worker_backup_failures_total 1$/m);
      expect(metrics).toMatch(/worker_jobs_failed_total\{queue="backups",name="backup"\} 1/);
    } finally {
      await worker.close();
    }
  });

  it('refuses a pg_dump whose major version differs from the server, naming what to install', async () => {
    await expect(pgTool('pg_dump', 99)).rejects.toThrow(
      /^pg_dump \d+\.\d+ does not match the PostgreSQL 99 server: install postgresql-client-99$/,
    );
  });

  it('close() lets the backup in flight finish before returning', async () => {
    const config = await testConfig(db.url, { SMTP_URL: sink.url });
    const worker = await startWorker(config);
    const queue = new Queue(QUEUES.backups, {
      connection: createRedis(config.REDIS_URL),
      prefix: config.REDIS_PREFIX,
    });
    try {
      const job = await queue.add('backup', { reason: 'manual' });
      while ((await job.getState()) !== 'active') await sleep(10);
      await worker.close();
      expect(await job.getState()).toBe('completed');
      expect(await sql(db.url, `SELECT status FROM backups WHERE status <> 'failed'`)).toEqual([
        { status: 'succeeded' },
      ]);
    } finally {
      await queue.close();
    }
  });
});
