/**
 * Backups where Postgres takes TCP connections only over TLS (the stack's server): pg_dump and pg_restore verify
 * the server against the CA named in DATABASE_URL, as the worker's own connections do.
 */
import { createTestDatabase, prepareTemplateDatabase } from '@taskstack/db/testing';
import { startPostgres } from '@taskstack/devservices';
import { QUEUES } from '@taskstack/queues';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WorkerConfig } from '../src/config.js';
import { startWorker, type WorkerHandle } from '../src/start.js';
import { runJob, sql, testConfig } from './helpers.js';
import { seedDatabase } from './seed.js';

let server: Awaited<ReturnType<typeof startPostgres>>;
let db: Awaited<ReturnType<typeof createTestDatabase>>;
let config: WorkerConfig;
let worker: WorkerHandle;

beforeAll(async () => {
  server = await startPostgres({ tls: true });
  await prepareTemplateDatabase(server.url);
  db = await createTestDatabase(server.url);
  await seedDatabase(db.url, 20);
  config = await testConfig(db.url);
  worker = await startWorker(config);
}, 120_000);

afterAll(async () => {
  await worker?.close();
  await db?.drop();
  await server?.stop();
});

describe('backups over TLS', () => {
  it('dumps the database and verifies the dump by restoring it, each tool checking the server', async () => {
    const backup = await runJob(config, QUEUES.backups, 'backup', { reason: 'manual' });
    expect(backup.failedReason).toBeUndefined();
    const verify = await runJob(config, QUEUES.backups, 'verify-backup', {});
    expect(verify.failedReason).toBeUndefined();
    expect(verify.returnvalue).toMatchObject({ ok: true });
    const [row] = await sql<{ status: string; verification_status: string }>(
      db.url,
      'SELECT status, verification_status FROM backups',
    );
    expect(row).toEqual({ status: 'succeeded', verification_status: 'passed' });
  });
});
