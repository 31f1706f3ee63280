import { runOnServer } from './server-program.js';

/** The pgBackRest stanza of the live cluster and the retention the worker applies when it backs up. */
export type Pgbackrest = { databaseUrl: string; stanza: string; retentionDays: number };

/** Runs one pgBackRest command next to the live cluster (its repositories are configured there). */
export function pgbackrest(pb: Pgbackrest, command: string, options: string[] = []): Promise<string> {
  return runOnServer(pb.databaseUrl, [
    'pgbackrest',
    `--stanza=${pb.stanza}`,
    '--log-level-console=warn',
    command,
    ...options,
  ]);
}

/** Creates the stanza on first use; repeating it on a stanza that exists and matches the cluster is a no-op. */
export async function ensureStanza(pb: Pgbackrest): Promise<void> {
  await pgbackrest(pb, 'stanza-create');
}

/**
 * A full or differential backup, then expiry by time: full backups (and what depends on them) older than
 * `retentionDays` go, but never the newest one needed to restore to any moment of the window.
 */
export async function backup(pb: Pgbackrest, type: 'full' | 'diff'): Promise<BackupSet> {
  await pgbackrest(pb, 'backup', [
    `--type=${type}`,
    '--repo1-retention-full-type=time',
    `--repo1-retention-full=${pb.retentionDays}`,
  ]);
  const newest = (await info(pb)).backups.at(-1);
  if (!newest) throw new Error('pgbackrest backup reported success but lists no backup');
  return newest;
}

export type BackupSet = {
  label: string;
  type: 'full' | 'diff' | 'incr';
  startedAt: Date;
  /** The first whole second after the backup stopped: the earliest moment it restores to. */
  stoppedAt: Date;
  /** WAL segments from the backup's start to its consistency point. */
  walStart: string;
  walStop: string;
  /** Bytes of the database the backup holds, and of the repository files it added. */
  size: number;
  repoSize: number;
};

export type RepositoryInfo = {
  /** 'ok', or pgBackRest's message about the stanza (e.g. missing stanza path). */
  status: string;
  backups: BackupSet[];
  walMin: string | undefined;
  walMax: string | undefined;
};

type InfoJson = Array<{
  status: { code: number; message: string };
  archive: Array<{ min: string | null; max: string | null }>;
  backup: Array<{
    label: string;
    type: 'full' | 'diff' | 'incr';
    timestamp: { start: number; stop: number };
    archive: { start: string; stop: string };
    info: { size: number; repository: { delta: number } };
  }>;
}>;

/** The stanza's backups (oldest first) and archived WAL range, from `pgbackrest info`. */
export async function info(pb: Pgbackrest): Promise<RepositoryInfo> {
  const [stanza] = JSON.parse(await pgbackrest(pb, 'info', ['--output=json'])) as InfoJson;
  if (!stanza) throw new Error(`pgbackrest info knows no stanza ${pb.stanza}`);
  return {
    status: stanza.status.code === 0 ? 'ok' : stanza.status.message,
    backups: stanza.backup.map((b) => ({
      label: b.label,
      type: b.type,
      startedAt: new Date(b.timestamp.start * 1000),
      // pgBackRest stamps the stop in whole seconds, and refuses a target within that second (no backup set "with
      // stop time less than" it): the next whole second is the first moment the backup can surely restore.
      stoppedAt: new Date((b.timestamp.stop + 1) * 1000),
      walStart: b.archive.start,
      walStop: b.archive.stop,
      size: b.info.size,
      repoSize: b.info.repository.delta,
    })),
    walMin: stanza.archive[0]?.min ?? undefined,
    walMax: stanza.archive.at(-1)?.max ?? undefined,
  };
}

/**
 * `pgbackrest verify`: reads every file of the repository (backups and archived WAL) and checks its checksum and
 * size. pgBackRest 2.45 exits 0 even when it finds corruption and reports it only at log level info, so its
 * output is parsed: the repository passes only when verify completed and said no stanza is in error. The
 * returned problems are pgBackRest's own lines (e.g. `invalid checksum '…'`, `status: error`).
 */
export async function verify(pb: Pgbackrest): Promise<{ ok: boolean; problems: string[]; output: string }> {
  let output: string;
  try {
    output = await runOnServer(pb.databaseUrl, [
      'pgbackrest',
      `--stanza=${pb.stanza}`,
      '--log-level-console=info',
      'verify',
    ]);
  } catch (error) {
    const message = (error as Error).message;
    return { ok: false, problems: [`pgbackrest verify: ${message}`], output: message };
  }
  const lines = output.split('\n').map((l) => l.trim());
  const problems = lines
    .filter(
      (l) =>
        /^status: error/.test(l) ||
        /\b(WARN|ERROR):/.test(l) ||
        /^\S+ \S+ P\d+ +INFO: (invalid|missing|unable)/.test(l) ||
        /(checksum invalid|size invalid|missing|other): [1-9]/.test(l),
    )
    .map((l) => l.replace(/^\S+ \S+ P\d+ +\w+: /, ''));
  const completed = lines.some((l) => /verify command end: completed successfully/.test(l));
  if (!completed) problems.push('pgbackrest verify did not report completing');
  return { ok: problems.length === 0, problems, output };
}
