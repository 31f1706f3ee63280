import { ConfigError, serverTlsOptions } from '@taskstack/config';
import { connectDatabase, DataKeyring, logSealing, sealPendingSecrets, Sql } from '@taskstack/db';
import { createRedis, EmailQueue, QUEUES, TransferQueue, WebhookQueue } from '@taskstack/queues';
import { createLogger, type Logger } from '@taskstack/runtime';
import type { DestinationStream } from 'pino';
import { Queue } from 'bullmq';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { setTimeout } from 'node:timers/promises';
import { createApp } from './app.js';
import type { ApiConfig } from './config.js';
import type { AppContext } from './context.js';
import { WebhookInterest } from './events/webhook-interest.js';

export type RunningApi = { url: string; context: AppContext; close: () => Promise<void> };

/**
 * Connects to Postgres and Redis and serves the API. `close()` first drains (keeps serving SHUTDOWN_DRAIN_SECONDS while
 * `/ready` fails), then stops accepting, ends event streams, waits for in-flight requests, then closes queues, Redis
 * and the pool — in that order.
 */
export async function startApi(
  config: ApiConfig,
  options: { staticDir?: string; port?: number; logDestination?: DestinationStream } = {},
): Promise<RunningApi> {
  const logger = createLogger('api', config.LOG_LEVEL, options.logDestination);
  const sequelize = connectDatabase(config.DATABASE_URL, { applicationName: 'taskstack-api' });
  const sql = new Sql(sequelize);
  const keyring = new DataKeyring(config.DATA_ENCRYPTION_KEY);
  const drain = new AbortController();
  const shutdown = new AbortController();
  // Before anything is served: plain secrets from before encryption get sealed, and a key that cannot open what
  // the database holds is a start-up error (a ConfigError), not a failure of every later delivery. A database
  // that does not answer yet is no reason not to start (`/ready` says so): the pass runs once it answers.
  // TOTP secrets from before the keyring open with the key they were sealed with then, and are re-sealed. One that
  // does not open (that key had changed, or the row was altered) was unreadable before this start too: a warning,
  // not a refusal to start, since the admin's reset of those users needs the API.
  const seal = async () => {
    const legacyTotpKey = config.TOTP_ENCRYPTION_KEY ?? config.JWT_SECRET;
    logSealing(logger, keyring, await sealPendingSecrets(sql, keyring, legacyTotpKey));
  };
  const first = await seal().then(
    () => undefined,
    (error: unknown) => error,
  );
  if (first instanceof ConfigError) {
    await sequelize.close();
    throw first;
  }
  if (first) void sealOnceReachable(seal, logger, shutdown.signal, first);
  // Two connections: the request path's commands (session checks, rate limits, event publishing) auto-pipelined,
  // so what concurrent requests send in one turn of the event loop goes in one write; the queues on their own
  // connection, as BullMQ does not support auto-pipelining.
  const redis = createRedis(config.REDIS_URL, { autoPipelining: true });
  const queueRedis = createRedis(config.REDIS_URL);
  const emails = new EmailQueue(queueRedis, config.REDIS_PREFIX);
  const webhooks = WebhookQueue.connect(queueRedis, config.REDIS_PREFIX);
  const transfers = TransferQueue.connect(queueRedis, config.REDIS_PREFIX);
  const webhookInterest = new WebhookInterest(sql, redis, config.REDIS_PREFIX, logger);
  const queues: Record<string, Queue> = {
    [QUEUES.emails]: emails.queue,
    [QUEUES.webhooks]: webhooks.queue,
    [QUEUES.transfers]: transfers.queue,
  };
  for (const name of [QUEUES.backups, QUEUES.reminders]) {
    queues[name] = new Queue(name, { connection: queueRedis, prefix: config.REDIS_PREFIX });
  }
  const context: AppContext = {
    config,
    logger,
    sequelize,
    sql,
    keyring,
    redis,
    emails,
    webhooks,
    webhookInterest,
    transfers,
    queues,
    drainSignal: drain.signal,
    shutdownSignal: shutdown.signal,
  };
  const app = createApp(context, options);
  // HTTPS when the config names a certificate (its files were checked at start-up): the stack's nginx and Prometheus
  // reach the api across nodes, over overlay networks that are not encrypted.
  const tls = serverTlsOptions(config);
  const server = tls ? https.createServer(tls, app) : http.createServer(app);
  server.listen(options.port ?? config.PORT, config.HOST);
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const { port } = server.address() as AddressInfo;
  logger.info({ port, tls: Boolean(tls) }, 'api listening');

  return {
    url: `${tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    context,
    close: async () => {
      drain.abort();
      await setTimeout(config.SHUTDOWN_DRAIN_SECONDS * 1000);
      shutdown.abort();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
      await Promise.all(Object.values(queues).map((queue) => queue.close()));
      webhookInterest.close();
      for (const connection of [redis, queueRedis])
        await connection.quit().catch(() => connection.disconnect());
      await sequelize.close();
    },
  };
}

/** Retries the start-up sealing pass every 5 s until it succeeds (the database answers) or the API stops. */
async function sealOnceReachable(
  seal: () => Promise<void>,
  logger: Logger,
  stop: AbortSignal,
  error: unknown,
): Promise<void> {
  for (let last = error; ;) {
    logger.warn(
      { err: (last as Error).message },
      'sealing secrets at start-up failed (the database may not answer yet); retrying in 5 s',
    );
    await setTimeout(5000, undefined, { signal: stop }).catch(() => undefined);
    if (stop.aborted) return;
    try {
      return await seal();
    } catch (next) {
      last = next;
    }
  }
}
