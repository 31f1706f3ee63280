/** The API process: validate config, check the database and Redis answer, serve, and shut down cleanly on SIGTERM. */
import { exitOnConfigError } from '@taskstack/config';
import { checkDatabase, connectDatabase } from '@taskstack/db';
import { createLogger, Shutdown } from '@taskstack/runtime';
import { Redis } from 'ioredis';
import { loadApiConfig, type ApiConfig } from './config.js';
import { startApi } from './server.js';

let config: ApiConfig;
try {
  config = loadApiConfig();
} catch (error) {
  exitOnConfigError(error, 'api');
}

/** Fails fast with one line naming the variable when a dependency cannot be reached at start-up. */
async function checkDependencies(config: ApiConfig): Promise<void> {
  const probe = connectDatabase(config.DATABASE_URL, { poolMax: 1 });
  const dbProblem = await checkDatabase(probe);
  await probe.close();
  if (dbProblem) fail(`DATABASE_URL: cannot connect (${dbProblem})`);
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

function fail(line: string): never {
  process.stderr.write(`api: ${line}\n`);
  process.exit(1);
}

await checkDependencies(config);
const api = await startApi(config);
new Shutdown(createLogger('api', config.LOG_LEVEL)).add('api', api.close).listen();
