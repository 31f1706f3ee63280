import { QUEUES } from '@taskstack/queues';
import type { JobsOptions, Queue } from 'bullmq';
import type { WorkerConfig } from './config.js';

const keepHistory = { removeOnComplete: { count: 200 }, removeOnFail: { count: 200 } };

/** A failed nightly backup is retried twice, minutes apart (jittered so replicas of a fleet do not align). */
export const BACKUP_JOB_OPTIONS: JobsOptions = {
  attempts: 3,
  backoff: { type: 'exponential', delay: 5 * 60_000, jitter: 0.3 },
  ...keepHistory,
};

/**
 * Registers the recurring jobs (idempotent: `upsertJobScheduler` replaces a scheduler of the same id, so every
 * worker replica can call it at start-up and a changed cron takes effect on the next deploy). Times are UTC.
 */
export async function upsertSchedulers(config: WorkerConfig, queues: Record<string, Queue>): Promise<void> {
  const backups = queues[QUEUES.backups]!;
  const reminders = queues[QUEUES.reminders]!;
  // A missed prune is made up by the next one.
  await queues[QUEUES.transfers]!.upsertJobScheduler(
    'prune-transfers',
    { pattern: config.TRANSFER_PRUNE_CRON, tz: 'UTC' },
    { name: 'prune-transfers', data: {}, opts: keepHistory },
  );
  await queues[QUEUES.webhooks]!.upsertJobScheduler(
    'prune-webhook-deliveries',
    { pattern: config.WEBHOOK_PRUNE_CRON, tz: 'UTC' },
    { name: 'prune-deliveries', data: {}, opts: keepHistory },
  );
  await backups.upsertJobScheduler(
    'nightly-backup',
    { pattern: config.BACKUP_CRON, tz: 'UTC' },
    { name: 'backup', data: { reason: 'schedule' }, opts: BACKUP_JOB_OPTIONS },
  );
  await backups.upsertJobScheduler(
    'verify-backup',
    { pattern: config.BACKUP_VERIFY_CRON, tz: 'UTC' },
    {
      name: 'verify-backup',
      data: {},
      opts: { attempts: 2, backoff: { type: 'exponential', delay: 60_000 }, ...keepHistory },
    },
  );
  const pitr: Array<[id: string, pattern: string, name: string, data: object, opts: JobsOptions]> = [
    ['pitr-full-backup', config.PITR_FULL_CRON, 'pitr-backup', { type: 'full' }, BACKUP_JOB_OPTIONS],
    ['pitr-diff-backup', config.PITR_DIFF_CRON, 'pitr-backup', { type: 'diff' }, BACKUP_JOB_OPTIONS],
    // A missed journal entry is replaced by the next one minutes later: no retry.
    ['pitr-journal', config.PITR_JOURNAL_CRON, 'pitr-journal', {}, keepHistory],
    // A drill's failure is its result (recorded, emailed), not something to retry.
    ['pitr-drill', config.PITR_DRILL_CRON, 'pitr-drill', {}, keepHistory],
  ];
  for (const [id, pattern, name, data, opts] of pitr) {
    if (!config.PITR_STANZA) {
      await backups.removeJobScheduler(id);
      continue;
    }
    await backups.upsertJobScheduler(id, { pattern, tz: 'UTC' }, { name, data, opts });
  }
  await reminders.upsertJobScheduler(
    'due-reminders',
    { pattern: config.REMINDER_CRON, tz: 'UTC' },
    {
      name: 'scan-due-tasks',
      data: {},
      opts: { attempts: 3, backoff: { type: 'exponential', delay: 30_000 }, ...keepHistory },
    },
  );
  await reminders.upsertJobScheduler(
    'recurrence-catch-up',
    // `immediately`: a worker that was down catches up as it starts, not at the next tick.
    { pattern: config.RECURRENCE_CRON, tz: 'UTC', immediately: true },
    // A failed run is replaced by the next one minutes later: no retry.
    { name: 'catch-up-recurrences', data: {}, opts: keepHistory },
  );
  await reminders.upsertJobScheduler(
    'inbox-digests',
    { pattern: config.DIGEST_CRON, tz: 'UTC' },
    {
      name: 'send-digests',
      data: {},
      opts: { attempts: 3, backoff: { type: 'exponential', delay: 60_000 }, ...keepHistory },
    },
  );
  await reminders.upsertJobScheduler(
    'trash-purge',
    { pattern: config.TRASH_PURGE_CRON, tz: 'UTC' },
    {
      name: 'purge-trash',
      data: {},
      opts: { attempts: 3, backoff: { type: 'exponential', delay: 5 * 60_000, jitter: 0.3 }, ...keepHistory },
    },
  );
}
