import {
  backupJobs,
  createRedis,
  EmailQueue,
  emailJobs,
  EventPublisher,
  QUEUES,
  reminderJobs,
  transferJobs,
  WebhookQueue,
  webhookJobs,
  type QueueName,
} from '@taskstack/queues';
import { serverTlsOptions } from '@taskstack/config';
import { createLogger } from '@taskstack/runtime';
import { Queue, type Worker } from 'bullmq';
import pg from 'pg';
import { DataKeyring, logSealing, sealPendingSecrets } from '@taskstack/db';
import { backupState, hasWebhookFor, lastDrill, pruneDeliveries } from '@taskstack/db/repositories';
import { archiveStatus } from './pitr/archive-status.js';
import { s3StoreFrom } from './backup/s3-store.js';
import type { WorkerConfig } from './config.js';
import { createMailer } from './emails/mailer.js';
import { startHttp } from './http.js';
import { createMetrics } from './metrics.js';
import { upsertSchedulers } from './schedulers.js';
import { backupTask } from './tasks/backup.js';
import type { TaskContext } from './tasks/context.js';
import { catchUpRecurrencesTask } from './tasks/catch-up-recurrences.js';
import { scanDueTasksTask } from './tasks/scan-due-tasks.js';
import { deliverWebhookTask } from './tasks/deliver-webhook.js';
import { fanOutWebhooksTask } from './tasks/fan-out-webhooks.js';
import { sendDigestsTask } from './tasks/send-digests.js';
import { sendEmailTask } from './tasks/send-email.js';
import { purgeTrashTask } from './tasks/purge-trash.js';
import { exportWorkspaceTask } from './tasks/export-workspace.js';
import { importWorkspaceTask } from './tasks/import-workspace.js';
import { pruneTransfersTask } from './tasks/prune-transfers.js';
import { attachmentFilesFrom } from './trash/attachment-files.js';
import { pgbackrestFrom, pitrBackupTask } from './tasks/pitr-backup.js';
import { ensureStanza } from './pitr/pgbackrest.js';
import { pitrDrillTask } from './tasks/pitr-drill.js';
import { pitrJournalTask } from './tasks/pitr-journal.js';
import { verifyBackupTask } from './tasks/verify-backup.js';
import { assertHandlers, createQueueWorker, type Handler } from './workers.js';

/**
 * Knobs that are not configuration: tests shorten the lock so a killed worker's job is retried in seconds, and
 * let the restore drill pick a journal moment as soon as its WAL is archived.
 */
export type WorkerTuning = { lockDurationMs?: number; drillSettleMs?: number };

export type WorkerHandle = { url: string; close: () => Promise<void> };

/** The domain of MAIL_FROM, used to make Message-IDs that identify the job that sent them. */
function mailDomain(from: string, publicUrl: string): string {
  return /@([^>\s]+)>?\s*$/.exec(from)?.[1] ?? new URL(publicUrl).hostname;
}

/**
 * Starts one BullMQ worker per queue, the recurring schedules and the health/metrics endpoint. Refuses to start
 * when a declared job has no handler. `close()` stops taking jobs and waits for the ones in flight.
 */
