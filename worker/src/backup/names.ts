/** `20261124T023000Z`: sortable, colon-free (safe in file names and object keys). */
export function utcStamp(date: Date): string {
  return date
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

/** `<db>-<UTC timestamp>.dump`, the name of every backup file and object. */
export function backupFileName(database: string, date: Date): string {
  return `${database}-${utcStamp(date)}.dump`;
}

const STAMPED = /-(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z\.dump$/;

/** When a backup was taken, read back from its name; undefined for files that are not backups. */
export function backupTime(fileName: string): Date | undefined {
  const m = STAMPED.exec(fileName);
  if (!m) return undefined;
  return new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!));
}

/** The manifest sits next to its dump: `<file>.json`. */
export const manifestName = (dumpName: string) => `${dumpName}.json`;
