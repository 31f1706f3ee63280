import { randomJournalEntry, type Queryable } from '@taskstack/db/repositories';
import { dirname, join } from 'node:path';
import { utcStamp } from '../backup/names.js';
import { databaseName } from '../backup/pg-tools.js';
import {
  compareFingerprints,
  FINGERPRINT_QUERIES_SQL,
  FINGERPRINT_SETTINGS,
  parseFingerprints,
} from './fingerprints.js';
import { info, verify, type Pgbackrest } from './pgbackrest.js';
import { lastArchived, serverFacts } from './restore-to-moment.js';
import { SCRATCH_DRILL_SCRIPT } from './scratch-script.js';
import { runOnServer, ServerProgramError } from './server-program.js';

export type DrillOptions = {
  /** Where the scratch cluster is built, on the database server; default: beside the live data directory. */
  scratchDir?: string;
  /**
   * Journal moments younger than this are not picked: their WAL may still be on its way to the repository (it is
   * archived at least every minute; WalArchiveLagHigh fires past 5 minutes). Default 5 minutes.
   */
  settleMs?: number;
  progress?: (line: string) => void;
};

export type DrillOutcome = {
  /** Empty when the drill passed. */
  problems: string[];
  targetTime?: Date;
  journalId?: string;
  details: {
    window?: { from: string; to: string };
    tables?: number;
    verify?: 'passed' | 'failed';
    log?: string[];
  };
};

/** The last lines a failed server program printed, which say why (pgBackRest's or Postgres's error). */
function tail(error: unknown): string {
  const output = error instanceof ServerProgramError ? error.output : '';
  const last = output.trim().split('\n').filter(Boolean).slice(-3).join(' | ');
  return last || (error as Error).message;
}

/**
 * The nightly restore drill. Picks a random journal moment of the last 24 h that the repository can reach,
 * restores the cluster as it was then into a scratch cluster on the database server (a private socket, archiving
 * off, removed afterwards: the live cluster gains nothing, not even a database), fingerprints its tables with the
 * journal's own statements and compares them with the journal; then `pgbackrest verify` reads the whole
 * repository. Every problem found is returned; an exception means the drill itself could not run.
 */
export async function runDrill(
  pb: Pgbackrest,
  db: Queryable,
  options: DrillOptions = {},
): Promise<DrillOutcome> {
  const progress = options.progress ?? (() => {});
  const problems: string[] = [];
  const details: DrillOutcome['details'] = {};
  const outcome = { problems, details } as DrillOutcome;
  const repo = await info(pb).catch((error: Error) => {
    problems.push(`the repository cannot be read: ${error.message}`);
    return undefined;
  });
  const windowStart = repo?.backups[0]?.stoppedAt;
  const recoveryPoint = await lastArchived(pb.databaseUrl);
  if (repo && !windowStart) problems.push('the repository holds no backup: nothing can be restored');
  if (repo && repo.status !== 'ok') problems.push(`the repository is not usable: ${repo.status}`);
  if (windowStart && recoveryPoint) {
    const now = Date.now();
    const from = new Date(Math.max(now - 24 * 3600_000, windowStart.getTime()));
    const to = new Date(Math.min(recoveryPoint.getTime(), now - (options.settleMs ?? 5 * 60_000)));
    details.window = { from: from.toISOString(), to: to.toISOString() };
    const entry = from <= to ? await randomJournalEntry(db, from, to) : undefined;
    if (!entry) {
      problems.push(`no journal entry between ${from.toISOString()} and ${to.toISOString()} to restore to`);
    } else {
      outcome.targetTime = entry.recordedAt;
      outcome.journalId = entry.id;
      progress(`restoring to journal moment ${entry.recordedAtExact}`);
      try {
        const lines = await restoreAndFingerprint(pb, entry.recordedAtExact, options.scratchDir);
        details.log = lines.filter((l) => !l.startsWith('fingerprint\t'));
        for (const line of details.log) progress(line);
        const restored = parseFingerprints(lines);
        details.tables = Object.keys(restored).length;
        problems.push(...compareFingerprints(entry.tables, restored));
      } catch (error) {
        problems.push(`restore to ${entry.recordedAtExact} failed: ${tail(error)}`);
      }
    }
  } else if (windowStart) {
    problems.push('the server has never archived WAL: nothing after the backup can be restored');
  }
  progress('verifying the repository (pgbackrest verify)');
  const verified = await verify(pb);
  details.verify = verified.ok ? 'passed' : 'failed';
  problems.push(...verified.problems.map((p) => `pgbackrest verify: ${p}`));
  return outcome;
}

/** Runs the drill script on the server: the scratch cluster at `exactIso`, fingerprinted; returns its lines. */
async function restoreAndFingerprint(
  pb: Pgbackrest,
  exactIso: string,
  scratchDir?: string,
): Promise<string[]> {
  const facts = await serverFacts(pb.databaseUrl);
  const scratch = join(
    scratchDir ?? dirname(facts.dataDir),
    `pitr-drill-${utcStamp(new Date()).toLowerCase()}`,
  );
  const sql = [
    ...FINGERPRINT_SETTINGS.map((s) => `${s};`),
    `SELECT query FROM (${FINGERPRINT_QUERIES_SQL}) q \\gexec`,
  ].join('\n');
  const output = await runOnServer(pb.databaseUrl, [
    'bash',
    '-c',
    SCRATCH_DRILL_SCRIPT,
    'pitr-drill',
    pb.stanza,
    // pgBackRest's time format, keeping the microseconds.
    exactIso.replace('T', ' ').replace('Z', '+00'),
    scratch,
    databaseName(pb.databaseUrl),
    facts.port,
    facts.user,
    sql,
    ...facts.settings,
  ]);
  return output.trim().split('\n');
}
