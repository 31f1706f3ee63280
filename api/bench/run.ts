/**
 * `npm run bench -w @taskstack/api`: the API under 50 concurrent connections on list-tasks (filtered, paginated),
 * create-task and move-task, against a project of 10,000 tasks, beside a bare node:http + pg server running the
 * same SQL in the same run. Prints req/s, p50 and p99 for both and the ratio. Each server runs in its own process;
 * the load generator (autocannon) runs in this one.
 *
 * Settings: BENCH_SECONDS (default 10 per run), BENCH_ROUNDS (3; medians are summarised), BENCH_CONNECTIONS (50),
 * BENCH_TASKS (10000), BENCH_LOG_LEVEL (the API's LOG_LEVEL, default `warn`: no per-request log lines),
 * BENCH_CPU_PROF (a directory: the API process writes a V8 CPU profile there, to see where its time goes),
 * BENCH_ONLY (comma-separated scenario names). Each run also prints the server process's CPU ms per request (from
 * /proc), the figure that moves least with the machine's load.
 *
 * The machine's 1/5/15-minute load average is printed at the start and before each scenario: figures taken while
 * something else is busy on the machine (load above ~1.5 before the run on 2 cores) are not comparable.
 */
import autocannon, { type Result } from 'autocannon';
import { randomBytes } from 'node:crypto';
import { startChild } from './child.js';
import { cpuMs, line, loadAverage, median, SCENARIOS, type Scenario } from './scenarios.js';
import { seed, type Seeded } from './seed.js';
import { startBenchServices } from './services.js';

const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 50);
const taskCount = Number(process.env.BENCH_TASKS ?? 10_000);
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
/** One run against a server; `cpu` is the server process's CPU ms per completed request over the run. */
async function load(
  server: { url: string; pid: number },
  token: string | undefined,
  scenario: Scenario,
  s: Seeded,
  cursor: string,
) {
  const before = cpuMs(server.pid);
  const result = await autocannon({
    url: server.url,
    connections,
    duration: seconds,
    headers: token ? { authorization: `Bearer ${token}` } : {},
    requests: scenario.request(s, cursor),
  });
  return { result, cpu: (cpuMs(server.pid) - before) / result.requests.total };
}

console.log(`load average before the run: ${loadAverage()}`);
const services = await startBenchServices();
const env = {
  DATABASE_URL: services.databaseUrl,
  REDIS_URL: services.redisUrl,
  REDIS_PREFIX: `bench${process.pid}`,
  JWT_SECRET: randomBytes(32).toString('hex'),
  DATA_ENCRYPTION_KEY: randomBytes(32).toString('base64url'),
  LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'warn',
  NODE_ENV: 'production',
  // One user drives hundreds of requests a second here: the limit is checked (its cost measured), never reached.
  USER_RATE_LIMIT_PER_MINUTE: '100000000',
};
const api = await startChild(
  './api-server.ts',
  env,
  process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [],
);
let bare: Awaited<ReturnType<typeof startChild>> | undefined;
try {
  console.log(`seeding ${taskCount} tasks…`);
  const seeded = await seed(api.url, services.databaseUrl, taskCount);
  bare = await startChild('./bare-server.ts', { ...env, BENCH_USER_ID: seeded.userId }, []);
  const first = await fetch(
    `${api.url}/api/v1/projects/${seeded.projectId}/tasks?status=todo&assigneeId=${seeded.userId}&limit=50`,
    { headers: { authorization: `Bearer ${seeded.token}` } },
  );
  const cursor = String(((await first.json()) as { nextCursor: string }).nextCursor);

  console.log(
    `${connections} connections, ${seconds} s per run, ${taskCount} tasks, API LOG_LEVEL=${env.LOG_LEVEL}\n`,
  );
  console.log(`${'scenario'.padEnd(12)} target     req/s   p50 ms   p99 ms  non-2xx  CPU ms/req`);
  const summary: string[] = [];
  const only = process.env.BENCH_ONLY?.split(',');
  for (const scenario of SCENARIOS.filter((s) => !only || only.includes(s.name))) {
    console.log(`load average: ${loadAverage()}`);
    // A short warm-up of each so JIT and pools are hot before measuring.
    await autocannon({
      url: api.url,
      connections,
      duration: 2,
      headers: { authorization: `Bearer ${seeded.token}` },
      requests: scenario.request(seeded, cursor),
    });
    await autocannon({ url: bare.url, connections, duration: 2, requests: scenario.request(seeded, cursor) });
    const runs: { api: Result; bare: Result; apiCpu: number; bareCpu: number }[] = [];
    // Alternating rounds, so a burst of load from elsewhere on the machine hits both sides alike.
    for (let round = 0; round < rounds; round++) {
      const viaApi = await load(api, seeded.token, scenario, seeded, cursor);
      console.log(line(scenario.name, 'api', viaApi.result, viaApi.cpu));
      const viaBare = await load(bare, undefined, scenario, seeded, cursor);
      console.log(line(scenario.name, 'bare', viaBare.result, viaBare.cpu));
      runs.push({ api: viaApi.result, bare: viaBare.result, apiCpu: viaApi.cpu, bareCpu: viaBare.cpu });
    }
    const apiRate = median(runs.map((r) => r.api.requests.average));
    const bareRate = median(runs.map((r) => r.bare.requests.average));
    const apiP99 = median(runs.map((r) => r.api.latency.p99));
    const ratio = apiRate / bareRate;
    const bareP99 = median(runs.map((r) => r.bare.latency.p99));
    const apiCpu = median(runs.map((r) => r.apiCpu));
    const bareCpu = median(runs.map((r) => r.bareCpu));
    // The targets of the architecture issue: at least 0.8× the bare server's rate, p99 within 1.3× of its p99.
    const verdict = ratio >= 0.8 && apiP99 <= 1.3 * bareP99 ? 'meets' : 'misses';
    summary.push(
      `${scenario.name.padEnd(12)} api ${apiRate.toFixed(0)} req/s vs bare ${bareRate.toFixed(0)} req/s = ${ratio.toFixed(2)}, ` +
        `api p99 ${apiP99} ms (bare ${bareP99} ms, ${(apiP99 / bareP99).toFixed(2)}×) → ${verdict} the target (≥ 0.8, p99 ≤ 1.3× bare); ` +
        `CPU per request api ${apiCpu.toFixed(2)} ms, bare ${bareCpu.toFixed(2)} ms`,
    );
  }
  console.log(`\n${summary.join('\n')}\nload average after the run: ${loadAverage()}`);
} finally {
  await bare?.stop();
  await api.stop();
  await services.stop();
}
