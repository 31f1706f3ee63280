import type { Logger } from '@taskstack/runtime';
import type { EmailQueue, TransferQueue, WebhookQueue } from '@taskstack/queues';
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { DataKeyring, Sql } from '@taskstack/db';
import type { Sequelize } from 'sequelize';
import type { ApiConfig } from './config.js';
import type { WebhookInterest } from './events/webhook-interest.js';

/** Everything a route needs, built once by `startApi` and passed to every router factory. */
export type AppContext = {
  config: ApiConfig;
  logger: Logger;
  sequelize: Sequelize;
  /** Raw SQL on the same pool, for the repositories. */
  sql: Sql;
  /** Seals the secrets the database keeps for reading back (webhook signing secrets), from DATA_ENCRYPTION_KEY. */
  keyring: DataKeyring;
  /**
   * Commands, rate limits and the event log, auto-pipelined (the queues have a connection of their own); request
   * paths fail fast if Redis is down.
   */
  redis: Redis;
  emails: EmailQueue;
  /** Board events for the worker to deliver to webhooks, and admins' replays and pings. */
  webhooks: WebhookQueue;
  /** Which events some webhook of a workspace wants, remembered; its routes announce every change of a webhook. */
  webhookInterest: WebhookInterest;
  /** Workspace imports and exports for the worker to run. */
  transfers: TransferQueue;
  /** Every queue by name, for admin counts and enqueueing backups. */
  queues: Record<string, Queue>;
  /** Aborted on SIGTERM, before the drain period: `/ready` answers 503 from then on while requests are still served. */
  drainSignal: AbortSignal;
  /** Aborted when the server stops accepting (after the drain): long-lived responses (the event stream) end on it. */
  shutdownSignal: AbortSignal;
};

/**
 * The signed-in user, set by `authenticate`: who, in which session, whose access token expires when. With a personal
 * API token, `sessionId` is the token's id: revoking a token notes it ended like a session, which ends its streams.
 */
export type AuthUser = { id: string; sessionId: string; expiresAtMs: number };

declare module 'express-serve-static-core' {
  interface Request {
    user?: AuthUser;
  }
}
