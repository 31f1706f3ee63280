import { backupFileName } from '../src/backup/names.js';

/** A backup file per day at 02:30 UTC from `start`, for `days` days. */
export function calendar(start: string, days: number): string[] {
  return Array.from({ length: days }, (_, i) => {
    const at = new Date(`${start}T02:30:00Z`);
    at.setUTCDate(at.getUTCDate() + i);
    return backupFileName('taskstack', at);
  });
}

/** What 7 daily / 4 weekly / 6 monthly keep after daily backups from 2025-01-01 to 2026-02-04 (a Wednesday). */
export const EXPECTED_AFTER_400_DAYS = [
  '2025-09-30', // monthly: the last backup of each of the previous five months
  '2025-10-31',
  '2025-11-30',
  '2025-12-31',
  '2026-01-18', // weekly: the Sundays ending the previous ISO weeks
  '2026-01-25',
  '2026-01-29', // daily: the last seven days (Jan 31 and Feb 1 also close a month and a week)
  '2026-01-30',
  '2026-01-31',
  '2026-02-01',
  '2026-02-02',
  '2026-02-03',
  '2026-02-04',
].map((day) => `taskstack-${day.replaceAll('-', '')}T023000Z.dump`);
