import { execFile, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { promisify } from 'node:util';
import { createDatabase, dropDatabase } from './databases.js';
import { readManifest, type Manifest } from './manifest.js';
import { databaseName, libpqEnv, pgTool, serverVersion, withClient, withDatabase } from './pg-tools.js';
import { compareCounts, countRows } from './tables.js';

const run = promisify(execFile);

export type Progress = (line: string) => void;

/** A backup that must not be restored; the message says why in one line. */
export class RefusedBackupError extends Error {}

async function sha256Of(path: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(path), hash);
  return hash.digest('hex');
}

/**
 * Refuses a dump that is truncated, altered or unreadable by this server's pg_restore (e.g. written by a newer
 * pg_dump) before anything is created, so a bad file never touches a database.
 */
export async function checkBackupFile(
  path: string,
  pgRestore: string,
  progress: Progress = () => {},
): Promise<Manifest> {
  const manifest = await readManifest(`${path}.json`).catch((error: Error) => {
    throw new RefusedBackupError(error.message);
  });
  const name = basename(path);
  const size = (await stat(path).catch(() => undefined))?.size;
  if (size === undefined) throw new RefusedBackupError(`${name} not found`);
  if (size !== manifest.size) {
    throw new RefusedBackupError(
      `${name} is ${size} bytes but its manifest says ${manifest.size}: truncated or altered`,
    );
  }
  progress(`checking sha256 of ${name} (${(size / 1048576).toFixed(1)} MiB)`);
  if ((await sha256Of(path)) !== manifest.sha256) {
    throw new RefusedBackupError(`${name} does not match the sha256 in its manifest: corrupt or altered`);
  }
  try {
    await run(pgRestore, ['--list', path], { maxBuffer: 64 * 1024 * 1024 });
  } catch (error) {
    const detail = String((error as { stderr?: string }).stderr ?? (error as Error).message)
      .trim()
      .split('\n')[0];
    throw new RefusedBackupError(`${name} cannot be read by ${basename(pgRestore)}: ${detail}`);
  }
  progress('checksum and archive header ok');
  return manifest;
}

/** Runs pg_restore into `database`, reporting each table as its data loads; fails on the first error. */
export async function runPgRestore(
  pgRestore: string,
  databaseUrl: string,
  path: string,
  options: { inPlace?: boolean; progress?: Progress } = {},
): Promise<void> {
  const args = [
    '--no-owner',
    '--no-acl',
    '--exit-on-error',
    '--verbose',
    `--dbname=${databaseName(databaseUrl)}`,
  ];
  // In place, everything happens in one transaction: a failure leaves the live data exactly as it was.
  if (options.inPlace) args.push('--clean', '--if-exists', '--single-transaction');
  const child = spawn(pgRestore, [...args, path], {
    env: libpqEnv(databaseUrl),
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let tail = '';
  let partial = '';
  child.stderr.on('data', (chunk: Buffer) => {
    tail = (tail + chunk.toString()).slice(-2000);
    const lines = (partial + chunk.toString()).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) {
      const table = /processing data for table "(.+)"/.exec(line)?.[1];
      if (table) options.progress?.(`loading ${table}`);
    }
  });
  const code = await new Promise<number>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (exit) => resolve(exit ?? 1));
  });
  if (code !== 0) {
    const errors = tail.split('\n').filter((l) => /error/i.test(l));
    throw new Error(`pg_restore failed (exit ${code}): ${(errors.at(-1) ?? tail).trim()}`);
  }
}

/** Checks restored row counts against the manifest; throws listing the tables that differ. */
export async function assertCounts(databaseUrl: string, manifest: Manifest): Promise<void> {
  const actual = await withClient(databaseUrl, countRows);
  const differences = compareCounts(manifest.tables, actual);
  if (differences.length > 0)
    throw new Error(`restored row counts differ from the manifest: ${differences.join('; ')}`);
}

/**
 * Restores a checked backup into a new database `name` on the same server and checks its row counts. The new
 * database is dropped if anything fails, so a failed restore leaves no trace and the live database is untouched.
 */
export async function restoreIntoNewDatabase(
  databaseUrl: string,
  path: string,
  name: string,
  progress: Progress = () => {},
): Promise<Manifest> {
  const version = await withClient(databaseUrl, serverVersion);
  const pgRestore = await pgTool('pg_restore', version.major);
  const manifest = await checkBackupFile(path, pgRestore.path, progress);
  const targetUrl = withDatabase(databaseUrl, name);
  await createDatabase(databaseUrl, name);
  try {
    progress(`restoring into database ${name}`);
    await runPgRestore(pgRestore.path, targetUrl, path, { progress });
    await assertCounts(targetUrl, manifest);
    progress(`row counts of ${Object.keys(manifest.tables).length} tables match the manifest`);
    return manifest;
  } catch (error) {
    await dropDatabase(databaseUrl, name);
    throw error;
  }
}
