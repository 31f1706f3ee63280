import { createTestDatabase } from '@taskstack/db/testing';
import { freePort } from '@taskstack/devservices';
import { Queue, QueueEvents, type Job } from 'bullmq';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { loadWorkerConfig, type WorkerConfig } from '../src/config.js';

/** A worker configuration on the test services, with its own Redis prefix and backup directory. */
export async function testConfig(
  databaseUrl: string,
  env: Record<string, string> = {},
): Promise<WorkerConfig> {
  const redisUrl = process.env.TEST_REDIS_URL;
  if (!redisUrl) throw new Error('TEST_REDIS_URL is not set: run tests through `npm test`');
  return loadWorkerConfig({
    DATABASE_URL: databaseUrl,
    REDIS_URL: redisUrl,
    REDIS_PREFIX: `t${randomBytes(5).toString('hex')}`,
    SMTP_URL: 'smtp://127.0.0.1:1',
    MAIL_FROM: 'taskstack <no-reply@taskstack.test>',
    PUBLIC_URL: 'https://tasks.example.test',
    BACKUP_DIR: mkdtempSync(join(tmpdir(), 'taskstack-backups-')),
    WORKER_HTTP_PORT: String(await freePort()),
    LOG_LEVEL: 'silent',
    DATA_ENCRYPTION_KEY: randomBytes(32).toString('base64url'),
    ...env,
  });
}

export { createTestDatabase };

/** Adds a job and resolves with it once it completed or failed for good. */
export async function runJob(
  config: WorkerConfig,
  queueName: string,
  name: string,
  data: object,
  opts: Parameters<Queue['add']>[2] = {},
): Promise<Job> {
  const queue = new Queue(queueName, { connection: { url: config.REDIS_URL }, prefix: config.REDIS_PREFIX });
  const events = new QueueEvents(queueName, {
    connection: { url: config.REDIS_URL },
    prefix: config.REDIS_PREFIX,
  });
  try {
    await events.waitUntilReady();
    const job = await queue.add(name, data, opts);
    await job.waitUntilFinished(events, 60_000).catch(() => {});
    return (await queue.getJob(job.id!))!;
  } finally {
    await events.close();
    await queue.close();
  }
}

/** Runs SQL on a database with a short-lived client. */
export async function sql<T extends pg.QueryResultRow>(
  url: string,
  text: string,
  values: unknown[] = [],
): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(text, values)).rows;
  } finally {
    await client.end();
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
