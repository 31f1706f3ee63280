import { connectDatabase, DataKeyring, Sql } from '@taskstack/db';
import { createLogger } from '@taskstack/runtime';
import { Redis } from 'ioredis';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../app.js';
import { loadApiConfig } from '../config.js';
import type { AppContext } from '../context.js';
import { openApiDocument } from './registry.js';

/**
 * The API's OpenAPI document without Postgres, Redis or a listening server, for generating the web app's types:
 * routers register their operations as they are built, and nothing connects before a request arrives.
 */
export async function offlineOpenApiDocument(): Promise<unknown> {
  const config = loadApiConfig({
    DATABASE_URL: 'postgres://offline.invalid/openapi',
    REDIS_URL: 'redis://offline.invalid',
    JWT_SECRET: 'offline-document-only-never-signs-anything',
    DATA_ENCRYPTION_KEY: 'offline-document-only-never-seals-anything',
    STORAGE_DIR: join(tmpdir(), 'taskstack-openapi'),
    LOG_LEVEL: 'silent',
  });
  const sequelize = connectDatabase(config.DATABASE_URL);
  const redis = new Redis(config.REDIS_URL, { lazyConnect: true });
  const shutdown = new AbortController();
  const context: AppContext = {
    config,
    logger: createLogger('api', 'silent'),
    sequelize,
    sql: new Sql(sequelize),
    keyring: new DataKeyring(config.DATA_ENCRYPTION_KEY),
    redis,
    // Queues connect when created; only request handlers use them, and none runs here.
    emails: undefined as never,
    webhooks: undefined as never,
    webhookInterest: undefined as never,
    transfers: undefined as never,
    queues: {},
    drainSignal: shutdown.signal,
    shutdownSignal: shutdown.signal,
  };
  createApp(context);
  shutdown.abort();
  redis.disconnect();
  await sequelize.close();
  return openApiDocument();
}
