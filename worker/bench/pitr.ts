/**
 * `npm run bench -w @taskstack/worker` (second part): point-in-time restore time per GiB. Seeds BENCH_PITR_MB
 * (default 300) into a server archiving WAL with pgBackRest, takes a full backup, then restores to the latest
 * moment through the scratch cluster into a new database and prints each figure and the time per GiB of
 * database (linear extrapolation: restore, WAL replay and the copy all stream the data once).
 */
import { ensureStanza, backup } from '../src/pitr/pgbackrest.js';
import { restoreToMoment } from '../src/pitr/restore-to-moment.js';
import { withClient } from '../src/backup/pg-tools.js';
import { startArchivingPostgres } from '../test/pitr-server.js';
import { seedBulk } from './services.js';

const MB = Number(process.env.BENCH_PITR_MB ?? 300);
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const load = async () =>
  (await import('node:os'))
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');

const server = await startArchivingPostgres();
try {
  console.log(`(c) load average before: ${await load()}`);
  await ensureStanza(server.pb);
  let started = Date.now();
  const size = await seedBulk(server.url, MB);
  console.log(`(c) database seeded with WAL archiving on: ${size} in ${seconds(Date.now() - started)}`);
  started = Date.now();
  const full = await backup(server.pb, 'full');
  console.log(
    `(c) pgBackRest full backup: ${seconds(Date.now() - started)} (${(full.repoSize / 1048576).toFixed(0)} MiB in the repository)`,
  );
  await server.archiveNow();
  const bytes = await withClient(server.url, async (c) =>
    Number((await c.query<{ n: string }>(`SELECT pg_database_size(current_database()) AS n`)).rows[0]!.n),
  );
  started = Date.now();
  const steps: string[] = [];
  await restoreToMoment(server.pb, 'latest', {
    scratchDir: server.scratch,
    keepAside: true,
    // The server-side steps carry their own elapsed seconds ([N s]); their output arrives when they end.
    progress: (line) => steps.push(line),
  });
  const ms = Date.now() - started;
  console.log(`(c) restore to latest (scratch cluster + copy into a new database): ${seconds(ms)}`);
  for (const step of steps) console.log(`    ${step}`);
  console.log(
    `(c) restore time per GiB of database: ${seconds(ms / (bytes / 1073741824))} (measured on ${(bytes / 1048576).toFixed(0)} MiB, extrapolated linearly)`,
  );
  console.log(`(c) load average after: ${await load()}`);
} finally {
  await server.stop();
}
