import {
  checkServerTls,
  coreFields,
  dataEncryptionKey,
  emailList,
  loadConfig,
  port,
  s3Fields,
  serverTlsFields,
  storageFields,
  urlWith,
} from '@taskstack/config';
import { CronExpressionParser } from 'cron-parser';
import { z } from 'zod';

/** A cron expression checked at start-up (cron-parser is what BullMQ's schedulers use), so a typo fails fast. */
const cron = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .refine(
      (value) => {
        try {
          CronExpressionParser.parse(value, { tz: 'UTC' });
          return true;
        } catch {
          return false;
        }
      },
      { message: 'must be a cron expression, e.g. "30 2 * * *"' },
    );

const keep = (fallback: number) => z.coerce.number().int().min(0).max(1000).default(fallback);

/** Every setting on its own; the CLIs pick theirs from here (zod cannot pick from a refined schema). */
export const workerConfigFields = z.object({
  ...coreFields,
  ...s3Fields,
  ...storageFields,
  /** Outgoing mail, e.g. smtp://user:pass@smtp.example.com:587 (smtps:// for implicit TLS). */
  SMTP_URL: urlWith('smtp', 'smtps'),
  MAIL_FROM: z.string().min(3).default('taskstack <no-reply@localhost>'),
  ADMIN_EMAILS: emailList,
  /** Opens the webhooks' signing secrets, which the api stores encrypted with the same keys. */
  DATA_ENCRYPTION_KEY: dataEncryptionKey,
  WORKER_HTTP_PORT: port(3001),
  /** HTTPS for /health and /metrics (the stack's Prometheus scrapes them across nodes); plain HTTP without. */
  ...serverTlsFields,
  /** Jobs processed at once by each queue's worker (backups always run one at a time). */
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(100).default(5),
  BACKUP_DIR: z.string().default('.data/backups'),
  BACKUP_CRON: cron('30 2 * * *'),
  BACKUP_VERIFY_CRON: cron('30 4 * * *'),
  BACKUP_KEEP_DAILY: keep(7),
  BACKUP_KEEP_WEEKLY: keep(4),
  BACKUP_KEEP_MONTHLY: keep(6),
  /**
   * Database roles a restore grants the app's privileges on the database it brings in (a dump is restored
   * without its grants); the stack names its api and worker roles here. Empty: nothing to grant.
   */
  DATABASE_APP_ROLES: z
    .string()
    .default('')
    .transform((value) =>
      value
        .split(',')
        .map((role) => role.trim())
        .filter(Boolean),
    ),
  /**
   * Bucket of the backups' off-site copies (same S3 endpoint and region as uploads), apart from the uploads' S3_BUCKET
   * and reached with a key of its own that only the worker holds: whoever takes the api cannot read or delete the
   * backups. Copies are made only when it is set.
   */
  S3_BACKUP_BUCKET: z.string().optional(),
  S3_BACKUP_ACCESS_KEY_ID: z.string().optional(),
  S3_BACKUP_SECRET_ACCESS_KEY: z.string().optional(),
  /** Key prefix of the copies in S3_BACKUP_BUCKET. */
  S3_BACKUP_PREFIX: z.string().default('backups/'),
  REMINDER_CRON: cron('0 * * * *'),
  /** When the daily inbox digest goes out to users who chose it (UTC). */
  DIGEST_CRON: cron('0 7 * * *'),
  /** When the trash is purged of what is past its workspace's retention (UTC). */
  TRASH_PURGE_CRON: cron('15 3 * * *'),
  /** How often repeating tasks whose next occurrence is owed are caught up (after downtime or a failed attempt). */
  RECURRENCE_CRON: cron('*/5 * * * *'),
  /**
   * pgBackRest stanza of the database server (point-in-time recovery); empty: the server does not archive WAL
   * and the worker schedules no pgBackRest backups.
   */
  PITR_STANZA: z
    .string()
    .regex(/^[A-Za-z0-9_-]*$/, 'letters, digits, - and _ only')
    .default(''),
  PITR_FULL_CRON: cron('0 3 * * 0'),
  PITR_DIFF_CRON: cron('0 3 * * 1-6'),
  /** Days back to which any moment can be restored; older full backups and their WAL expire. */
  PITR_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(14),
  /** How often every table's row count and checksum is journalled for the restore drill (UTC). */
  PITR_JOURNAL_CRON: cron('*/5 * * * *'),
  /** When the restore drill runs: a random journalled moment of the last 24 h, restored and checked (UTC). */
  PITR_DRILL_CRON: cron('30 5 * * *'),
  /**
   * Lets webhooks reach loopback, private, link-local and other non-public addresses (`true`/`false`). Off, every
   * address a webhook's host resolves to must be public, or the delivery is refused: otherwise any workspace admin
   * could make the worker call services inside the network (SSRF). Turn on only where that is acceptable.
   */
  WEBHOOK_ALLOW_PRIVATE_NETWORKS: z
    .enum(['true', 'false'], { message: 'must be true or false' })
    .default('false')
    .transform((v) => v === 'true'),
  /** How long one webhook request may take, connection and the start of the answer included. */
  WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(10_000),
  /** Attempts per delivery of an event (replays and pings are tried once). */
  WEBHOOK_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(8),
  /** Wait before the first retry; each later one waits twice as long (8 attempts from 30 s: about an hour in all). */
  WEBHOOK_RETRY_DELAY_MS: z.coerce.number().int().min(10).max(3_600_000).default(30_000),
  /** Deliveries failed in a row (after all their attempts) that turn a webhook off; its admins are emailed. */
  WEBHOOK_DISABLE_AFTER_FAILURES: z.coerce.number().int().min(1).max(1000).default(10),
  /** Days a finished delivery stays in the log; older ones are pruned daily at WEBHOOK_PRUNE_CRON (UTC). */
  WEBHOOK_DELIVERY_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
  WEBHOOK_PRUNE_CRON: cron('45 3 * * *'),
  /** Hours an export's zip can be downloaded before the worker deletes it. */
  EXPORT_RETENTION_HOURS: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 30)
    .default(24),
  /** Tasks one import may create at most (cards, rows…); a bigger file fails before anything is written. */
  IMPORT_MAX_TASKS: z.coerce.number().int().min(1).max(1_000_000).default(20_000),
  /**
   * Scratch directory of imports and exports (an export's zip is built here, an upload copied here to be read);
   * default the system's temporary directory — in the stack a tmpfs, i.e. memory, so point it at a volume for big
   * workspaces.
   */
  TRANSFER_SCRATCH_DIR: z.string().optional(),
  /** When expired export zips and unused import uploads are deleted (UTC). */
  TRANSFER_PRUNE_CRON: cron('20 * * * *'),
  /** Directory on the database server where restores build their scratch cluster (default: beside its data). */
  PITR_SCRATCH_DIR: z.string().optional(),
});

export const workerConfigSchema = workerConfigFields.superRefine((config, ctx) => {
  // The purge removes purged attachments' files from the uploads' bucket.
  if (config.STORAGE_DRIVER === 's3' && !config.S3_BUCKET) {
    ctx.addIssue({ code: 'custom', path: ['S3_BUCKET'], message: 'is required when STORAGE_DRIVER=s3' });
  }
  checkServerTls(config, ctx);
});
export type WorkerConfig = z.infer<typeof workerConfigSchema>;

/** Reads and validates the worker's environment once; throws ConfigError listing every bad variable. */
export function loadWorkerConfig(env: NodeJS.ProcessEnv = process.env): WorkerConfig {
  return loadConfig(workerConfigSchema, env);
}
