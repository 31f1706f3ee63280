/** The API process: validate config, check the database and Redis answer, serve, and shut down cleanly on SIGTERM. */
import { exitOnConfigError } from '@taskstack/config';
import { waitForDatabase } from '@taskstack/db';
import { probeRedis } from '@taskstack/queues';
import { createLogger, exitIfUnreachable, Shutdown } from '@taskstack/runtime';
import { loadApiConfig, type ApiConfig } from './config.js';
import { startApi } from './server.js';

let config: ApiConfig;
try {
  config = loadApiConfig();
} catch (error) {
  exitOnConfigError(error, 'api');
}

await exitIfUnreachable('api', {
  DATABASE_URL: waitForDatabase(config.DATABASE_URL, config.DATABASE_WAIT_SECONDS),
  REDIS_URL: probeRedis(config.REDIS_URL),
});
const api = await startApi(config).catch((error: unknown) => exitOnConfigError(error, 'api'));
// The drain comes on top of the usual 10 s for in-flight requests and pools.
new Shutdown(createLogger('api', config.LOG_LEVEL), (config.SHUTDOWN_DRAIN_SECONDS + 10) * 1000)
  .add('api', api.close)
  .listen();
