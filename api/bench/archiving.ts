/**
 * `npm run bench -w @taskstack/api` (second part): what continuous WAL archiving with pgBackRest costs the API's
 * writes. Two durable PostgreSQL servers (fsync, synchronous_commit and full_page_writes on, as in production) that
 * differ only in archiving — one pushes every WAL segment with `pgbackrest archive-push` as the stack's Postgres does
 * (archive_timeout 60 s), the other archives nothing — each behind its own API process, seeded alike. create-task
 * and move-task run in alternating rounds against both; the figure is the throughput given up by archiving
 * (target of the point-in-time recovery issue: ≤ 5 %).
 *
 * Settings: BENCH_SECONDS (10 per run), BENCH_ROUNDS (3; medians), BENCH_CONNECTIONS (50), BENCH_TASKS (2000).
 */
import { connectDatabase, migrateUp } from '@taskstack/db';
import { onServer, withDatabase } from '@taskstack/db/testing';
import { startPostgres, startRedis } from '@taskstack/devservices';
import autocannon, { type Result } from 'autocannon';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startChild, type Child } from './child.js';
import { line, loadAverage, median, SCENARIOS } from './scenarios.js';
import { seed, type Seeded } from './seed.js';

const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 50);
const taskCount = Number(process.env.BENCH_TASKS ?? 2000);
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const STANZA = 'bench';
const DURABLE = { fsync: 'on', synchronous_commit: 'on', full_page_writes: 'on' };

type Side = {
  name: 'plain' | 'archiving';
  api: Child;
  seeded: Seeded;
  databaseUrl: string;
  stop: () => Promise<void>;
};

/** A directory the server's OS user (postgres, when this runs as root) can write. */
function ownedByPostgres(): string {
  const dir = mkdtempSync(join(tmpdir(), 'taskstack-archive-bench-'));
  mkdirSync(join(dir, 'repo'));
  mkdirSync(join(dir, 'lock'));
  if (process.getuid?.() === 0) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }));
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }));
    for (const path of [dir, join(dir, 'repo'), join(dir, 'lock')]) chownSync(path, uid, gid);
  }
  return dir;
}

async function startSide(name: Side['name'], redisUrl: string): Promise<Side> {
  const archiving = name === 'archiving';
  const dir = ownedByPostgres();
  const server = await startPostgres({
    settings: {
      ...DURABLE,
      ...(archiving && {
        archive_mode: 'on',
        archive_command: `pgbackrest --stanza=${STANZA} archive-push %p`,
        archive_timeout: '60s',
      }),
    },
    env: ({ dataDir, port }) => ({
      PGBACKREST_REPO1_PATH: join(dir, 'repo'),
      PGBACKREST_PG1_PATH: dataDir,
      PGBACKREST_PG1_PORT: String(port),
      PGBACKREST_PG1_SOCKET_PATH: dataDir,
      PGBACKREST_PG1_USER: 'postgres',
      PGBACKREST_LOG_LEVEL_FILE: 'off',
      PGBACKREST_LOCK_PATH: join(dir, 'lock'),
    }),
  });
  // The stanza is created the way the worker does it: by the server's own user, with the server's environment.
  if (archiving) {
    await onServer(server.url, (c) =>
      c.query(`COPY (SELECT 1) TO PROGRAM 'pgbackrest --stanza=${STANZA} stanza-create'`),
    );
  }
  await onServer(server.url, (c) => c.query('CREATE DATABASE taskstack'));
  const databaseUrl = withDatabase(server.url, 'taskstack');
  const sequelize = connectDatabase(databaseUrl, { poolMax: 1 });
  await migrateUp(sequelize);
  await sequelize.close();
  const api = await startChild('./api-server.ts', {
    DATABASE_URL: databaseUrl,
    REDIS_URL: redisUrl,
    REDIS_PREFIX: `bench-${name}-${process.pid}`,
    JWT_SECRET: randomBytes(32).toString('hex'),
    DATA_ENCRYPTION_KEY: randomBytes(32).toString('base64url'),
    LOG_LEVEL: 'warn',
    NODE_ENV: 'production',
    USER_RATE_LIMIT_PER_MINUTE: '100000000',
  });
  const seeded = await seed(api.url, databaseUrl, taskCount);
  return {
    name,
    api,
    seeded,
    databaseUrl,
    stop: async () => {
      await api.stop();
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** WAL segments the archiver pushed and failed to push so far: proof that the archiving side really archives. */
async function archiverCounts(side: Side): Promise<string> {
  const row = await onServer(side.databaseUrl, async (c) => {
    const result = await c.query<{ archived: string; failed: string }>(
      'SELECT archived_count AS archived, failed_count AS failed FROM pg_stat_archiver',
    );
    return result.rows[0]!;
  });
  return `${row.archived} WAL segments archived, ${row.failed} failed`;
}

const run = (side: Side, scenario: (typeof SCENARIOS)[number], duration = seconds): Promise<Result> =>
  autocannon({
    url: side.api.url,
    connections,
    duration,
    headers: { authorization: `Bearer ${side.seeded.token}` },
    requests: scenario.request(side.seeded, ''),
  });

console.log(`load average before the run: ${loadAverage()}`);
const redis = await startRedis();
const sides: Side[] = [];
try {
  sides.push(await startSide('plain', redis.url), await startSide('archiving', redis.url));
  console.log(
    `${connections} connections, ${seconds} s per run, ${taskCount} tasks, durable Postgres on both\n`,
  );
  console.log(`${'scenario'.padEnd(12)} side       req/s   p50 ms   p99 ms  non-2xx`);
  const summary: string[] = [];
  for (const scenario of SCENARIOS.filter((s) => s.name !== 'list-tasks')) {
    console.log(`load average: ${loadAverage()}`);
    for (const side of sides) await run(side, scenario, 2);
    const rates: Record<Side['name'], number[]> = { plain: [], archiving: [] };
    // Alternating rounds, each side going first in every other one, so a burst of load from elsewhere on the
    // machine, or whatever the first run of a pair leaves behind, hits both sides alike.
    for (let round = 0; round < rounds; round++) {
      for (const side of round % 2 ? [...sides].reverse() : sides) {
        const result = await run(side, scenario);
        console.log(line(scenario.name, side.name.slice(0, 5), result));
        rates[side.name].push(result.requests.average);
      }
    }
    const plain = median(rates.plain);
    const archived = median(rates.archiving);
    const cost = (1 - archived / plain) * 100;
    // The spread of one side's own rounds is the noise floor: a cost inside it is not a measured cost.
    const spread = (values: number[]) => ((Math.max(...values) - Math.min(...values)) / median(values)) * 100;
    summary.push(
      `${scenario.name.padEnd(12)} archiving ${archived.toFixed(0)} req/s vs plain ${plain.toFixed(0)} req/s: ` +
        `${cost.toFixed(1)} % throughput cost → ${cost <= 5 ? 'meets' : 'misses'} the target (≤ 5 %); ` +
        `round-to-round spread ${spread(rates.plain).toFixed(0)} % plain, ${spread(rates.archiving).toFixed(0)} % archiving`,
    );
  }
  console.log(`\n${summary.join('\n')}`);
  console.log(`archiving server: ${await archiverCounts(sides[1]!)}`);
  console.log(`load average after the run: ${loadAverage()}`);
} finally {
  for (const side of sides) await side.stop();
  await redis.stop();
}
