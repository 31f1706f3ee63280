import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { writeManifest, type Manifest } from './manifest.js';
import { backupFileName, manifestName } from './names.js';
import { databaseName, libpqEnv, pgTool, serverVersion, withClient } from './pg-tools.js';
import { countRows } from './tables.js';

/**
 * Streams `pg_dump --format=custom` of the database into `<dir>/<db>-<UTC timestamp>.dump`, hashing on the way,
 * so memory stays flat whatever the database size. The rows are counted in the very snapshot pg_dump reads
 * (exported from our transaction), so the manifest describes exactly what the file holds. The file is written
 * as `.tmp` and renamed only on success; on failure nothing is left behind.
 */
export async function dumpDatabase(
  databaseUrl: string,
  dir: string,
  now = new Date(),
): Promise<{ path: string; manifest: Manifest }> {
  const database = databaseName(databaseUrl);
  const file = backupFileName(database, now);
  const path = join(dir, file);
  const tmp = `${path}.tmp`;
  await mkdir(dir, { recursive: true });
  return withClient(databaseUrl, async (client) => {
    const version = await serverVersion(client);
    const tool = await pgTool('pg_dump', version.major);
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    try {
      const { rows } = await client.query<{ id: string }>('SELECT pg_export_snapshot() AS id');
      const started = Date.now();
      const [{ size, sha256 }, tables] = await Promise.all([
        runPgDump(tool.path, databaseUrl, rows[0]!.id, tmp),
        countRows(client),
      ]);
      const manifest: Manifest = {
        file,
        database,
        format: 'custom',
        size,
        sha256,
        startedAt: new Date(started).toISOString(),
        finishedAt: new Date().toISOString(),
        durationMs: Date.now() - started,
        serverVersion: version.full,
        pgDumpVersion: tool.version,
        tables,
      };
      await writeManifest(join(dir, manifestName(file)), manifest);
      await rename(tmp, path);
      return { path, manifest };
    } catch (error) {
      await rm(tmp, { force: true });
      await rm(join(dir, manifestName(file)), { force: true });
      throw error;
    } finally {
      await client.query('ROLLBACK').catch(() => {});
    }
  });
}

/** Runs pg_dump with its output piped through sha256 into `target`; rejects with pg_dump's own error text. */
async function runPgDump(
  pgDump: string,
  databaseUrl: string,
  snapshot: string,
  target: string,
): Promise<{ size: number; sha256: string }> {
  const child = spawn(pgDump, ['--format=custom', `--snapshot=${snapshot}`], {
    env: libpqEnv(databaseUrl),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-2000)));
  const exited = new Promise<number>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });
  const hash = createHash('sha256');
  let size = 0;
  const tap = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      hash.update(chunk);
      size += chunk.length;
      callback(null, chunk);
    },
  });
  try {
    await pipeline(child.stdout, tap, createWriteStream(target));
  } catch (error) {
    child.kill('SIGTERM');
    throw error;
  }
  const code = await exited;
  if (code !== 0) throw new Error(`pg_dump failed (exit ${code}): ${stderr.trim() || 'no output'}`);
  return { size, sha256: hash.digest('hex') };
}
