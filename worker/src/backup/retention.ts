import { backupTime } from './names.js';

export type RetentionPolicy = { daily: number; weekly: number; monthly: number };

const dayKey = (d: Date) => d.toISOString().slice(0, 10);
const monthKey = (d: Date) => d.toISOString().slice(0, 7);
/** ISO week (Monday first) as `YYYY-Www`, in UTC like every schedule of the worker. */
function weekKey(d: Date): string {
  const t = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
  const weekday = t.getUTCDay() || 7;
  t.setUTCDate(t.getUTCDate() + 4 - weekday);
  const yearStart = Date.UTC(t.getUTCFullYear(), 0, 1);
  const week = Math.ceil(((t.getTime() - yearStart) / 86_400_000 + 1) / 7);
  return `${t.getUTCFullYear()}-W${String(week).padStart(2, '0')}`;
}

/**
 * Grandfather-father-son: the newest backup of each of the last `daily` days that have one, of the last `weekly`
 * ISO weeks and of the last `monthly` months (restic's `--keep-daily/weekly/monthly` semantics). Applying it
 * every day gives the same result as applying it once, so local and remote copies converge on the same set.
 * Files whose names carry no timestamp are not backups and are always kept.
 */
export function selectKept(fileNames: string[], policy: RetentionPolicy): Set<string> {
  const dated = fileNames
    .map((name) => ({ name, time: backupTime(name) }))
    .filter((f): f is { name: string; time: Date } => f.time !== undefined)
    .sort((a, b) => b.time.getTime() - a.time.getTime());
  const kept = new Set(fileNames.filter((name) => backupTime(name) === undefined));
  for (const [limit, key] of [
    [policy.daily, dayKey],
    [policy.weekly, weekKey],
    [policy.monthly, monthKey],
  ] as const) {
    const seen = new Set<string>();
    for (const file of dated) {
      const bucket = key(file.time);
      if (seen.has(bucket)) continue;
      if (seen.size >= limit) break;
      seen.add(bucket);
      kept.add(file.name);
    }
  }
  return kept;
}

/** The backups a policy lets go, oldest first. */
export function selectExpired(fileNames: string[], policy: RetentionPolicy): string[] {
  const kept = selectKept(fileNames, policy);
  return fileNames
    .filter((name) => !kept.has(name))
    .sort((a, b) => backupTime(a)!.getTime() - backupTime(b)!.getTime());
}
