/** The worker process: validate config, check dependencies, work the queues, shut down cleanly on SIGTERM. */
import { exitOnConfigError } from '@taskstack/config';
import { createLogger, Shutdown } from '@taskstack/runtime';
import { Redis } from 'ioredis';
import pg from 'pg';
import { loadWorkerConfig, type WorkerConfig } from './config.js';
import { startWorker } from './start.js';
import { MissingHandlerError } from './workers.js';

let config: WorkerConfig;
try {
  config = loadWorkerConfig();
} catch (error) {
  exitOnConfigError(error, 'worker');
}

function fail(line: string): never {
  process.stderr.write(`worker: ${line}\n`);
  process.exit(1);
}

/** Fails fast with one line naming the variable when a dependency cannot be reached at start-up. */
async function checkDependencies(config: WorkerConfig): Promise<void> {
  const client = new pg.Client({ connectionString: config.DATABASE_URL, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
  } catch (error) {
    fail(`DATABASE_URL: cannot connect (${(error as Error).message})`);
  } finally {
    await client.end().catch(() => {});
  }
  const redis = new Redis(config.REDIS_URL, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    connectTimeout: 5000,
  });
  try {
    await redis.connect();
    await redis.ping();
  } catch (error) {
    fail(`REDIS_URL: cannot connect (${(error as Error).message})`);
  } finally {
    redis.disconnect();
  }
}

await checkDependencies(config);
const worker = await startWorker(config).catch((error: unknown) => {
  if (error instanceof MissingHandlerError) fail(error.message);
  throw error;
});
// In-flight jobs get up to a minute to finish; the stack gives the container a longer stop grace period.
new Shutdown(createLogger('worker', config.LOG_LEVEL), 60_000).add('worker', worker.close).listen();
