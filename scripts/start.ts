/**
 * `npm start`: the whole product on one localhost URL for trying it out and developing — a migrated database,
 * the API serving the web app, the worker, and a seeded demo workspace. Brings throw-away PostgreSQL, Redis and
 * an SMTP sink (which logs every message) unless DATABASE_URL, REDIS_URL or SMTP_URL name real ones.
 */
import { AccountExistsError, createInstanceAdmin, loadApiConfig, startApi } from '@taskstack/api';
import { exitOnConfigError } from '@taskstack/config';
import { connectDatabase, migrateUp, probeDatabase, Sql } from '@taskstack/db';
import { SmtpSink, startPostgres, startRedis, type Service } from '@taskstack/devservices';
import { createLogger, Shutdown } from '@taskstack/runtime';
import { loadWorkerConfig, startWorker } from '@taskstack/worker';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { DEMO_EMAIL, DEMO_PASSWORD, seedDemo } from './seed-demo.js';

const logger = createLogger('start', process.env.LOG_LEVEL ?? 'info');
const shutdown = new Shutdown(logger);
const services: Service[] = [];

/** One line naming the bad setting, the throw-away servers stopped, exit non-zero. */
async function fail(line: string): Promise<never> {
  process.stderr.write(`start: ${line}\n`);
  await Promise.all(services.map((s) => s.stop()));
  process.exit(1);
}

/** Newest modification time under `dir`, to rebuild the web app only when its sources changed. */
function newest(dir: string): number {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }
  return latest;
}

function buildUi(): string {
  const dist = 'ui/dist';
  if (
    !existsSync(join(dist, 'index.html')) ||
    newest('ui/src') > statSync(join(dist, 'index.html')).mtimeMs
  ) {
    logger.info('building the web app');
    execFileSync('npm', ['run', 'build', '-w', '@taskstack/ui'], { stdio: ['ignore', 'ignore', 'inherit'] });
  }
  return dist;
}

/** A database of our own on a throw-away server, so the server's `postgres` database stays untouched. */
async function localDatabase(): Promise<string> {
  const server = await startPostgres();
  services.push(server);
  const client = new pg.Client({ connectionString: server.url });
  await client.connect();
  await client.query('CREATE DATABASE taskstack');
  await client.end();
  return server.url.replace(/\/postgres$/, '/taskstack');
}

/**
 * The data encryption key of this checkout, made once and kept in .data/ (git-ignored, 0600): unlike JWT_SECRET it
 * cannot change from one run to the next, or a database given by DATABASE_URL could not open its webhook secrets.
 */
function localDataKey(): string {
  const file = '.data/data-encryption-key';
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const key = randomBytes(32).toString('base64url');
  mkdirSync('.data', { recursive: true });
  writeFileSync(file, `${key}\n`, { mode: 0o600 });
  return key;
}

const env = { ...process.env };
env.PORT ??= '3000';
// Only this machine, unless told otherwise; the worker's health port follows PORT so two instances can run side by side.
env.HOST ??= '127.0.0.1';
env.WORKER_HTTP_PORT ??= String(Number(env.PORT) + 1);
env.DATABASE_URL ??= await localDatabase();
if (!env.REDIS_URL) {
  const redis = await startRedis();
  services.push(redis);
  env.REDIS_URL = redis.url;
}
let sink: SmtpSink | undefined;
if (!env.SMTP_URL) {
  sink = await SmtpSink.start((mail) =>
    logger.info({ to: mail.to, subject: mail.subject, text: mail.text }, 'email (SMTP sink)'),
  );
  env.SMTP_URL = sink.url;
}
env.PUBLIC_URL ??= `http://localhost:${env.PORT}`;
env.JWT_SECRET ??= randomBytes(32).toString('hex');
if (!env.DATA_ENCRYPTION_KEY && !env.DATA_ENCRYPTION_KEY_FILE) env.DATA_ENCRYPTION_KEY = localDataKey();
env.MAIL_FROM ??= 'taskstack <no-reply@taskstack.localhost>';
env.BACKUP_DIR ??= '.data/backups';

let apiConfig, workerConfig;
try {
  apiConfig = loadApiConfig(env);
  workerConfig = loadWorkerConfig(env);
} catch (error) {
  exitOnConfigError(error, 'start');
}

const problem = await probeDatabase(apiConfig.DATABASE_URL);
if (problem) await fail(`DATABASE_URL: cannot connect (${problem})`);
const sequelize = connectDatabase(apiConfig.DATABASE_URL, { poolMax: 1 });
const applied = await migrateUp(sequelize);
logger.info({ applied }, 'database migrated');
// Signing up makes no admin, so a fresh database gets its demo account as the local instance admin, the way an
// operator makes one (`npm run admin -- create`); an existing database keeps the admins it has.
const fresh = await createInstanceAdmin(new Sql(sequelize), {
  email: DEMO_EMAIL,
  name: 'Demo User',
  password: DEMO_PASSWORD,
}).then(
  () => true,
  (error: unknown) => {
    if (error instanceof AccountExistsError) return false;
    throw error;
  },
);
await sequelize.close();

const staticDir = buildUi();
const worker = await startWorker(workerConfig);
const api = await startApi(apiConfig, { staticDir });
shutdown
  .add('api', api.close)
  .add('worker', worker.close)
  .add('smtp sink', () => sink?.close())
  .add('services', () => Promise.all(services.map((s) => s.stop())))
  .listen();

if (fresh) await seedDemo(api.url);
process.stdout.write(
  `\n  taskstack is running at ${apiConfig.PUBLIC_URL}\n` +
    (fresh
      ? `  demo sign-in (instance admin): ${DEMO_EMAIL} / ${DEMO_PASSWORD}\n`
      : '  (existing database: sign in with your account; `npm run admin -- create --email ADDR` makes an admin)\n') +
    (sink ? `  emails are caught by a local SMTP sink and logged here\n` : '') +
    `  Ctrl-C stops everything.\n\n`,
);
