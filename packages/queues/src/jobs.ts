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
  'backup-failed': z.object({ to: z.array(email).min(1), file: z.string(), error: z.string() }),
  /** A nightly restore drill found a problem; `target` is the moment it restored to, if it got that far. */
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
} as const;
export type ReminderJobName = keyof typeof reminderJobs;
