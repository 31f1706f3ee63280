import type { DataKeyring } from '@taskstack/db';
import type { Logger } from '@taskstack/runtime';
import type { EmailQueue, EventPublisher, WebhookQueue } from '@taskstack/queues';
import type pg from 'pg';
import type { S3BackupStore } from '../backup/s3-store.js';
import type { WorkerConfig } from '../config.js';
import type { WorkerMetrics } from '../metrics.js';
import type { AttachmentFiles } from '../trash/attachment-files.js';

/**
 * What the tasks share: settings, the database pool, the keys that open sealed secrets, the outgoing mail and webhook
 * queues, the board's event stream (for what the worker changes on boards), attachment files, metrics.
 */
export type TaskContext = {
  config: WorkerConfig;
  db: pg.Pool;
  keyring: DataKeyring;
  emails: EmailQueue;
  webhooks: WebhookQueue;
  events: EventPublisher;
  s3: S3BackupStore | undefined;
  files: AttachmentFiles;
  metrics: WorkerMetrics;
  logger: Logger;
};
