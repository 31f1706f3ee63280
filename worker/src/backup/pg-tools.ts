import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';

const run = promisify(execFile);

/** Where Debian's postgresql-client-NN puts each major version's tools side by side. */
const DEBIAN_PG_ROOT = '/usr/lib/postgresql';

/** Parts of a database URL, so tools get the password through the environment, never on a visible command line. */
export function libpqEnv(databaseUrl: string): NodeJS.ProcessEnv {
  const url = new URL(databaseUrl);
  const env: NodeJS.ProcessEnv = {
    PGHOST: decodeURIComponent(url.hostname) || 'localhost',
    PGPORT: url.port || '5432',
    PGDATABASE: databaseName(databaseUrl),
  };
  if (url.username) env.PGUSER = decodeURIComponent(url.username);
  if (url.password) env.PGPASSWORD = decodeURIComponent(url.password);
  // TLS as the URL asks (verify-full against its CA file in the stack: fields.ts, databaseUrl).
  const sslmode = url.searchParams.get('sslmode');
  if (sslmode) env.PGSSLMODE = sslmode;
  const sslrootcert = url.searchParams.get('sslrootcert');
  if (sslrootcert) env.PGSSLROOTCERT = sslrootcert;
  return { ...process.env, ...env };
}

export function databaseName(databaseUrl: string): string {
  return decodeURIComponent(new URL(databaseUrl).pathname.replace(/^\//, '')) || 'postgres';
}

/** The same server and credentials, another database (e.g. `postgres` to create or rename databases). */
export function withDatabase(databaseUrl: string, name: string): string {
  const url = new URL(databaseUrl);
  url.pathname = `/${encodeURIComponent(name)}`;
  return url.toString();
}

/** Runs `fn` on a single connection to `databaseUrl`, always closing it. */
export async function withClient<T>(databaseUrl: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: databaseUrl, application_name: 'taskstack-backup' });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** The server's major version (15 for 15.18), which the dump and restore tools must match. */
export async function serverVersion(client: pg.Client): Promise<{ major: number; full: string }> {
  const { rows } = await client.query<{ num: string; full: string }>(
    `SELECT current_setting('server_version_num') AS num, current_setting('server_version') AS full`,
  );
  return { major: Math.floor(Number(rows[0]!.num) / 10000), full: rows[0]!.full };
}

/**
 * Finds pg_dump/pg_restore of exactly the server's major version (Debian keeps several side by side) and fails
 * with what to install otherwise: an older pg_dump refuses newer servers, a newer one writes archives the
 * server's own pg_restore cannot read.
 */
export async function pgTool(
  tool: 'pg_dump' | 'pg_restore',
  serverMajor: number,
): Promise<{ path: string; version: string }> {
  const candidates = [join(DEBIAN_PG_ROOT, String(serverMajor), 'bin', tool), tool];
  let found: { path: string; version: string; major: number } | undefined;
  for (const path of candidates) {
    if (path.startsWith('/') && !existsSync(path)) continue;
    try {
      const { stdout } = await run(path, ['--version']);
      const version = /\d+(\.\d+)?/.exec(stdout)?.[0] ?? '';
      found = { path, version, major: Number(version.split('.')[0]) };
      if (found.major === serverMajor) return found;
    } catch {
      // not installed under this name: try the next candidate
    }
  }
  throw new Error(
    found
      ? `${tool} ${found.version} does not match the PostgreSQL ${serverMajor} server: install postgresql-client-${serverMajor}`
      : `${tool} not found: install postgresql-client-${serverMajor}`,
  );
}
