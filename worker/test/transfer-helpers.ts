import { QUEUES } from '@taskstack/queues';
import { Queue, QueueEvents } from 'bullmq';
import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import yauzl from 'yauzl';
import type { WorkerConfig } from '../src/config.js';
import { sql } from './helpers.js';

export type TransferRow = {
  id: string;
  status: string;
  progress: number;
  phase: string;
  error: string | null;
  report: {
    created: Record<string, number>;
    skipped: { what: string; reason: string; count: number; examples: string[] }[];
    unknownPeople: string[];
  } | null;
  file_key: string | null;
  file_name: string | null;
  expires_at: Date | null;
};

/** Runs one transfer job to its end and returns its row and every progress value the job reported. */
async function run(config: WorkerConfig, url: string, name: string, transferId: string) {
  const connection = { url: config.REDIS_URL };
  const queue = new Queue(QUEUES.transfers, { connection, prefix: config.REDIS_PREFIX });
  const events = new QueueEvents(QUEUES.transfers, { connection, prefix: config.REDIS_PREFIX });
  const progress: number[] = [];
  try {
    await events.waitUntilReady();
    events.on('progress', ({ jobId, data }) => {
      if (jobId === `transfer-${transferId}`) progress.push(data as number);
    });
    const job = await queue.add(name, { transferId }, { jobId: `transfer-${transferId}`, attempts: 1 });
    await job.waitUntilFinished(events, 60_000).catch(() => {});
  } finally {
    await events.close();
    await queue.close();
  }
  const [row] = await sql<TransferRow>(url, `SELECT * FROM workspace_transfers WHERE id = $1`, [transferId]);
  return { row: row!, progress };
}

export async function runExport(config: WorkerConfig, url: string, workspaceId: string, by: string) {
  const [row] = await sql<{ id: string }>(
    url,
    `INSERT INTO workspace_transfers (workspace_id, kind, created_by) VALUES ($1, 'export', $2) RETURNING id`,
    [workspaceId, by],
  );
  return run(config, url, 'export-workspace', row!.id);
}

/** Puts `file` where the API would have stored the upload, then runs the import. */
export async function runImport(
  config: WorkerConfig,
  url: string,
  files: string,
  input: {
    workspaceId: string;
    by: string;
    source: string;
    file: Buffer;
    fileName?: string;
    options?: object;
  },
) {
  const id = randomUUID();
  const key = `${input.workspaceId}/${id}/${randomUUID()}`;
  mkdirSync(dirname(join(files, key)), { recursive: true });
  writeFileSync(join(files, key), input.file);
  await sql(
    url,
    `INSERT INTO workspace_transfers (id, workspace_id, kind, source, options, file_key, file_name, file_size,
       expires_at, created_by)
     VALUES ($1, $2, 'import', $3, $4, $5, $6, $7, now() + interval '1 day', $8)`,
    [
      id,
      input.workspaceId,
      input.source,
      JSON.stringify(input.options ?? {}),
      key,
      input.fileName ?? 'upload',
      input.file.length,
      input.by,
    ],
  );
  return { ...(await run(config, url, 'import-workspace', id)), uploadKey: key };
}

/** Every entry of a zip, by name. */
export async function unzip(buffer: Buffer): Promise<Map<string, Buffer>> {
  const zip = await yauzl.fromBufferPromise(buffer, { lazyEntries: true });
  const out = new Map<string, Buffer>();
  for await (const entry of zip.eachEntry()) {
    const chunks: Buffer[] = [];
    for await (const chunk of await zip.openReadStreamPromise(entry)) chunks.push(chunk as Buffer);
    out.set(entry.fileName, Buffer.concat(chunks));
  }
  return out;
}

export const fixture = (name: string) => readFileSync(join(import.meta.dirname, 'fixtures', 'imports', name));
