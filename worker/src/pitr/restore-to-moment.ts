import { dirname, join } from 'node:path';
import { grantAppRoles } from '@taskstack/db';
import { createDatabase, dropDatabase, swapDatabases } from '../backup/databases.js';
import { utcStamp } from '../backup/names.js';
import { databaseName, withClient, withDatabase } from '../backup/pg-tools.js';
import { RefusedBackupError, type Progress } from '../backup/restore.js';
import { countRows } from '../backup/tables.js';
import { info, type BackupSet, type Pgbackrest, type RepositoryInfo } from './pgbackrest.js';
import { SCRATCH_RESTORE_SCRIPT } from './scratch-script.js';
import { runOnServer } from './server-program.js';

export type RestoreTarget = Date | 'latest';

/** `latest`, or an ISO-8601 time with a zone (`2026-12-01T14:03:00Z`); anything else is refused in one line. */
export function parseTarget(text: string): RestoreTarget {
  if (text === 'latest') return 'latest';
  const date = new Date(text);
  if (!/(Z|[+-]\d\d:?\d\d)$/.test(text) || Number.isNaN(date.getTime()))
    throw new RefusedBackupError(
      `--to "${text}" must be "latest" or an ISO time with a zone, e.g. 2026-12-01T14:03:00Z`,
    );
  return date;
}

/** Settings a cluster replaying WAL must hold at least at the primary's values, or recovery aborts. */
const RECOVERY_MINIMUMS = [
  'max_connections',
  'max_locks_per_transaction',
  'max_prepared_transactions',
  'max_wal_senders',
  'max_worker_processes',
];

/** pgBackRest's time format (`2026-12-01 14:03:00.000+00`); it refuses ISO's `T` and `Z`. */
const pgbackrestTime = (date: Date) => date.toISOString().replace('T', ' ').replace('Z', '+00');

/** Where the live cluster is, as the server itself sees it (the scratch cluster and the copy run there). */
export async function serverFacts(databaseUrl: string) {
  return withClient(databaseUrl, async (c) => {
    const { rows } = await c.query<{
      dir: string;
      sockets: string;
      port: string;
      user: string;
      segment: string;
    }>(
      `SELECT current_setting('data_directory') AS dir, current_setting('unix_socket_directories') AS sockets,
              current_setting('port') AS port, current_user AS user,
              current_setting('wal_segment_size') AS segment`,
    );
    const { rows: settings } = await c.query<{ setting: string }>(
      `SELECT name || '=' || setting AS setting FROM pg_settings WHERE name = ANY($1) ORDER BY name`,
      [RECOVERY_MINIMUMS],
    );
    const row = rows[0]!;
    const socket = row.sockets.split(',')[0]!.trim();
    if (!socket) throw new Error('the server listens on no Unix socket, which the restore copies through');
    return {
      dataDir: row.dir,
      socket,
      port: row.port,
      user: row.user,
      segmentBytes: parseSize(row.segment),
      settings: settings.map((s) => s.setting),
    };
  });
}

function parseSize(setting: string): number {
  const m = /^(\d+)\s*(kB|MB|GB)?$/.exec(setting);
  const unit = { kB: 1024, MB: 1048576, GB: 1073741824 }[m?.[2] ?? 'MB'] ?? 1;
  return Number(m?.[1] ?? 16) * unit;
}

/** Segment number of a WAL file name (timeline ignored), for counting how many lie between two. */
function segmentNumber(wal: string, segmentBytes: number): number {
  return parseInt(wal.slice(8, 16), 16) * (0x100000000 / segmentBytes) + parseInt(wal.slice(16, 24), 16);
}

export type RestorePlan = {
  target: RestoreTarget;
  backup: BackupSet;
  walFrom: string;
  walTo: string;
  walSegments: number;
  walBytes: number;
};

/**
 * What a restore to `target` would use: the newest backup that finished before it, and the WAL from that backup's
 * start to the newest archived segment (an upper bound for a time target: replay stops at the target). Refuses a
 * repository in error, a target before the oldest backup, and a target after the newest archived WAL.
 */
export async function planRestore(pb: Pgbackrest, target: RestoreTarget): Promise<RestorePlan> {
  let repo: RepositoryInfo;
  try {
    repo = await info(pb);
  } catch (error) {
    throw new RefusedBackupError(`the repository cannot be read: ${(error as Error).message}`);
  }
  if (repo.status !== 'ok') throw new RefusedBackupError(`the repository is not usable: ${repo.status}`);
  const candidates = repo.backups.filter((b) => target === 'latest' || b.stoppedAt <= target);
  const backup = candidates.at(-1);
  if (!backup) {
    const oldest = repo.backups[0]?.stoppedAt.toISOString();
    throw new RefusedBackupError(
      oldest
        ? `nothing to restore before ${oldest}, the end of the oldest backup`
        : 'the repository holds no backup',
    );
  }
  const recoveryPoint = await lastArchived(pb.databaseUrl);
  if (target !== 'latest' && (!recoveryPoint || target > recoveryPoint)) {
    throw new RefusedBackupError(
      `${target.toISOString()} is after the newest archived WAL (${recoveryPoint?.toISOString() ?? 'none'}): nothing records it yet`,
    );
  }
  const { segmentBytes } = await serverFacts(pb.databaseUrl);
  const walTo = repo.walMax ?? backup.walStop;
  const walSegments = segmentNumber(walTo, segmentBytes) - segmentNumber(backup.walStart, segmentBytes) + 1;
  return {
    target,
    backup,
    walFrom: backup.walStart,
    walTo,
    walSegments,
    walBytes: walSegments * segmentBytes,
  };
}

