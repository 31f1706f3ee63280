import { listLocalBackups, removeLocalBackup } from './local-store.js';
import { selectExpired, type RetentionPolicy } from './retention.js';
import type { S3BackupStore } from './s3-store.js';

/** Applies the retention policy to the backup directory and, when configured, to the remote copies. */
export async function pruneBackups(
  dir: string,
  policy: RetentionPolicy,
  remote?: S3BackupStore,
): Promise<{ local: string[]; remote: string[] }> {
  const local = selectExpired(await listLocalBackups(dir), policy);
  for (const name of local) await removeLocalBackup(dir, name);
  const remoteExpired = remote ? selectExpired(await remote.list(), policy) : [];
  for (const name of remoteExpired) await remote!.remove(name);
  return { local, remote: remoteExpired };
}
