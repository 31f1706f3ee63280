/**
 * `npm run bench -w @taskstack/worker`: prints (a) email jobs/s end to end into an SMTP sink beside raw BullMQ
 * no-op jobs/s, and (b) a backup job's wall time against a plain `pg_dump -Fc` of the same database, alternated
 * over several rounds (the machine is shared, so single timings are noisy), and the worker's peak RSS meanwhile.
 * BENCH_DB_MB sets the database size (default 400 MiB: minutes on 2 cores), BENCH_ROUNDS the rounds (3).
 */
import { EMAIL_JOB_OPTIONS, QUEUES } from '@taskstack/queues';
import { Queue, QueueEvents, Worker } from 'bullmq';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { libpqEnv, pgTool, serverVersion, withClient } from '../src/backup/pg-tools.js';
import { seedBulk, startServices } from './services.js';
import { buildWorker, startWorkerProcess } from './worker-process.js';

const EMAILS = Number(process.env.BENCH_EMAILS ?? 2000);
const NOOPS = Number(process.env.BENCH_NOOPS ?? 5000);
const DB_MB = Number(process.env.BENCH_DB_MB ?? 400);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONCURRENCY = 5;
const rate = (n: number, ms: number) =>
  `${((n / ms) * 1000).toFixed(0)} jobs/s (${n} in ${(ms / 1000).toFixed(2)} s)`;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

buildWorker();
const services = await startServices();
const backupDir = mkdtempSync(join(tmpdir(), 'taskstack-bench-'));
const prefix = `bench${process.pid}`;
const connection = { url: services.redisUrl };
const workerEnv = {
  DATABASE_URL: services.databaseUrl,
  REDIS_URL: services.redisUrl,
  REDIS_PREFIX: prefix,
  SMTP_URL: services.sink.url,
  BACKUP_DIR: backupDir,
  WORKER_CONCURRENCY: String(CONCURRENCY),
  BACKUP_KEEP_DAILY: '100',
  DATA_ENCRYPTION_KEY: randomBytes(32).toString('base64url'),
};

async function noopRate(): Promise<number> {
  const queue = new Queue('bench-noop', { connection, prefix });
  let done = 0;
  let allDone!: () => void;
  const finished = new Promise<void>((r) => (allDone = r));
  const worker = new Worker('bench-noop', async () => {}, { connection, prefix, concurrency: CONCURRENCY });
  worker.on('completed', () => ++done === NOOPS && allDone());
  const started = Date.now();
  await queue.addBulk(Array.from({ length: NOOPS }, (_, i) => ({ name: 'noop', data: { i } })));
  await finished;
  const ms = Date.now() - started;
  await worker.close();
  await queue.close();
  return ms;
}

/** Enqueued as the API does; rendered and sent over SMTP by the worker process; timed until the sink has all. */
async function emailRate(): Promise<number> {
  const worker = await startWorkerProcess(workerEnv);
  const emails = new Queue(QUEUES.emails, { connection, prefix });
  const started = Date.now();
  await emails.addBulk(
    Array.from({ length: EMAILS }, (_, i) => ({
      name: 'task-assigned',
      data: {
        to: `u${i}@bench.test`,
        name: 'U',
        assignerName: 'A',
        taskTitle: `Task ${i}`,
        taskRef: `Bench #${i}`,
        taskUrl: `https://bench.test/tasks/${i}`,
      },
      opts: { ...EMAIL_JOB_OPTIONS, jobId: `bench-${i}` },
    })),
  );
  while (services.sink.messages.length < EMAILS) await new Promise((r) => setTimeout(r, 20));
  const ms = Date.now() - started;
  await emails.close();
  await worker.stop();
  return ms;
}

try {
  const noopMs = await noopRate();
  const emailMs = await emailRate();
  console.log(`(a) raw BullMQ no-op jobs:     ${rate(NOOPS, noopMs)}`);
  console.log(`(a) email jobs into SMTP sink: ${rate(EMAILS, emailMs)} (concurrency ${CONCURRENCY})`);

  let started = Date.now();
  const size = await seedBulk(services.databaseUrl, DB_MB);
  console.log(`(b) database seeded: ${size} in ${seconds(Date.now() - started)}`);
  const { major } = await withClient(services.databaseUrl, serverVersion);
  const pgDump = (await pgTool('pg_dump', major)).path;
  const worker = await startWorkerProcess(workerEnv);
  const backups = new Queue(QUEUES.backups, { connection, prefix });
  const events = new QueueEvents(QUEUES.backups, { connection, prefix });
  await events.waitUntilReady();
  const idle = worker.rssMiB();
  let peak = idle;
  const plain: number[] = [];
  const piped: number[] = [];
  const timed = (command: string, args: string[]) => {
    const start = Date.now();
    execFileSync(command, args, { env: libpqEnv(services.databaseUrl) });
    const ms = Date.now() - start;
    rmSync(join(backupDir, 'plain.dump'));
    return ms;
  };
  const job: number[] = [];
  let fileSize = 0;
  for (let round = 0; round < ROUNDS; round++) {
    plain.push(timed(pgDump, ['--format=custom', '--file', join(backupDir, 'plain.dump')]));
    // The same, written through a pipe as the worker reads it: tells pipe-vs-file effects from the worker's own cost.
    piped.push(
      timed('bash', ['-c', `"${pgDump}" --format=custom | cat > "${join(backupDir, 'plain.dump')}"`]),
    );
    const sampler = setInterval(() => (peak = Math.max(peak, worker.rssMiB())), 50);
    started = Date.now();
    const added = await backups.add('backup', { reason: 'manual' });
    fileSize = ((await added.waitUntilFinished(events)) as { size: number }).size;
    job.push(Date.now() - started);
    clearInterval(sampler);
  }
  await events.close();
  await backups.close();
  await worker.stop();
  console.log(
    `(b) plain pg_dump -Fc:         ${plain.map(seconds).join(', ')} (median ${seconds(median(plain))})`,
  );
  console.log(
    `(b) pg_dump -Fc | cat > file:   ${piped.map(seconds).join(', ')} (median ${seconds(median(piped))})`,
  );
  console.log(
    `(b) backup job, enqueue → done: ${job.map(seconds).join(', ')} (median ${seconds(median(job))}), ` +
      `file ${(fileSize / 1048576).toFixed(0)} MiB`,
  );
  console.log(
    `(b) ratio of medians job/plain: ${(median(job) / median(plain)).toFixed(2)} (target ≤ 1.10); vs the piped dump ${(median(job) / median(piped)).toFixed(2)}`,
  );
  console.log(
    `(b) worker RSS: ${idle.toFixed(0)} MiB idle, peak ${peak.toFixed(0)} MiB during backups (target < 150 MiB)`,
  );
} finally {
  rmSync(backupDir, { recursive: true, force: true });
  await services.stop();
}
