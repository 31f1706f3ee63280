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
      stoppedAt: new Date(b.timestamp.stop * 1000),
      walStart: b.archive.start,
      walStop: b.archive.stop,
      size: b.info.size,
      repoSize: b.info.repository.delta,
    })),
    walMin: stanza.archive[0]?.min ?? undefined,
    walMax: stanza.archive.at(-1)?.max ?? undefined,
  };
}