export async function startWorker(config: WorkerConfig, tuning: WorkerTuning = {}): Promise<WorkerHandle> {
  const logger = createLogger('worker', config.LOG_LEVEL);
  const redis = createRedis(config.REDIS_URL, { forWorker: true });
  const prefix = config.REDIS_PREFIX;
  const queues = Object.fromEntries(
    Object.values(QUEUES).map((name) => [name, new Queue(name, { connection: redis, prefix })]),
  );
  const db = new pg.Pool({
    connectionString: config.DATABASE_URL,
    max: 4,
    application_name: 'taskstack-worker',
  });
  // An idle connection ended by Postgres (a restart, a restore's pg_terminate_backend) is an 'error' event on the pool;
  // unheard it would kill the worker. The pool drops that client and opens a new one on the next query.
  db.on('error', (err) => logger.warn({ err }, 'idle database connection closed by the server'));
  const metrics = createMetrics(
    Object.values(queues),
    config.PITR_STANZA ? () => archiveStatus(db) : undefined,
  );
  const mailer = createMailer(config.SMTP_URL, config.MAIL_FROM, config.WORKER_CONCURRENCY);
  const webhooks = new WebhookQueue(queues[QUEUES.webhooks]!);
  const ctx: TaskContext = {
    config,
    db,
    keyring: new DataKeyring(config.DATA_ENCRYPTION_KEY),
    emails: new EmailQueue(redis, prefix),
    webhooks,
    events: new EventPublisher(redis, prefix, {
      queue: webhooks,
      subscribed: (workspaceId, type) => hasWebhookFor(db, workspaceId, type),
    }),
    s3: s3StoreFrom(config),
    files: attachmentFilesFrom(config),
    metrics,
    logger,
  };
  const sendEmail = sendEmailTask(mailer, redis, prefix, mailDomain(config.MAIL_FROM, config.PUBLIC_URL));
  const handlers: Record<QueueName, Record<string, Handler>> = {
    emails: Object.fromEntries(Object.keys(emailJobs).map((name) => [name, sendEmail])),
    backups: {
      backup: backupTask(ctx),
      'verify-backup': verifyBackupTask(ctx),
      'pitr-backup': pitrBackupTask(ctx),
      'pitr-journal': pitrJournalTask(ctx),
      'pitr-drill': pitrDrillTask(ctx, { settleMs: tuning.drillSettleMs }),
    },
    reminders: {
      'scan-due-tasks': scanDueTasksTask(ctx),
      'send-digests': sendDigestsTask(ctx),
      'catch-up-recurrences': catchUpRecurrencesTask(ctx),
      'purge-trash': purgeTrashTask(ctx),
    },
    webhooks: {
      'fan-out': fanOutWebhooksTask(ctx),
      deliver: deliverWebhookTask(ctx),
      'prune-deliveries': async () => ({
        pruned: await pruneDeliveries(db, config.WEBHOOK_DELIVERY_RETENTION_DAYS),
      }),
    },
    transfers: {
      'export-workspace': exportWorkspaceTask(ctx),
      'import-workspace': importWorkspaceTask(ctx),
      'prune-transfers': pruneTransfersTask(ctx),
    },
  };
  const declared: Record<QueueName, string[]> = {
    [QUEUES.emails]: Object.keys(emailJobs),
    [QUEUES.backups]: Object.keys(backupJobs),
    [QUEUES.reminders]: Object.keys(reminderJobs),
    [QUEUES.webhooks]: Object.keys(webhookJobs),
    [QUEUES.transfers]: Object.keys(transferJobs),
  };
  const release = async () => {
    mailer.close();
    ctx.s3?.close();
    ctx.files.close();
    await ctx.emails.close();
    await Promise.all(Object.values(queues).map((q) => q.close()));
    await db.end();
    await redis.quit().catch(() => redis.disconnect());
  };
  try {
    for (const queue of Object.values(QUEUES)) assertHandlers(queue, declared[queue], handlers[queue]);
    // Like the api: seal what is still plain, finish a rotation, and refuse a key that cannot open the secrets
    // (TOTP secrets from before the keyring are left to the api, which alone holds the key they were sealed with).
    logSealing(logger, ctx.keyring, await sealPendingSecrets(db, ctx.keyring));
  } catch (error) {
    await release();
    throw error;
  }

  const state = await backupState(db);
  if (state.lastSuccess) metrics.lastBackup.set(state.lastSuccess.getTime() / 1000);
  metrics.verificationFailed.set(state.lastVerificationFailed ? 1 : 0);
  const drill = await lastDrill(db);
  metrics.drillFailed.set(drill?.status === 'failed' ? 1 : 0);
  metrics.drillLast.set((drill?.finishedAt?.getTime() ?? 0) / 1000);
  // One backup or verification at a time across every worker process: they share the server and the disk.
  await queues[QUEUES.backups]!.setGlobalConcurrency(1);
  await upsertSchedulers(config, queues);
  const pb = pgbackrestFrom(config);
  if (pb) {
    // The server starts archiving as soon as it runs, but archive-push fails until the stanza exists: WAL would pile
    // up on the server (and BackupRepositoryErrors fire) until the first scheduled backup. Idempotent, so every
    // start may do it; a failure is counted and retried by the next backup job.
    await ensureStanza(pb).catch((err: Error) => {
      metrics.pitrFailures.inc({ operation: 'stanza' });
      logger.error({ err: err.message }, 'pgbackrest stanza-create failed');
    });
  }

  const common = { connection: redis, prefix, metrics, logger, lockDurationMs: tuning.lockDurationMs };
  const workers: Worker[] = [
    createQueueWorker(QUEUES.emails, handlers[QUEUES.emails], {
      ...common,
      concurrency: config.WORKER_CONCURRENCY,
    }),
    createQueueWorker(QUEUES.backups, handlers[QUEUES.backups], { ...common, concurrency: 1 }),
    createQueueWorker(QUEUES.reminders, handlers[QUEUES.reminders], { ...common, concurrency: 1 }),
    // Deliveries mostly wait on receivers, so more run at once than jobs that work this machine.
    createQueueWorker(QUEUES.webhooks, handlers[QUEUES.webhooks], {
      ...common,
      concurrency: config.WORKER_CONCURRENCY * 4,
    }),
    // Imports and exports work this machine (disk, memory, one long transaction): two at a time. The lock is long
    // enough that a big import is not taken for stalled while it holds the event loop in a long statement.
    createQueueWorker(QUEUES.transfers, handlers[QUEUES.transfers], {
      ...common,
      concurrency: 2,
      lockDurationMs: tuning.lockDurationMs ?? 120_000,
    }),
  ];
  const http = await startHttp(
    config.WORKER_HTTP_PORT,
    config.HOST,
    metrics.registry,
    () => workers.every((w) => w.isRunning()),
    serverTlsOptions(config),
  );
  logger.info({ port: config.WORKER_HTTP_PORT, queues: Object.keys(declared) }, 'worker started');

  let closing: Promise<void> | undefined;
  return {
    url: http.url,
    close: () =>
      (closing ??= (async () => {
        await Promise.all(workers.map((w) => w.close()));
        await http.close();
        await release();
      })()),
  };
}
