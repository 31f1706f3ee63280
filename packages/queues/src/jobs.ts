import { z } from 'zod';

const email = z.email();
const url = z.url();

/** Every email job: its name and the payload the worker validates before sending. */
export const emailJobs = {
  welcome: z.object({ to: email, name: z.string(), verifyUrl: url.optional() }),
  'password-reset': z.object({ to: email, name: z.string(), resetUrl: url }),
  invitation: z.object({
    to: email,
    inviterName: z.string(),
    workspaceName: z.string(),
    role: z.string(),
    acceptUrl: url,
  }),
  'task-assigned': z.object({
    to: email,
    name: z.string(),
    assignerName: z.string(),
    taskTitle: z.string(),
    taskRef: z.string(),
    taskUrl: url,
  }),
  'due-reminder': z.object({
    to: email,
    name: z.string(),
    taskTitle: z.string(),
    taskRef: z.string(),
    dueAt: z.string(),
    taskUrl: url,
  }),
  /** One inbox item, for users who want their inbox emailed immediately. */
  'inbox-item': z.object({
    to: email,
    name: z.string(),
    headline: z.string(),
    excerpt: z.string(),
    taskUrl: url,
  }),
  /** The day's unread inbox items, for users on the daily digest. */
  'inbox-digest': z.object({
    to: email,
    name: z.string(),
    items: z.array(z.object({ headline: z.string(), excerpt: z.string(), taskUrl: url })).min(1),
  }),
  'backup-failed': z.object({ to: z.array(email).min(1), file: z.string(), error: z.string() }),
  /** A nightly restore drill found a problem; `target` is the moment it restored to, if it got that far. */
  /** A webhook was turned off after failing delivery after delivery; told to the workspace's admins. */
  'webhook-disabled': z.object({
    to: z.array(email).min(1),
    workspaceName: z.string(),
    url: z.string(),
    reason: z.string(),
    settingsUrl: url,
  }),
  'restore-drill-failed': z.object({
    to: z.array(email).min(1),
    target: z.string().optional(),
    problems: z.array(z.string()).min(1),
  }),
} as const;
export type EmailJobName = keyof typeof emailJobs;
export type EmailJobData<N extends EmailJobName> = z.infer<(typeof emailJobs)[N]>;

/** Jobs on the backups queue. */
export const backupJobs = {
  backup: z.object({
    reason: z.enum(['schedule', 'manual']).default('schedule'),
    backupId: z.uuid().optional(),
  }),
  'verify-backup': z.object({ backupId: z.uuid().optional() }),
  /** A pgBackRest backup of the cluster (point-in-time recovery): full weekly, differential daily. */
  'pitr-backup': z.object({ type: z.enum(['full', 'diff']) }),
  /** Journals every table's row count and checksum at a moment, for the restore drill to check against. */
  'pitr-journal': z.object({}),
  /** The nightly restore drill: a random journalled moment of the last 24 h restored and checked. */
  'pitr-drill': z.object({}),
} as const;
export type BackupJobName = keyof typeof backupJobs;

/** Jobs on the reminders queue. */
export const reminderJobs = {
  'scan-due-tasks': z.object({}),
  /** The daily inbox digest of users who chose it. */
  'send-digests': z.object({}),
  /** Creates the next occurrence of repeating tasks whose latest one is done but was not continued. */
  'catch-up-recurrences': z.object({}),
  /** Purges trashed tasks, comments and projects past their workspace's retention, with their files. */
  'purge-trash': z.object({}),
} as const;
export type ReminderJobName = keyof typeof reminderJobs;

/** Jobs on the webhooks queue. */
export const webhookJobs = {
  /**
   * One board event, enqueued once by the API as it publishes the event; the worker turns it into a delivery per
   * subscribed webhook. `id` is the event's stream id, the same the live stream carries.
   */
  'fan-out': z.object({
    workspaceId: z.uuid(),
    id: z.string().min(1),
    type: z.string().min(1),
    occurredAt: z.iso.datetime(),
    data: z.unknown(),
  }),
  /** One attempt at sending one delivery row; retried by BullMQ with backoff. */
  deliver: z.object({ deliveryId: z.uuid() }),
  /** Daily: the delivery log keeps WEBHOOK_DELIVERY_RETENTION_DAYS. */
  'prune-deliveries': z.object({}),
} as const;
export type WebhookJobName = keyof typeof webhookJobs;
export type WebhookJobData<N extends WebhookJobName> = z.infer<(typeof webhookJobs)[N]>;

/** Where an import's file comes from; `taskstack` is this app's own export (zip or its workspace.json). */
export const TRANSFER_SOURCES = ['taskstack', 'trello', 'csv', 'vikunja', 'planka'] as const;
export type TransferSourceName = (typeof TRANSFER_SOURCES)[number];

/** Which header of a CSV file feeds which task field; only `title` is required. */
export const csvColumnMapping = z.strictObject({
  title: z.string().min(1).max(200),
  description: z.string().min(1).max(200).optional(),
  status: z.string().min(1).max(200).optional(),
  priority: z.string().min(1).max(200).optional(),
  dueAt: z.string().min(1).max(200).optional(),
  assignee: z.string().min(1).max(200).optional(),
  labels: z.string().min(1).max(200).optional(),
  project: z.string().min(1).max(200).optional(),
});
export type CsvColumnMapping = z.infer<typeof csvColumnMapping>;

/** Jobs on the transfers queue: a workspace's export and import, each a `workspace_transfers` row. */
export const transferJobs = {
  'export-workspace': z.object({ transferId: z.uuid() }),
  'import-workspace': z.object({ transferId: z.uuid() }),
  /** Daily: deletes export zips and unused uploads past their expiry. */
  'prune-transfers': z.object({}),
} as const;
export type TransferJobName = keyof typeof transferJobs;

/** What an inbox item says in an email, the same for the API's immediate email and the worker's digest. */
export function inboxHeadline(kind: string, actorName: string | null, taskRef: string): string {
  const who = actorName ?? 'Someone';
  switch (kind) {
    case 'assigned':
      return `${who} assigned ${taskRef} to you`;
    case 'mentioned':
      return `${who} mentioned you on ${taskRef}`;
    case 'commented':
      return `${who} commented on ${taskRef}`;
    default:
      return `${taskRef} is due soon`;
  }
}