/** When the live server last archived a WAL file (its recovery point), from pg_stat_archiver. */
export async function lastArchived(databaseUrl: string): Promise<Date | undefined> {
  return withClient(databaseUrl, async (c) => {
    const { rows } = await c.query<{ at: Date | null }>(
      `SELECT last_archived_time AS at FROM pg_stat_archiver`,
    );
    return rows[0]?.at ?? undefined;
  });
}

export type MomentRestoreOptions = {
  /** Where the scratch cluster is built, on the database server; default: beside the live data directory. */
  scratchDir?: string;
  /** Leave the restored copy as its own database instead of switching the application to it. */
  keepAside?: boolean;
  /** The app's roles (DATABASE_APP_ROLES): the copy is made without grants, so theirs are given back before it is live. */
  appRoles?: string[];
  progress?: Progress;
};

export type MomentRestoreResult = {
  plan: RestorePlan;
  /** The database now holding the restored data (the live name after a switch). */
  database: string;
  /** The database the live data was renamed to, kept until dropped. */
  previous?: string;
  tables: Record<string, number>;
};

/**
 * Restores the live database as it was at `target` into a new database via a scratch cluster, checks that the
 * copy holds the application's tables, then (unless `keepAside`) switches the application to it and keeps the
 * previous data as `<db>_before_<stamp>`. Any failure drops the new database; the live one is untouched.
 */
export async function restoreToMoment(
  pb: Pgbackrest,
  target: RestoreTarget,
  options: MomentRestoreOptions = {},
): Promise<MomentRestoreResult> {
  const progress = options.progress ?? (() => {});
  const plan = await planRestore(pb, target);
  progress(describePlan(plan));
  const facts = await serverFacts(pb.databaseUrl);
  const live = databaseName(pb.databaseUrl);
  const stamp = utcStamp(new Date()).toLowerCase();
  const copy = `${live}_pitr_${stamp}`;
  const scratch = join(options.scratchDir ?? dirname(facts.dataDir), `pitr-scratch-${stamp}`);
  const when = target === 'latest' ? 'latest' : pgbackrestTime(target);
  await createDatabase(pb.databaseUrl, copy);
  try {
    const output = await runOnServer(pb.databaseUrl, [
      'bash',
      '-c',
      SCRATCH_RESTORE_SCRIPT,
      'pitr-restore',
      pb.stanza,
      when,
      scratch,
      live,
      facts.port,
      facts.user,
      copy,
      facts.socket,
      ...facts.settings,
    ]);
    for (const line of output.trim().split('\n')) progress(line);
    const tables = await withClient(withDatabase(pb.databaseUrl, copy), countRows);
    if (!('public.schema_migrations' in tables))
      throw new Error(`the restored copy has no migrations table: not a taskstack database`);
    progress(`restored ${Object.keys(tables).length} tables into ${copy}`);
    await withClient(withDatabase(pb.databaseUrl, copy), (c) =>
      grantAppRoles((statement) => c.query(statement), options.appRoles ?? []),
    );
    if (options.keepAside) return { plan, database: copy, tables };
    const previous = `${live}_before_${stamp}`;
    progress(`switching: ${live} becomes ${previous}, ${copy} becomes ${live}`);
    await swapDatabases(pb.databaseUrl, live, copy, previous);
    return { plan, database: live, previous, tables };
  } catch (error) {
    await dropDatabase(pb.databaseUrl, copy);
    throw error;
  }
}

/** One line saying what a restore would use, printed by the dry run and before every restore. */
export function describePlan(plan: RestorePlan): string {
  const to = plan.target === 'latest' ? 'the newest archived WAL' : plan.target.toISOString();
  const mib = (plan.walBytes / 1048576).toFixed(0);
  return (
    `restore to ${to} from ${plan.backup.type} backup ${plan.backup.label} (finished ` +
    `${plan.backup.stoppedAt.toISOString()}, ${(plan.backup.size / 1048576).toFixed(1)} MiB) and up to ` +
    `${plan.walSegments} WAL segments (${mib} MiB, ${plan.walFrom} … ${plan.walTo})`
  );
}
