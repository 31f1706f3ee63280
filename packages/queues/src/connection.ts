import { Redis, type RedisOptions } from 'ioredis';

/**
 * A Redis connection for BullMQ. Workers and subscribers must wait for Redis forever rather than fail a command
 * (`maxRetriesPerRequest: null`); producers in request paths should fail fast instead (`forWorker: false`).
 */
export function createRedis(url: string, { forWorker = false }: { forWorker?: boolean } = {}): Redis {
  const options: RedisOptions = forWorker
    ? { maxRetriesPerRequest: null }
    : { maxRetriesPerRequest: 2, enableOfflineQueue: true, connectTimeout: 5000 };
  return new Redis(url, options);
}
