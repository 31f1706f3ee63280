/** The worker process: validate config, check dependencies, work the queues, shut down cleanly on SIGTERM. */
import { exitOnConfigError } from '@taskstack/config';
import { waitForDatabase } from '@taskstack/db';
import { probeRedis } from '@taskstack/queues';
import { createLogger, exitIfUnreachable, Shutdown } from '@taskstack/runtime';
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

await exitIfUnreachable('worker', {
  DATABASE_URL: waitForDatabase(config.DATABASE_URL, config.DATABASE_WAIT_SECONDS),
  REDIS_URL: probeRedis(config.REDIS_URL),
});
const worker = await startWorker(config).catch((error: unknown) => {
  if (error instanceof MissingHandlerError) fail(error.message);
  return exitOnConfigError(error, 'worker');
});
// In-flight jobs get up to a minute to finish; the stack gives the container a longer stop grace period.
new Shutdown(createLogger('worker', config.LOG_LEVEL), 60_000).add('worker', worker.close).listen();
