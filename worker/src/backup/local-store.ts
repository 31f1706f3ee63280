import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { backupTime, manifestName } from './names.js';

/** Backup files in the backup directory (finished ones only: `.tmp` files are in progress or abandoned). */
export async function listLocalBackups(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir)).filter((name) => backupTime(name) !== undefined);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

/** Deletes a backup and its manifest. */
export async function removeLocalBackup(dir: string, name: string): Promise<void> {
  await rm(join(dir, name), { force: true });
  await rm(join(dir, manifestName(name)), { force: true });
}

/**
 * Removes `.tmp` files a killed worker left behind. Only called while holding the backups queue's single slot,
 * so no live dump is writing one.
 */
export async function removeAbandonedTemps(dir: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return [];
  }
  const temps = names.filter((name) => name.endsWith('.tmp'));
  for (const name of temps) {
    if ((await stat(join(dir, name))).isFile()) await rm(join(dir, name), { force: true });
  }
  return temps;
}
