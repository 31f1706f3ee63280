import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { makeCertificates } from './certificates.js';
import { freePort, startProcess, stopProcess, waitUntil } from './processes.js';

export type Service = { url: string; stop: () => Promise<void> };

/**
 * Extra server settings (`-c name=value`, after the defaults so they win) and environment of the server process.
 * With `tls`, the server is set up as the stack's is: TCP connections only over TLS, with a certificate for
 * 127.0.0.1 and localhost from a CA of its own.
 */
export type PostgresOptions = {
  settings?: Record<string, string>;
  env?: (server: { dataDir: string; port: number }) => NodeJS.ProcessEnv;
  tls?: boolean;
};

/**
 * Server settings for TLS: certificate and key in the data directory (the server insists the key is its user's
 * alone), and a pg_hba.conf without `host` lines, so a TCP client that does not start TLS is refused.
 */
function tlsSettings(dir: string, owner: { uid: number; gid: number } | undefined) {
  const { caFile, certFile, keyFile } = makeCertificates(dir, ['127.0.0.1', 'localhost']);
  const hbaFile = join(dir, 'pg_hba_tls.conf');
  writeFileSync(hbaFile, 'local all all trust\nhostssl all all all trust\n');
  chmodSync(keyFile, 0o600);
  if (owner) for (const file of [certFile, keyFile, hbaFile]) chownSync(file, owner.uid, owner.gid);
  return {
    caFile,
    settings: { ssl: 'on', ssl_cert_file: certFile, ssl_key_file: keyFile, hba_file: hbaFile },
  };
}

/** Finds initdb/postgres of the newest PostgreSQL installed the Debian way, or on PATH. */
function postgresBinDir(): string {
  const root = '/usr/lib/postgresql';
  if (existsSync(root)) {
    const versions = readdirSync(root)
      .filter((v) => existsSync(join(root, v, 'bin', 'initdb')))
      .sort((a, b) => Number(b) - Number(a));
    if (versions[0]) return join(root, versions[0], 'bin');
  }
  try {
    return execFileSync('pg_config', ['--bindir'], { encoding: 'utf8' }).trim();
  } catch {
    throw new Error(
      'PostgreSQL server binaries not found: run `npm run setup` (installs the postgresql package)',
    );
  }
}

/** PostgreSQL refuses to run as root, so as root the server runs as the `postgres` user. */
function asPostgres(command: string, args: string[]): [string, string[]] {
  return process.getuid?.() === 0 ? ['runuser', ['-u', 'postgres', '--', command, ...args]] : [command, args];
}

/**
 * Starts a throw-away PostgreSQL server in a temp directory; `stop()` shuts it down and deletes its data. The
 * server's environment (e.g. for an archive_command) gets `options.env` and the server's bin directory on PATH.
 */
export async function startPostgres(
  options: PostgresOptions = {},
): Promise<Service & { dataDir: string; port: number; caFile?: string }> {
  const bin = postgresBinDir();
  const dir = mkdtempSync(join(tmpdir(), 'taskstack-pg-'));
  const owner = process.getuid?.() === 0 ? userIds('postgres') : undefined;
  if (owner) chownSync(dir, owner.uid, owner.gid);
  const [initCmd, initArgs] = asPostgres(join(bin, 'initdb'), [
    '-D',
    dir,
    '-U',
    'postgres',
    '--auth=trust',
    '-E',
    'UTF8',
    '--locale=C.UTF-8',
    '--no-sync',
  ]);
  execFileSync(initCmd, initArgs, { stdio: 'pipe' });
  const tls = options.tls ? tlsSettings(dir, owner) : undefined;
  const port = await freePort();
  const [cmd, args] = asPostgres(join(bin, 'postgres'), [
    '-D',
    dir,
    '-p',
    String(port),
    '-k',
    dir,
    '-c',
    'listen_addresses=127.0.0.1',
    // Throw-away data: durability is not needed, speed is.
    '-c',
    'fsync=off',
    '-c',
    'synchronous_commit=off',
    '-c',
    'full_page_writes=off',
    '-c',
    'max_connections=300',
    ...Object.entries({ ...tls?.settings, ...options.settings }).flatMap(([name, value]) => [
      '-c',
      `${name}=${value}`,
    ]),
  ]);
  const proc = startProcess(cmd, args, {
    env: {
      ...process.env,
      ...options.env?.({ dataDir: dir, port }),
      PATH: `${bin}:${process.env.PATH ?? ''}`,
    },
  });
  // With TLS, the URL carries what every client needs to verify the server (libpq's parameters, which
  // node-postgres reads too).
  const url =
    `postgres://postgres@127.0.0.1:${port}/postgres` +
    (tls ? `?sslmode=verify-full&sslrootcert=${encodeURIComponent(tls.caFile)}` : '');
  await waitUntil(
    'postgres',
    async () => {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      await client.end();
    },
    proc,
  );
  return {
    url,
    dataDir: dir,
    port,
    caFile: tls?.caFile,
    stop: async () => {
      // SIGINT is PostgreSQL's "fast" shutdown: disconnect clients, no waiting.
      proc.child.kill('SIGINT');
      await stopProcess(proc.child);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function userIds(name: string): { uid: number; gid: number } {
  const uid = Number(execFileSync('id', ['-u', name], { encoding: 'utf8' }));
  const gid = Number(execFileSync('id', ['-g', name], { encoding: 'utf8' }));
  return { uid, gid };
}
