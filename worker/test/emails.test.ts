import { SmtpSink } from '@taskstack/devservices';
import { EmailQueue, createRedis, QUEUES } from '@taskstack/queues';
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WorkerConfig } from '../src/config.js';
import { startWorker, type WorkerHandle } from '../src/start.js';
import { assertHandlers, MissingHandlerError } from '../src/workers.js';
import { createTestDatabase, sleep, testConfig } from './helpers.js';

let sink: SmtpSink;
let db: { url: string; drop: () => Promise<void> };
let config: WorkerConfig;
let worker: WorkerHandle;
let emails: EmailQueue;
let queue: Queue;

beforeAll(async () => {
  sink = await SmtpSink.start();
  db = await createTestDatabase();
  config = await testConfig(db.url, { SMTP_URL: sink.url });
  worker = await startWorker(config);
  const redis = createRedis(config.REDIS_URL);
  emails = new EmailQueue(redis, config.REDIS_PREFIX);
  queue = emails.queue;
});

afterAll(async () => {
  await worker?.close();
  await emails?.close();
  await sink?.close();
  await db?.drop();
});

const to = (tag: string) => `${tag}-${Date.now()}@example.test`;

describe('email jobs', () => {
  it('sends each template with its recipient, subject and link in both parts', async () => {
    const cases = [
      {
        name: 'welcome',
        data: { name: 'Ada', verifyUrl: 'https://tasks.example.test/verify?t=abc' },
        subject: /Confirm your email/,
        link: 'https://tasks.example.test/verify?t=abc',
      },
      {
        name: 'password-reset',
        data: { name: 'Ada', resetUrl: 'https://tasks.example.test/reset?t=r1' },
        subject: /Reset your taskstack password/,
        link: 'https://tasks.example.test/reset?t=r1',
      },
      {
        name: 'invitation',
        data: {
          inviterName: 'Bob',
          workspaceName: 'Acme <R&D>',
          role: 'member',
          acceptUrl: 'https://tasks.example.test/invite/i1',
        },
        subject: /Bob invited you to Acme <R&D>/,
        link: 'https://tasks.example.test/invite/i1',
      },
      {
        name: 'task-assigned',
        data: {
          name: 'Ada',
          assignerName: 'Bob',
          taskTitle: 'Ship it',
          taskRef: '#12',
          taskUrl: 'https://tasks.example.test/t/12',
        },
        subject: /#12 Ship it was assigned to you/,
        link: 'https://tasks.example.test/t/12',
      },
      {
        name: 'due-reminder',
        data: {
          name: 'Ada',
          taskTitle: 'Ship it',
          taskRef: '#12',
          dueAt: '2026-11-25 14:00 UTC',
          taskUrl: 'https://tasks.example.test/t/12',
        },
        subject: /Due soon: #12 Ship it/,
        link: 'https://tasks.example.test/t/12',
      },
    ] as const;
    for (const c of cases) {
      const address = to(c.name);
      await emails.send(c.name, { to: address, ...c.data } as never, `${c.name}-${address}`);
      const mail = await sink.waitFor((m) => m.to.includes(address));
      expect(mail.to).toEqual([address]);
      expect(mail.from).toBe('no-reply@taskstack.test');
      expect(mail.subject).toMatch(c.subject);
      expect(mail.text).toContain(c.link);
      expect(mail.html).toContain(`href="${c.link}"`);
    }
    // User-supplied names are escaped in HTML.
    const invite = sink.messages.find((m) => m.subject.includes('Acme'))!;
    expect(invite.html).toContain('Acme &lt;R&amp;D&gt;');
    expect(invite.html).not.toContain('<R&D>');
  });

  it('sends an email enqueued twice under the same id once', async () => {
    const address = to('twice');
    await emails.send(
      'password-reset',
      { to: address, name: 'A', resetUrl: 'https://x.test/r' },
      'reset:same',
    );
    await emails.send(
      'password-reset',
      { to: address, name: 'A', resetUrl: 'https://x.test/r' },
      'reset:same',
    );
    await sink.waitFor((m) => m.to.includes(address));
    await sleep(500);
    expect(sink.messages.filter((m) => m.to.includes(address))).toHaveLength(1);
  });

  it('does not retry a permanent (5xx) refusal', async () => {
    const address = to('perm');
    let tries = 0;
    sink.policy = (mail) =>
      mail.to.includes(address) ? (tries++, { code: 550, message: 'mailbox unavailable' }) : undefined;
    await emails.send('welcome', { to: address, name: 'P' }, `perm-${address}`);
    const job = await waitForState(`perm-${address}`, 'failed');
    expect(job.attemptsMade).toBe(1);
    expect(job.failedReason).toMatch(/refused permanently.*550/);
    await sleep(2500);
    expect(tries).toBe(1);
    sink.policy = () => undefined;
  });

  it('retries a temporary (4xx) refusal with backoff until it is delivered', async () => {
    const address = to('temp');
    let tries = 0;
    sink.policy = (mail) =>
      mail.to.includes(address) && ++tries === 1 ? { code: 451, message: 'try again later' } : undefined;
    await emails.send('welcome', { to: address, name: 'T' }, `temp-${address}`);
    await sink.waitFor((m) => m.to.includes(address), 15_000);
    await waitForState(`temp-${address}`, 'completed');
    expect(tries).toBe(2);
    expect(sink.messages.filter((m) => m.to.includes(address))).toHaveLength(1);
    sink.policy = () => undefined;
  });

  it('serves /health and /metrics with job counts by name', async () => {
    const health = await fetch(`${worker.url}/health`);
    expect(health.status).toBe(200);
    const metrics = await (await fetch(`${worker.url}/metrics`)).text();
    expect(metrics).toMatch(/worker_jobs_completed_total\{queue="emails",name="welcome"\} [1-9]/);
    expect(metrics).toMatch(/worker_jobs_failed_total\{queue="emails",name="welcome"\} [1-9]/);
    expect(metrics).toContain('worker_job_duration_seconds_bucket');
    expect(metrics).toMatch(/worker_queue_jobs\{queue="backups",state="waiting"\} \d/);
    expect(metrics).toContain('worker_backup_last_success_timestamp_seconds');
  });

  it('refuses to start a queue with a job name that has no handler', () => {
    expect(() =>
      assertHandlers(QUEUES.backups, ['backup', 'verify-backup'], { backup: async () => {} }),
    ).toThrow(new MissingHandlerError('queue backups: no handler for job "verify-backup"'));
  });
});

async function waitForState(jobId: string, state: 'completed' | 'failed') {
  for (let i = 0; i < 150; i++) {
    const job = await queue.getJob(jobId);
    if (job && (await job.getState()) === state) return job;
    await sleep(100);
  }
  throw new Error(`job ${jobId} did not reach ${state}`);
}
