import { existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import { swapDatabases } from './databases.js';
import type { Manifest } from './manifest.js';
import { utcStamp } from './names.js';
import { databaseName, pgTool, serverVersion, withClient, withDatabase } from './pg-tools.js';
import { grantAppRoles } from '@taskstack/db';
import { settleRestoredRecords } from '@taskstack/db/repositories';
import {
  assertCounts,
  checkBackupFile,
  restoreIntoNewDatabase,
  runPgRestore,
  type Progress,
} from './restore.js';
import type { S3BackupStore } from './s3-store.js';

/**
 * Resolves what the operator named: a path, a file name in the backup directory, or an object key (with or
 * without the backup prefix) fetched from S3 into `<BACKUP_DIR>/.restore/`.
 */
export async function locateBackup(
  spec: string,
  backupDir: string,
  s3: S3BackupStore | undefined,
  progress: Progress,
): Promise<string> {
  if (existsSync(spec)) return spec;
  const name = basename(spec);
  if (existsSync(join(backupDir, name))) return join(backupDir, name);
  if (!s3)
    throw new Error(
      `${spec}: no such file (and S3_BACKUP_BUCKET is not set, so it is not looked up remotely)`,
    );
  progress(`downloading ${s3.key(name)} from bucket ${s3.bucket}`);
  try {
    return await s3.download(name, join(backupDir, '.restore'));
  } catch (error) {
    throw new Error(`${spec}: not found locally nor in bucket ${s3.bucket} (${(error as Error).name})`, {
      cause: error,
    });
  }
}

export type RestoreResult = { database: string; previous?: string; manifest: Manifest };

/**
 * Restores a backup for real. By default into a new database, switched in (the old one renamed aside for
 * rollback) only once the restore completed and its row counts match; a failure leaves the live database as it
 * was. `inPlace` restores into the live database in one transaction instead (no spare disk needed; a failure
 * rolls back), for servers that cannot hold two copies.
 */
export async function restoreBackup(
  databaseUrl: string,
  path: string,
  options: { inPlace?: boolean; progress?: Progress; appRoles?: string[] } = {},
): Promise<RestoreResult> {
  // A dump is restored without its grants (--no-acl): the app's roles get theirs again before the app sees it.
  const grant = (url: string) =>
    withClient(url, (c) => grantAppRoles((statement) => c.query(statement), options.appRoles ?? []));
  const progress = options.progress ?? (() => {});
  const live = databaseName(databaseUrl);
  const stamp = utcStamp(new Date()).toLowerCase();
  if (options.inPlace) {
    const version = await withClient(databaseUrl, serverVersion);
    const pgRestore = await pgTool('pg_restore', version.major);
    const manifest = await checkBackupFile(path, pgRestore.path, progress);
    progress(`restoring in place into ${live} (one transaction)`);
    await runPgRestore(pgRestore.path, databaseUrl, path, { inPlace: true, progress });
    await assertCounts(databaseUrl, manifest);
    await withClient(databaseUrl, (c) => settleRestoredRecords(c, manifest));
    await grant(databaseUrl);
    return { database: live, manifest };
  }
  const restored = `${live}_restore_${stamp}`;
  const manifest = await restoreIntoNewDatabase(databaseUrl, path, restored, progress);
  await withClient(withDatabase(databaseUrl, restored), (c) => settleRestoredRecords(c, manifest));
  await grant(withDatabase(databaseUrl, restored));
  const previous = `${live}_before_${stamp}`;
  progress(`switching: ${live} → ${previous}, ${restored} → ${live}`);
  await swapDatabases(databaseUrl, live, restored, previous);
  return { database: live, previous, manifest };
}
