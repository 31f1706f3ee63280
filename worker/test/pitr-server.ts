import { onServer, prepareTemplateDatabase, TEMPLATE_DATABASE, withDatabase } from '@taskstack/db/testing';
import { startPostgres } from '@taskstack/devservices';
import { execFileSync } from 'node:child_process';
import { chownSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Pgbackrest } from '../src/pitr/pgbackrest.js';
import { sql } from './helpers.js';

/**
 * A PostgreSQL server of its own that archives WAL with pgBackRest into a repository in a temp directory, the way
 * the stack's Postgres image is configured (archive_command, archive_timeout, PGBACKREST_* in the server's
 * environment), holding a migrated `taskstack` database. `env` adds to the server's pgBackRest settings (e.g. a
 * second repository in S3).
 */
export async function startArchivingPostgres(
  stanza = 'taskstack',
  archiveTimeout = '60s',
  env: Record<string, string> = {},
) {
  const root = mkdtempSync(join(tmpdir(), 'taskstack-pitr-'));
  const repo = join(root, 'repo');
  mkdirSync(repo);
  mkdirSync(join(root, 'lock'));
  if (process.getuid?.() === 0) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }));
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }));
    for (const dir of [root, repo, join(root, 'lock')]) chownSync(dir, uid, gid);
  }
  const server = await startPostgres({
    settings: {
      archive_mode: 'on',
      archive_command: `pgbackrest --stanza=${stanza} archive-push %p`,
      archive_timeout: archiveTimeout,
      // Backups must be recoverable; the throw-away default of off is not.
      full_page_writes: 'on',
    },
    env: ({ dataDir, port }) => ({
      PGBACKREST_REPO1_PATH: repo,
      PGBACKREST_PG1_PATH: dataDir,
      PGBACKREST_PG1_PORT: String(port),
      PGBACKREST_PG1_SOCKET_PATH: dataDir,
      PGBACKREST_PG1_USER: 'postgres',
      PGBACKREST_LOG_LEVEL_FILE: 'off',
      PGBACKREST_LOCK_PATH: join(root, 'lock'),
      PGBACKREST_START_FAST: 'y',
      ...env,
    }),
  });
  await prepareTemplateDatabase(server.url);
  await onServer(server.url, (c) => c.query(`CREATE DATABASE taskstack TEMPLATE ${TEMPLATE_DATABASE}`));
  const url = withDatabase(server.url, 'taskstack');
  const pb: Pgbackrest = { databaseUrl: url, stanza, retentionDays: 14 };
  return {
    url,
    pb,
    repo,
    /** A scratch directory the server's OS user can write, for restores. */
    scratch: root,
    /** Closes the current WAL segment and waits until the archiver has pushed it. */
    async archiveNow(): Promise<Date> {
      const wal = (await sql<{ wal: string }>(url, `SELECT pg_walfile_name(pg_switch_wal()) AS wal`))[0]!.wal;
      for (let i = 0; i < 300; i++) {
        const [row] = await sql<{ last: string | null; at: Date | null }>(
          url,
          `SELECT last_archived_wal AS last, last_archived_time AS at FROM pg_stat_archiver`,
        );
        if (row?.last && row.last >= wal && row.at) return row.at;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      throw new Error(`WAL ${wal} was not archived within 30 s`);
    },
    async stop() {
      await server.stop();
      rmSync(root, { recursive: true, force: true });
    },
  };
}
