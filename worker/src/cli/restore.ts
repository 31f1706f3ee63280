/**
 * `npm run restore -- <file | object key> [--in-place]` (in the image: `node worker/dist/cli/restore.js`).
 * Checks the backup's sha256 and archive, restores it into a new database and switches the application to it
 * only when the restore completed; the previous database is kept under `<db>_before_<timestamp>`.
 * `npm run restore -- --to <ISO time | latest> [--dry-run]` restores to a moment from pgBackRest instead.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { locateBackup, restoreBackup } from '../backup/restore-backup.js';
import { s3StoreFrom } from '../backup/s3-store.js';
import { workerConfigFields } from '../config.js';
import { fail, failRestore, restoreConfig, say } from './output.js';
import { restoreToMomentCli } from './restore-to-moment.js';

const USAGE = [
  'usage: npm run restore -- <backup file | file name in BACKUP_DIR | S3 object key> [--in-place]',
  '       npm run restore -- --to <2026-12-01T14:03:00Z | latest> [--dry-run]',
].join('\n');

let args: ReturnType<typeof parse>;
function parse() {
  return parseArgs({
    allowPositionals: true,
    options: {
      'in-place': { type: 'boolean', default: false },
      to: { type: 'string' },
      'dry-run': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h' },
    },
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
if (args.values.to !== undefined) {
  if (args.positionals.length > 0 || args.values['in-place']) fail(USAGE);
  await restoreToMomentCli(args.values.to, args.values['dry-run']);
  process.exit(0);
}
if (args.positionals.length !== 1 || args.values['dry-run']) fail(USAGE);

const config = restoreConfig(
  workerConfigFields.pick({
    DATABASE_URL: true,
    DATABASE_APP_ROLES: true,
    BACKUP_DIR: true,
    S3_ENDPOINT: true,
    S3_REGION: true,
    S3_FORCE_PATH_STYLE: true,
    S3_BACKUP_BUCKET: true,
    S3_BACKUP_ACCESS_KEY_ID: true,
    S3_BACKUP_SECRET_ACCESS_KEY: true,
    S3_BACKUP_PREFIX: true,
  }),
);

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
    appRoles: config.DATABASE_APP_ROLES,
    progress: say,
  });
  say(
    `done in ${((Date.now() - started) / 1000).toFixed(1)} s: ${result.database} holds ${result.manifest.file}`,
  );
  if (result.previous)
    say(`the previous data is kept as database ${result.previous}; drop it once satisfied`);
} catch (error) {
  failRestore(error);
} finally {
  s3?.close();
}
