export { createRedis, probeRedis } from './connection.js';
export { EMAIL_JOB_OPTIONS, EmailQueue } from './enqueue.js';
export * from './jobs.js';
export { QUEUES, type QueueName } from './names.js';
export { SINGLE_ATTEMPT, WebhookQueue, webhookBody, type DeliveryRetry } from './webhooks.js';
export * from './board-events.js';
export { TransferQueue } from './transfers.js';
