import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withDatabase } from '@taskstack/db/testing';
import { startS3Server } from '@taskstack/devservices';
import { QUEUES } from '@taskstack/queues';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { info, repositories, verify } from '../src/pitr/pgbackrest.js';
import { restoreToMoment } from '../src/pitr/restore-to-moment.js';
import { startWorker, type WorkerHandle } from '../src/start.js';
import type { WorkerConfig } from '../src/config.js';
import { runJob, sql, testConfig } from './helpers.js';
import { startArchivingPostgres } from './pitr-server.js';

/**
 * Point-in-time recovery with a second pgBackRest repository in S3 (the stack's Spaces bucket), against s3rver over
 * HTTPS: WAL and backups go to both, verify reads both, and a moment comes back from the bucket alone once the
 * backup volume is lost.
 */
let s3: Awaited<ReturnType<typeof startS3Server>>;
let server: Awaited<ReturnType<typeof startArchivingPostgres>>;
let config: WorkerConfig;
let worker: WorkerHandle;
const BUCKET = 'offsite-backups';

beforeAll(async () => {
  s3 = await startS3Server('offsite', { tls: true });
  // What the stack's Postgres is given with S3 storage (stack/src/definition/render.ts).
  server = await startArchivingPostgres('taskstack', '60s', {
    PGBACKREST_REPO2_TYPE: 's3',
    PGBACKREST_REPO2_PATH: '/pitr',
    PGBACKREST_REPO2_S3_BUCKET: BUCKET,
    PGBACKREST_REPO2_S3_ENDPOINT: 'localhost',
    PGBACKREST_REPO2_STORAGE_PORT: String(s3.port),
    PGBACKREST_REPO2_S3_REGION: 'us-east-1',
    PGBACKREST_REPO2_S3_URI_STYLE: 'path',
    PGBACKREST_REPO2_S3_KEY: 'S3RVER',
    PGBACKREST_REPO2_S3_KEY_SECRET: 'S3RVER',
    PGBACKREST_REPO2_STORAGE_CA_FILE: s3.caFile!,
  });
  config = await testConfig(server.url, { PITR_STANZA: server.pb.stanza });
  worker = await startWorker(config);
}, 120_000);
afterAll(async () => {
  await worker?.close();
  await server?.stop();
  await s3?.close();
});

const names = (url: string) =>
  sql<{ name: string }>(url, `SELECT name FROM workspaces ORDER BY name`).then((r) => r.map((x) => x.name));

describe('point-in-time recovery with a copy in S3 (real pgBackRest, s3rver over TLS)', () => {
  it('backs up into the backup volume and the bucket alike, and verifies both', async () => {
    const job = await runJob(config, QUEUES.backups, 'pitr-backup', { type: 'full' });
    expect(job.failedReason).toBeUndefined();
    expect(await repositories(server.pb)).toEqual([1, 2]);
    expect((await info(server.pb)).backups.map((b) => [b.repo, b.type])).toEqual([
      [1, 'full'],
      [2, 'full'],
    ]);
    const verified = await verify(server.pb);
    expect(verified.problems).toEqual([]);
    expect(verified.output).toContain('--repo=2');
  }, 180_000);

  it('restores a moment from the bucket alone when the backup volume is lost', async () => {
    await sql(server.url, `INSERT INTO workspaces (name) VALUES ('before')`);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const t = (await sql<{ t: Date }>(server.url, `SELECT clock_timestamp() AS t`))[0]!.t;
    await new Promise((resolve) => setTimeout(resolve, 1100));
    await sql(server.url, `INSERT INTO workspaces (name) VALUES ('after')`);
    await server.archiveNow();
    rmSync(join(server.repo, 'backup'), { recursive: true, force: true });
    rmSync(join(server.repo, 'archive'), { recursive: true, force: true });

    const result = await restoreToMoment(server.pb, t, { scratchDir: server.scratch });
    expect(await names(server.url)).toEqual(['before']);
    expect(await names(withDatabase(server.url, result.previous!))).toEqual(['after', 'before']);
  }, 240_000);
});
