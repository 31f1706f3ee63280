/**
 * `npm run restore -- <file | object key> [--in-place]` (in the image: `node worker/dist/cli/restore.js`).
 * Checks the backup's sha256 and archive, restores it into a new database and switches the application to it
 * only when the restore completed; the previous database is kept under `<db>_before_<timestamp>`.
 */
import { exitOnConfigError, loadConfig } from '@taskstack/config';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { RefusedBackupError } from '../backup/restore.js';
import { locateBackup, restoreBackup } from '../backup/restore-backup.js';
import { s3StoreFrom } from '../backup/s3-store.js';
import { workerConfigSchema } from '../config.js';

const USAGE =
  'usage: npm run restore -- <backup file | file name in BACKUP_DIR | S3 object key> [--in-place]';

const say = (line: string) => process.stdout.write(`restore: ${line}\n`);
function fail(line: string): never {
  process.stderr.write(`restore: ${line}\n`);
  process.exit(1);
}

let args: ReturnType<typeof parse>;
function parse() {
  return parseArgs({
    allowPositionals: true,
    options: { 'in-place': { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h' } },
  });
}
try {
  args = parse();
} catch (error) {
  fail(`${(error as Error).message}\n${USAGE}`);
}
if (args.values.help) {
  say(USAGE);
  process.exit(0);
}
if (args.positionals.length !== 1) fail(USAGE);

// Only what a restore needs, so it runs with the database credentials alone (no SMTP, no Redis).
const schema = workerConfigSchema.pick({
  DATABASE_URL: true,
  BACKUP_DIR: true,
  S3_ENDPOINT: true,
  S3_REGION: true,
  S3_BUCKET: true,
  S3_ACCESS_KEY_ID: true,
  S3_SECRET_ACCESS_KEY: true,
  S3_FORCE_PATH_STYLE: true,
  S3_BACKUP_PREFIX: true,
});
let config: ReturnType<typeof schema.parse>;
try {
  config = loadConfig(schema);
} catch (error) {
  exitOnConfigError(error, 'restore');
}

// `npm run restore -w` runs in worker/; paths the operator typed are relative to where they typed them.
const here = process.env.INIT_CWD ?? process.cwd();
const s3 = s3StoreFrom(config);
try {
  const path = await locateBackup(
    resolve(here, args.positionals[0]!),
    resolve(here, config.BACKUP_DIR),
    s3,
    say,
  );
  const started = Date.now();
  const result = await restoreBackup(config.DATABASE_URL, path, {
    inPlace: args.values['in-place'],
    progress: say,
  });
  say(
    `done in ${((Date.now() - started) / 1000).toFixed(1)} s: ${result.database} holds ${result.manifest.file}`,
  );
  if (result.previous)
    say(`the previous data is kept as database ${result.previous}; drop it once satisfied`);
} catch (error) {
  const message = (error as Error).message.split('\n')[0];
  fail(
    error instanceof RefusedBackupError
      ? `refused: ${message}. The live database was not touched.`
      : `failed: ${message}. The live database was not switched.`,
  );
} finally {
  s3?.close();
}
