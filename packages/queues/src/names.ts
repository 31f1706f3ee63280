/** Queue names shared by the API (producer) and the worker (consumer). */
export const QUEUES = {
  emails: 'emails',
  backups: 'backups',
  reminders: 'reminders',
  webhooks: 'webhooks',
  transfers: 'transfers',
} as const;
export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];
