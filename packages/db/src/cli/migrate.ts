/** `npm run migrate`: applies pending migrations to DATABASE_URL and exits; the deploy's one-shot step runs this. */
import { coreFields, exitOnConfigError, loadConfig } from '@taskstack/config';
import { createLogger } from '@taskstack/runtime';
import { z } from 'zod';
import { connectDatabase, migrateUp, probeDatabase } from '../index.js';

const schema = z.object({ DATABASE_URL: coreFields.DATABASE_URL, LOG_LEVEL: coreFields.LOG_LEVEL });

let config: z.infer<typeof schema>;
try {
  config = loadConfig(schema);
} catch (error) {
  exitOnConfigError(error, 'migrate');
}
const logger = createLogger('migrate', config.LOG_LEVEL);
const problem = await probeDatabase(config.DATABASE_URL);
if (problem) {
  process.stderr.write(`migrate: DATABASE_URL: cannot connect (${problem})\n`);
  process.exit(1);
}
const sequelize = connectDatabase(config.DATABASE_URL, { poolMax: 1, applicationName: 'taskstack-migrate' });
try {
  const applied = await migrateUp(sequelize, (message) => logger.info(message));
  logger.info({ applied }, applied.length ? 'migrations applied' : 'schema is current');
} catch (error) {
  logger.error({ err: error }, 'migration failed');
  process.exitCode = 1;
} finally {
  await sequelize.close();
}
