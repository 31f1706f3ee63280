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
 * The repositories the server is configured with (1: the backup volume; 2: the S3/Spaces bucket, when the stack has
 * one), as `pgbackrest info` lists them. archive-push and restore use all of them by themselves; backup and verify
 * take one at a time.
 */
export async function repositories(pb: Pgbackrest): Promise<number[]> {
  return (await stanzaInfo(pb)).repo.map((r) => r.key).sort();
}

/**
 * A full or differential backup in every repository, then expiry by time: full backups (and what depends on them)
 * older than `retentionDays` go, but never the newest one needed to restore to any moment of the window. Each
 * repository holds a whole set of its own, so losing the volume or the bucket still leaves every moment restorable.
 */
export async function backup(pb: Pgbackrest, type: 'full' | 'diff'): Promise<BackupSet> {
  for (const repo of await repositories(pb)) {
    await pgbackrest(pb, 'backup', [
      `--repo=${repo}`,
      `--type=${type}`,
      `--repo${repo}-retention-full-type=time`,
      `--repo${repo}-retention-full=${pb.retentionDays}`,
    ]);
  }
  const newest = (await info(pb)).backups.at(-1);
  if (!newest) throw new Error('pgbackrest backup reported success but lists no backup');
  return newest;
}

export type BackupSet = {
  /** The repository holding it (1: the backup volume, 2: the S3/Spaces bucket). */
  repo: number;
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
  /** 'ok' (at least one repository is), or pgBackRest's message about the stanza (e.g. missing stanza path). */
  status: string;
  backups: BackupSet[];
  walMin: string | undefined;
  walMax: string | undefined;
};

type InfoJson = Array<{
  status: { code: number; message: string };
  archive: Array<{ min: string | null; max: string | null }>;
  repo: Array<{ key: number; status: { code: number; message: string } }>;
  backup: Array<{
    database: { 'repo-key': number };
    label: string;
    type: 'full' | 'diff' | 'incr';
    timestamp: { start: number; stop: number };
    archive: { start: string; stop: string };
    info: { size: number; repository: { delta: number } };
  }>;
}>;

async function stanzaInfo(pb: Pgbackrest): Promise<InfoJson[number]> {
  const [stanza] = JSON.parse(await pgbackrest(pb, 'info', ['--output=json'])) as InfoJson;
  if (!stanza) throw new Error(`pgbackrest info knows no stanza ${pb.stanza}`);
  return stanza;
}

/** The stanza's backups in all repositories (oldest first) and archived WAL range, from `pgbackrest info`. */
export async function info(pb: Pgbackrest): Promise<RepositoryInfo> {
  const stanza = await stanzaInfo(pb);
  return {
    // One readable repository is enough to restore from (the bucket when the volume is lost); verify, which the
    // drill runs, still reports the broken one.
    status:
      stanza.status.code === 0 || stanza.repo.some((r) => r.status.code === 0) ? 'ok' : stanza.status.message,
    backups: stanza.backup.map((b) => ({
      repo: b.database['repo-key'],
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
 * returned problems are pgBackRest's own lines (e.g. `invalid checksum '…'`, `status: error`), each repository's
 * prefixed with its number.
 */
export async function verify(pb: Pgbackrest): Promise<{ ok: boolean; problems: string[]; output: string }> {
  let repos: number[];
  try {
    repos = await repositories(pb);
  } catch (error) {
    const message = (error as Error).message;
    return { ok: false, problems: [`pgbackrest info: ${message}`], output: message };
  }
  const results = [];
  for (const repo of repos) results.push(await verifyRepository(pb, repo));
  return {
    ok: results.every((r) => r.problems.length === 0),
    problems: results.flatMap((r, i) =>
      r.problems.map((p) => (repos.length > 1 ? `repo ${repos[i]}: ${p}` : p)),
    ),
    output: results.map((r) => r.output).join('\n'),
  };
}

async function verifyRepository(
  pb: Pgbackrest,
  repo: number,
): Promise<{ problems: string[]; output: string }> {
  let output: string;
  try {
    output = await runOnServer(pb.databaseUrl, [
      'pgbackrest',
      `--stanza=${pb.stanza}`,
      '--log-level-console=info',
      'verify',
      `--repo=${repo}`,
    ]);
  } catch (error) {
    const message = (error as Error).message;
    return { problems: [`pgbackrest verify: ${message}`], output: message };
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
  return { problems, output };
}
