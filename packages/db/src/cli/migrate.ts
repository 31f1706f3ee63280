/**
 * `npm run migrate`: applies pending migrations to DATABASE_URL (the owner) and exits; the deploy's one-shot step
 * runs this. With API_DATABASE_PASSWORD / WORKER_DATABASE_PASSWORD (`_FILE` in the stack) it also creates or updates
 * the api's and the worker's own roles, limited to the app's rows, and with MONITOR_DATABASE_PASSWORD the metrics
 * exporter's, limited to the server's statistics (app-roles.ts).
 */
import { coreFields, exitOnConfigError, loadConfig } from '@taskstack/config';
import { createLogger } from '@taskstack/runtime';
import { z } from 'zod';
import {
  APP_ROLES,
  connectDatabase,
  ensureAppRoles,
  ensureMonitorRole,
  migrateUp,
  MONITOR_ROLE,
  probeDatabase,
} from '../index.js';

const password = z.string().min(16, 'must be at least 16 characters').optional();
const schema = z.object({
  DATABASE_URL: coreFields.DATABASE_URL,
  LOG_LEVEL: coreFields.LOG_LEVEL,
  API_DATABASE_PASSWORD: password,
  WORKER_DATABASE_PASSWORD: password,
  MONITOR_DATABASE_PASSWORD: password,
  /** The worker runs pgBackRest through COPY … FROM PROGRAM (point-in-time recovery on). */
  WORKER_DATABASE_SERVER_PROGRAMS: z
    .enum(['true', 'false'])
    .default('false')
    .transform((value) => value === 'true'),
});

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
  const roles = [
    { ...APP_ROLES.api, password: config.API_DATABASE_PASSWORD },
    {
      ...APP_ROLES.worker,
      password: config.WORKER_DATABASE_PASSWORD,
      serverPrograms: config.WORKER_DATABASE_SERVER_PROGRAMS,
    },
  ].filter((role): role is typeof role & { password: string } => role.password !== undefined);
  await ensureAppRoles((statement) => sequelize.query(statement), roles);
  if (roles.length) logger.info({ roles: roles.map((role) => role.name) }, 'app roles current');
  if (config.MONITOR_DATABASE_PASSWORD) {
    await ensureMonitorRole((statement) => sequelize.query(statement), config.MONITOR_DATABASE_PASSWORD);
    logger.info({ role: MONITOR_ROLE }, 'monitor role current');
  }
} catch (error) {
  logger.error({ err: error }, 'migration failed');
  process.exitCode = 1;
} finally {
  await sequelize.close();
}
