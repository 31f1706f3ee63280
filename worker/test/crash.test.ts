import { freePort, SmtpSink } from '@taskstack/devservices';
import { createRedis, EmailQueue, QUEUES } from '@taskstack/queues';
import { Queue } from 'bullmq';
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WorkerConfig } from '../src/config.js';
import { startWorker, type WorkerHandle } from '../src/start.js';
import { createTestDatabase, sleep, testConfig } from './helpers.js';

let sink: SmtpSink;
let db: { url: string; drop: () => Promise<void> };
const handles: WorkerHandle[] = [];

beforeAll(async () => {
  sink = await SmtpSink.start();
  db = await createTestDatabase();
});

afterAll(async () => {
  for (const handle of handles) await handle.close();
  await sink?.close();
  await db?.drop();
});

/** An SMTP server that accepts connections and never answers: a send to it is stuck mid-job. */
async function tarpit(): Promise<{ url: string; connected: Promise<void>; close: () => Promise<void> }> {
  const sockets: Socket[] = [];
  let resolve!: () => void;
  const connected = new Promise<void>((r) => (resolve = r));
  const server: Server = createServer((socket) => {
    sockets.push(socket);
    resolve();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  return {
    url: `smtp://127.0.0.1:${port}`,
    connected,
    close: () => new Promise((r) => (sockets.forEach((s) => s.destroy()), server.close(() => r()))),
  };
}

/** Starts the worker fixture in its own process and resolves once it works the queues. */
async function spawnWorker(config: WorkerConfig, env: Record<string, string>): Promise<ChildProcess> {
  const child = spawn(
    'node',
    ['--conditions=@taskstack/source', '--import', 'tsx', 'test/fixtures/worker-process.ts'],
    {
      cwd: join(import.meta.dirname, '..'),
      env: {
        ...process.env,
        DATABASE_URL: config.DATABASE_URL,
        REDIS_URL: config.REDIS_URL,
        REDIS_PREFIX: config.REDIS_PREFIX,
        BACKUP_DIR: config.BACKUP_DIR,
        DATA_ENCRYPTION_KEY: config.DATA_ENCRYPTION_KEY.join(','),
        LOG_LEVEL: 'silent',
        WORKER_HTTP_PORT: String(await freePort()),
        ...env,
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => chunk.toString().includes('ready') && resolve());
    child.once('exit', (code) => reject(new Error(`worker fixture exited (${code})`)));
  });
  return child;
}

describe('crash safety', () => {
  it('retries a job whose worker was killed with SIGKILL mid-job, and finishes it exactly once', async () => {
    const config = await testConfig(db.url, { SMTP_URL: sink.url });
    const pit = await tarpit();
    const child = await spawnWorker(config, { SMTP_URL: pit.url });
    const emails = new EmailQueue(createRedis(config.REDIS_URL), config.REDIS_PREFIX);
    try {
      await emails.send('welcome', { to: 'crash@example.test', name: 'C' }, 'welcome-crash');
      await pit.connected;
      expect(await (await emails.queue.getJob('welcome-crash'))!.getState()).toBe('active');
      child.kill('SIGKILL');
      handles.push(await startWorker(config, { lockDurationMs: 1000 }));
      await sink.waitFor((m) => m.to.includes('crash@example.test'), 15_000);
      await sleep(2500);
      const job = (await emails.queue.getJob('welcome-crash'))!;
      expect(await job.getState()).toBe('completed');
      expect(sink.messages.filter((m) => m.to.includes('crash@example.test'))).toHaveLength(1);
    } finally {
      child.kill('SIGKILL');
      await emails.close();
      await pit.close();
    }
  });

  it('never runs two backups at once, even with two workers', async () => {
    const config = await testConfig(db.url, { SMTP_URL: sink.url });
    const child = await spawnWorker(config, { SMTP_URL: sink.url });
    handles.push(await startWorker(config));
    const queue = new Queue(QUEUES.backups, {
      connection: createRedis(config.REDIS_URL),
      prefix: config.REDIS_PREFIX,
    });
    try {
      const jobs = await queue.addBulk(
        [1, 2, 3, 4].map(() => ({ name: 'backup', data: { reason: 'manual' } })),
      );
      let finished: Awaited<ReturnType<Queue['getJob']>>[] = [];
      for (let i = 0; i < 300 && finished.length < jobs.length; i++) {
        await sleep(100);
        finished = (await Promise.all(jobs.map((j) => queue.getJob(j.id!)))).filter((j) => j?.finishedOn);
      }
      expect(finished.map((j) => j!.failedReason)).toEqual([undefined, undefined, undefined, undefined]);
      expect(new Set(finished.map((j) => (j!.returnvalue as { file: string }).file)).size).toBe(4);
      const spans = finished.map((j) => [j!.processedOn!, j!.finishedOn!]).sort((a, b) => a[0]! - b[0]!);
      for (let i = 1; i < spans.length; i++) expect(spans[i]![0]).toBeGreaterThanOrEqual(spans[i - 1]![1]!);
    } finally {
      child.kill('SIGTERM');
      await queue.close();
    }
  });
});
