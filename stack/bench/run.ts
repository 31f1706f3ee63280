/**
 * npm run bench -w @taskstack/stack — prints figures of the whole stack on this machine's swarm:
 * cold deploy time to all-healthy, rolling-update time of api, requests/s through nginx vs straight to one api task,
 * and the stack's total memory idle and under load. Deploys its own stack (`tsbench`, ports 28080/28443) and removes
 * it afterwards.
 */
import { execFileSync } from 'node:child_process';
import { deploy, type DeployOptions } from '../src/deployer/deploy.js';
import { Docker } from '../src/deployer/docker.js';
import { buildImages, ensureBaseImages, gitImageTag } from '../src/deployer/images.js';
import { down } from '../src/deployer/operations.js';
import { generateSecretInputs } from '../src/deployer/secrets.js';
import { parseStackSettings } from '../src/definition/settings.js';

const STACK = 'tsbench';
const docker = (...args: string[]) => execFileSync('docker', args, { encoding: 'utf8' }).trim();
const engine = new Docker('local');
const quiet = () => undefined;

/** Sum of the memory every container of the stack uses now, in MiB. */
function stackMemoryMiB(): number {
  const units: Record<string, number> = { B: 1 / 1048576, KiB: 1 / 1024, MiB: 1, GiB: 1024 };
  return docker('stats', '--no-stream', '--format', '{{.Name}} {{.MemUsage}}')
    .split('\n')
    .filter((line) => line.startsWith(`${STACK}_`))
    .reduce((sum, line) => {
      const [, value, unit] = /\s([\d.]+)([KMG]?i?B) \//.exec(line) ?? [];
      return sum + Number(value) * (units[unit ?? 'MiB'] ?? 1);
    }, 0);
}

const containerOf = (service: string) =>
  docker('ps', '-q', '--filter', `label=com.docker.swarm.service.name=${STACK}_${service}`).split('\n')[0]!;

/**
 * Requests/s of GET `url` for `seconds` with `concurrency` loops, measured from inside an api container (the api
 * tasks are only reachable on the internal backend network), so both paths pay the same client cost.
 */
function requestsPerSecond(url: string, seconds: number, concurrency: number): number {
  const script = `
    const end = Date.now() + ${seconds * 1000}; let ok = 0, failed = 0;
    const loop = async () => { while (Date.now() < end) {
      try { const r = await fetch(${JSON.stringify(url)}); await r.arrayBuffer(); r.status < 500 ? ok++ : failed++; }
      catch { failed++; } } };
    Promise.all(Array.from({ length: ${concurrency} }, loop)).then(() => console.log(JSON.stringify({ ok, failed })));`;
  // nginx inside the stack serves its self-signed certificate to this in-cluster client, and the api one for `api`
  // (its CA's), not for the address asked here: a measurement, not a check of either.
  const out = docker(
    'exec',
    '-e',
    'NODE_TLS_REJECT_UNAUTHORIZED=0',
    containerOf('api'),
    'node',
    '-e',
    script,
  );
  const { ok, failed } = JSON.parse(out) as { ok: number; failed: number };
  if (failed) process.stderr.write(`  (${failed} failed requests against ${url})\n`);
  return ok / seconds;
}

async function main(): Promise<void> {
  if (docker('info', '--format', '{{.Swarm.LocalNodeState}}') !== 'active')
    docker('swarm', 'init', '--advertise-addr', '127.0.0.1');
  const imageTag = gitImageTag();
  const settings: DeployOptions['settings'] = {
    name: STACK,
    domain: 'bench.taskstack.test',
    acmeEmail: 'ops@taskstack.test',
    imageTag,
    ports: { http: 28080, https: 28443 },
    acme: { enabled: false },
    rateLimits: { apiPerMinute: 600_000, apiBurst: 10_000 },
  };
  const secrets = generateSecretInputs();
  ensureBaseImages();
  await buildImages(engine, parseStackSettings(settings), (line) => process.stderr.write(`${line}\n`));
  await down(engine, STACK, { volumes: true });

  try {
    const cold = await deploy({ target: 'local', settings, secrets, build: false, log: quiet });
    console.log(`cold deploy to all-healthy:     ${cold.seconds.toFixed(1)} s`);

    execFileSync('docker', ['build', '-q', '-t', `taskstack/api:${imageTag}-bench`, '-'], {
      input: `FROM taskstack/api:${imageTag}\nLABEL org.taskstack.bench=${Date.now()}\n`,
      stdio: ['pipe', 'ignore', 'inherit'],
    });
    const rolling = await deploy({
      target: 'local',
      settings: { ...settings, images: { tags: { api: `${imageTag}-bench` } } },
      secrets,
      build: false,
      log: quiet,
    });
    console.log(`rolling update of api (×2):     ${rolling.seconds.toFixed(1)} s`);

    await new Promise((resolve) => setTimeout(resolve, 10_000));
    const idle = stackMemoryMiB();
    console.log(`memory, idle:                   ${idle.toFixed(0)} MiB`);

    // The web app's config through nginx is static; /api/v1/me without a token is a cheap API round trip (401).
    const direct = requestsPerSecond('https://127.0.0.1:3000/api/v1/me', 10, 16);
    let loaded = 0;
    const sampler = setInterval(() => (loaded = Math.max(loaded, stackMemoryMiB())), 3000);
    const viaNginx = requestsPerSecond('https://nginx:8443/api/v1/me', 10, 16);
    clearInterval(sampler);
    loaded = Math.max(loaded, stackMemoryMiB());
    console.log(`req/s straight to one api task: ${direct.toFixed(0)}`);
    console.log(
      `req/s through nginx (2 tasks):  ${viaNginx.toFixed(0)}  (ratio ${(viaNginx / direct).toFixed(2)})`,
    );
    console.log(`memory, under load (peak):      ${loaded.toFixed(0)} MiB  (target < 1536 MiB)`);
  } finally {
    await down(engine, STACK, { volumes: true });
  }
}

await main();
