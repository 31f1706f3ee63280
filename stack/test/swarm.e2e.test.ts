/**
 * The whole stack on this machine's single-node swarm, deployed by the real deployer from the real images: health,
 * TLS and headers, the app through nginx, rate limits, rolling updates under load, automatic rollback, and
 * certificates from a real ACME CA (Pebble). Skipped, with the reason, when no Docker engine answers.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderNginxSite } from '../src/definition/nginx.js';
import { parseStackSettings } from '../src/definition/settings.js';
import { DeployFailedError } from '../src/deployer/converge.js';
import { deploy, type DeployOptions } from '../src/deployer/deploy.js';
import { Docker } from '../src/deployer/docker.js';
import { generateSecretInputs } from '../src/deployer/secrets.js';
import { createAdmin, down, restore } from '../src/deployer/operations.js';
import { collectStatusReport } from '../src/deployer/status-report.js';
import { api, request, startLoad, type Edge } from './helpers/http.js';
import { startPebble, type Pebble } from './helpers/pebble.js';
import {
  buildVariant,
  containerOf,
  docker,
  dockerUnavailable,
  freePort,
  hostAddressFromContainers,
  until,
  swarmActive,
} from './helpers/swarm.js';

const skipReason = dockerUnavailable();
// Per-run stack name and host ports: several runs of this suite (developers sharing a machine) must not collide.
const STACK = `tse2e${process.pid % 100_000}`;
const edge: Edge = { domain: 'app.taskstack.test', httpPort: 0, httpsPort: 0 };
const TAG = 'e2e';
const engine = new Docker('local');
/** The admin's status report, by short service name. */
const serviceStatus = async () =>
  new Map(
    (await collectStatusReport(engine, STACK)).services.map((s) => [s.name.slice(STACK.length + 1), s]),
  );
const secrets = generateSecretInputs();
const log = (line: string) => process.stderr.write(`  [swarm e2e] ${line}\n`);

let pebble: Pebble | undefined;
let settings: DeployOptions['settings'];

const seconds = (n: number) => n * 1000;

async function register(email: string) {
  const reply = await api<{ accessToken: string }>(edge, 'POST', '/auth/register', {
    body: { email, password: 'correct horse battery', name: 'E2E' },
  });
  expect(reply.status, JSON.stringify(reply.body)).toBe(201);
  return reply.body.accessToken;
}

async function signIn(email: string) {
  const reply = await api<{ accessToken: string }>(edge, 'POST', '/auth/login', {
    body: { email, password: 'correct horse battery' },
  });
  expect(reply.status, JSON.stringify(reply.body)).toBe(200);
  return reply.body.accessToken;
}

describe.skipIf(skipReason)(`stack on a local swarm${skipReason ? ` (skipped: ${skipReason})` : ''}`, () => {
  let token: string;
  let workspaceId: string;
  let projectId: string;

  beforeAll(async () => {
    // A swarm found here is reused; one created here stays for the next run (other suites may be using it by then).
    if (!swarmActive()) docker('swarm', 'init', '--advertise-addr', '127.0.0.1');
    await down(engine, STACK, { volumes: true }); // a previous run that died half-way
    [edge.httpPort, edge.httpsPort] = [await freePort(), await freePort()];
    pebble = await startPebble({
      hostAddress: await hostAddressFromContainers(),
      httpPort: edge.httpPort,
      tlsPort: 0,
    });
    settings = {
      name: STACK,
      domain: edge.domain,
      acmeEmail: 'ops@taskstack.test',
      imageTag: TAG,
      apiReplicas: 2,
      ports: { http: edge.httpPort, https: edge.httpsPort },
      acme: { directoryUrl: pebble.directoryUrl, caCertificate: pebble.caCertificate, publicCa: false },
      // Rate limits stay at their production defaults: the paced loads below are a team behind one address.
      updateMonitorSeconds: 10,
    };
    const result = await deploy({ target: 'local', settings, secrets, log, timeoutMs: seconds(600) });
    log(`cold deploy (with image builds) took ${result.seconds.toFixed(0)} s`);
  }, seconds(1200));

  afterAll(async () => {
    if (!skipReason) await down(engine, STACK, { volumes: true });
    await pebble?.stop();
  }, seconds(180));

  it('runs every service healthy, with a config nginx -t accepts', async () => {
    const services = await serviceStatus();
    for (const service of ['api', 'worker', 'nginx', 'postgres', 'redis', 'renewer']) {
      expect(services.get(service)?.mode, service).toBe('replicated');
      expect(services.get(service)!.running, service).toBe(services.get(service)!.desired);
    }
    expect(services.get('migrate')).toMatchObject({ mode: 'replicated job', health: 'completed' });
    for (const service of ['api', 'worker', 'nginx', 'postgres', 'redis']) {
      const health = docker('inspect', '--format', '{{.State.Health.Status}}', containerOf(STACK, service));
      expect(health, service).toBe('healthy');
    }
    const check = spawnSync('docker', ['exec', containerOf(STACK, 'nginx'), 'nginx', '-t'], {
      encoding: 'utf8',
    });
    expect(check.stderr).toContain('test is successful');
    expect(check.status).toBe(0);
  });

  it('accepts the site rendered with monitoring and Grafana too (nginx -t in the same image)', () => {
    // This stack runs without Grafana (no registry for its image here); its nginx location is checked this way.
    const site = renderNginxSite(
      parseStackSettings({ ...settings, imageTag: TAG, monitoring: true, adminEmails: ['ops@example.com'] }),
    );
    expect(site).toContain('location /grafana/');
    const dir = mkdtempSync(join(tmpdir(), 'taskstack-site-'));
    try {
      writeFileSync(join(dir, 'site.conf'), site, { mode: 0o644 });
      // The CAs the site verifies the api and Grafana against, which the stack gives nginx as secrets.
      writeFileSync(join(dir, 'api_ca.pem'), secrets.apiCaCertificate, { mode: 0o644 });
      writeFileSync(join(dir, 'monitoring_ca.pem'), secrets.monitoringTls.caCertificate, { mode: 0o644 });
      const check = spawnSync(
        'docker',
        [
          'run',
          '--rm',
          '-e',
          `DOMAIN=${edge.domain}`,
          '-v',
          `${join(dir, 'site.conf')}:/etc/nginx/conf.d/taskstack.conf:ro`,
          '-v',
          `${join(dir, 'api_ca.pem')}:/run/secrets/api_ca:ro`,
          '-v',
          `${join(dir, 'monitoring_ca.pem')}:/run/secrets/monitoring_ca:ro`,
          `taskstack/nginx:${TAG}`,
          'nginx',
          '-t',
        ],
        { encoding: 'utf8' },
      );
      expect(check.stderr).toContain('test is successful');
      expect(check.status).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('serves the api over HTTPS only, with its certificate for api from the stack’s api CA', () => {
    // From inside an api task, as its healthcheck asks: verified against api_ca for the name `api`; plain HTTP on
    // the same port gets no answer.
    const script = `const https = require('https'); const fs = require('fs');
      https.get({ host: '127.0.0.1', port: 3000, path: '/health', servername: 'api',
        ca: fs.readFileSync('/run/secrets/api_ca') }, (r) => {
        const issuer = r.socket.getPeerCertificate().issuer.CN;
        fetch('http://127.0.0.1:3000/health').then(() => console.log('plain answered'),
          () => console.log(r.statusCode, issuer, 'plain refused'));
      }).on('error', (e) => console.log('https failed', e.message));`;
    expect(docker('exec', containerOf(STACK, 'api'), 'node', '-e', script)).toBe(
      '200 taskstack api CA plain refused',
    );
  });

  it('redirects HTTP to HTTPS except the ACME challenge path', async () => {
    const redirect = await request(edge, '/projects/x?y=1', { scheme: 'http' });
    expect(redirect.status).toBe(301);
    expect(redirect.headers.location).toBe(`https://${edge.domain}:${edge.httpsPort}/projects/x?y=1`);
    const challenge = await request(edge, '/.well-known/acme-challenge/missing-token', { scheme: 'http' });
    expect(challenge.status).toBe(404);
  });

  it('serves the web app over HTTPS with HSTS, a CSP and the other security headers', async () => {
    const page = await request(edge, '/');
    expect(page.status).toBe(200);
    expect(page.body).toContain('<div id="app"');
    expect(page.headers['strict-transport-security']).toMatch(/max-age=\d{8}/);
    expect(page.headers['content-security-policy']).toContain("default-src 'self'");
    expect(page.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    expect(page.headers['x-frame-options']).toBe('DENY');
    expect(page.headers['referrer-policy']).toBe('strict-origin-when-cross-origin');
    expect(page.headers['cache-control']).toBe('no-cache');

    const asset = /\/assets\/[^"]+\.js/.exec(page.body)?.[0];
    expect(asset).toBeDefined();
    const script = await request(edge, asset!, { headers: { 'accept-encoding': 'gzip' } });
    expect(script.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(script.headers['content-encoding']).toBe('gzip');
    expect(script.headers['strict-transport-security']).toBeDefined();

    const spaRoute = await request(edge, '/workspaces/some/board');
    expect(spaRoute.status).toBe(200);
    expect(spaRoute.body).toContain('<div id="app"');
    expect(JSON.parse((await request(edge, '/config.json')).body)).toEqual({ apiBaseUrl: '/api/v1' });
  });

  it('keeps /metrics, /health and /ready out of reach from outside', async () => {
    for (const path of ['/metrics', '/health', '/ready']) {
      const reply = await request(edge, path);
      expect(reply.status, path).toBe(404);
      expect(reply.body).not.toContain('# HELP');
    }
  });

  it('makes the first admin in a one-off job (signing up makes none) and creates a task through nginx', async () => {
    const first = await register(`first-${Date.now()}@example.com`);
    expect((await api(edge, 'GET', '/admin/backups', { token: first })).status).toBe(403);
    const email = `owner-${Date.now()}@example.com`;
    // As operators run it (`npm run stack -- admin create --email …`): the api image's CLI in a one-off job.
    const output = await createAdmin(engine, STACK, { email, password: 'correct horse battery' }, log);
    expect(output).toMatch(/created instance admin/);
    expect(output).not.toContain('correct horse battery');
    expect(docker('secret', 'ls', '--format', '{{.Name}}')).not.toMatch(/admin_password/);
    token = await signIn(email);
    expect((await api(edge, 'GET', '/admin/backups', { token })).status).toBe(200);
    const workspace = await api<{ id: string }>(edge, 'POST', '/workspaces', {
      token,
      body: { name: 'E2E' },
    });
    expect(workspace.status).toBe(201);
    workspaceId = workspace.body.id;
    const project = await api<{ id: string }>(edge, 'POST', `/workspaces/${workspaceId}/projects`, {
      token,
      body: { name: 'Launch' },
    });
    expect(project.status).toBe(201);
    projectId = project.body.id;
    const task = await api<{ title: string; number: number }>(edge, 'POST', `/projects/${projectId}/tasks`, {
      token,
      body: { title: 'Ship the stack' },
    });
    expect(task.status).toBe(201);
    expect(task.body.title).toBe('Ship the stack');
    const list = await api<{ items: { title: string }[] }>(edge, 'GET', `/projects/${projectId}/tasks`, {
      token,
    });
    expect(list.body.items.map((t) => t.title)).toContain('Ship the stack');
  });

  it('streams events through nginx as they happen', async () => {
    let received = '';
    const stream = https.request({
      host: '127.0.0.1',
      port: edge.httpsPort,
      servername: edge.domain,
      rejectUnauthorized: false,
      path: `/api/v1/events?workspaceId=${workspaceId}`,
      headers: { host: edge.domain, authorization: `Bearer ${token}`, accept: 'text/event-stream' },
    });
    const opened = new Promise<string | undefined>((resolve, reject) => {
      stream.on('response', (res) => {
        res.on('data', (chunk: Buffer) => (received += chunk.toString()));
        resolve(res.headers['content-type']);
      });
      stream.on('error', reject);
    });
    stream.end();
    try {
      expect(await opened).toMatch(/text\/event-stream/);
      await new Promise((resolve) => setTimeout(resolve, 500));
      await api(edge, 'POST', `/projects/${projectId}/tasks`, { token, body: { title: 'Live update' } });
      await until(
        'task.created on the stream',
        async () => (received.includes('task.created') ? true : undefined),
        15_000,
      );
      expect(received).toContain('Live update');
    } finally {
      stream.destroy();
    }
  });

  it('answers 429 from nginx once a client exceeds the credential rate limit', async () => {
    const replies = [];
    for (let i = 0; i < 14; i += 1) {
      replies.push(
        await request(edge, '/api/v1/auth/password/forgot', {
          method: 'POST',
          body: { email: 'x@example.com' },
        }),
      );
    }
    const limited = replies.filter((reply) => reply.status === 429);
    expect(limited.length).toBeGreaterThan(0);
    // nginx's own answer (HTML), not the API's: the edge limit holds even if the API's would not.
    expect(limited.some((reply) => /nginx|Too Many Requests/i.test(reply.body))).toBe(true);
  });

  it(
    "rolls api to a new image under a team's load from one address (5 requests/s) with zero non-2xx",
    async () => {
      buildVariant(`taskstack/api:${TAG}-v2`, `FROM taskstack/api:${TAG}\nLABEL org.taskstack.e2e=v2\n`);
      const load = startLoad(edge, '/api/v1/workspaces', token, 5);
      await new Promise((resolve) => setTimeout(resolve, 2000));
      const result = await deploy({
        target: 'local',
        settings: { ...settings, images: { tags: { api: `${TAG}-v2` } } },
        secrets,
        build: false,
        log,
      });
      await new Promise((resolve) => setTimeout(resolve, 2000));
      const stats = await load.stop();
      log(
        `rolling update took ${result.seconds.toFixed(0)} s; ${stats.ok} requests ok, ${stats.failed} failed`,
      );
      expect(stats.failures).toEqual([]);
      expect(stats.ok).toBeGreaterThan(5 * 20);
      const images = docker(
        'service',
        'inspect',
        `${STACK}_api`,
        '--format',
        '{{.Spec.TaskTemplate.ContainerSpec.Image}}',
      );
      expect(images).toBe(`taskstack/api:${TAG}-v2`);
      // Only what changed restarted: nginx kept its image (and its host ports).
      expect(docker('service', 'inspect', `${STACK}_nginx`, '--format', '{{.UpdateStatus}}')).toBe('<nil>');
    },
    seconds(600),
  );

  it(
    'rolls back an api image whose healthcheck fails while the old version keeps serving',
    async () => {
      buildVariant(
        `taskstack/api:${TAG}-broken`,
        `FROM taskstack/api:${TAG}\nCMD ["node", "-e", "setInterval(() => {}, 1000)"]\n`,
      );
      const load = startLoad(edge, '/api/v1/workspaces', token, 5);
      const failure = await deploy({
        target: 'local',
        settings: { ...settings, images: { tags: { api: `${TAG}-broken` } } },
        secrets,
        build: false,
        log,
      }).then(
        () => undefined,
        (error: unknown) => error,
      );
      const stats = await load.stop();
      expect(failure).toBeInstanceOf(DeployFailedError);
      expect((failure as DeployFailedError).service).toBe(`${STACK}_api`);
      expect((failure as DeployFailedError).reason).toMatch(/roll/);
      await until(
        'rollback to finish',
        async () => {
          const state = docker('service', 'inspect', `${STACK}_api`, '--format', '{{.UpdateStatus.State}}');
          return state === 'rollback_completed' ? state : undefined;
        },
        seconds(180),
      );
      expect(
        docker(
          'service',
          'inspect',
          `${STACK}_api`,
          '--format',
          '{{.Spec.TaskTemplate.ContainerSpec.Image}}',
        ),
      ).toBe(`taskstack/api:${TAG}-v2`);
      expect(stats.failures).toEqual([]);
      expect(stats.ok).toBeGreaterThan(5 * 10);
      expect((await api(edge, 'GET', '/workspaces', { token })).status).toBe(200);
    },
    seconds(600),
  );

  it(
    'replaces a killed api task and a killed worker; a job in flight still completes',
    async () => {
      const killedApi = containerOf(STACK, 'api');
      docker('kill', killedApi);
      await until(
        'a replacement api task',
        async () => {
          const replicas = (await serviceStatus()).get('api');
          const running = docker('ps', '-q', '--filter', `label=com.docker.swarm.service.name=${STACK}_api`);
          return replicas?.running === 2 &&
            replicas.desired === 2 &&
            !running.includes(killedApi.slice(0, 12))
            ? true
            : undefined;
        },
        seconds(120),
      );
      expect((await api(edge, 'GET', '/workspaces', { token })).status).toBe(200);

      const before = (await api<unknown[]>(edge, 'GET', '/admin/backups', { token })).body.length;
      const job = await api<{ jobId: string }>(edge, 'POST', '/admin/backups', { token });
      expect(job.status).toBe(202);
      const killedWorker = containerOf(STACK, 'worker');
      docker('kill', killedWorker);
      // The new worker picks the job up (BullMQ moves a job whose worker died back to waiting once its lock expires).
      const backups = await until(
        'the backup job to complete on the replacement worker',
        async () => {
          const list = await api<{ status: string; file: string }[]>(edge, 'GET', '/admin/backups', {
            token,
          });
          return list.body.length > before && list.body[0]!.status === 'succeeded' ? list.body : undefined;
        },
        seconds(180),
      );
      expect(containerOf(STACK, 'worker')).not.toBe(killedWorker);
      expect(backups[0]!.file).toMatch(/\S/);
    },
    seconds(400),
  );

  it(
    'loses no committed row and no queued job when Redis and Postgres restart',
    async () => {
      const workerTasks = () =>
        docker('ps', '-q', '--filter', `label=com.docker.swarm.service.name=${STACK}_worker`);
      docker('service', 'scale', '--detach', `${STACK}_worker=0`);
      await until('the worker to stop', async () => (workerTasks() === '' ? true : undefined));
      const row = await api(edge, 'POST', `/projects/${projectId}/tasks`, {
        token,
        body: { title: 'Committed before restarts' },
      });
      expect(row.status).toBe(201);
      const before = (await api<unknown[]>(edge, 'GET', '/admin/backups', { token })).body.length;
      expect((await api(edge, 'POST', '/admin/backups', { token })).status).toBe(202);
      await new Promise((resolve) => setTimeout(resolve, 2000)); // appendfsync everysec

      for (const service of ['redis', 'postgres']) {
        const killed = containerOf(STACK, service);
        docker('kill', killed);
        await until(
          `${service} to come back healthy`,
          async () => {
            const id = containerOf(STACK, service);
            return id !== killed &&
              docker('inspect', '--format', '{{.State.Health.Status}}', id) === 'healthy'
              ? id
              : undefined;
          },
          seconds(120),
        );
      }
      const tasks = await until(
        'the API to serve again',
        async () => {
          const list = await api<{ items: { title: string }[] }>(
            edge,
            'GET',
            `/projects/${projectId}/tasks`,
            { token },
          );
          return list.status === 200 ? list.body.items : undefined;
        },
        seconds(120),
      );
      expect(tasks.map((t) => t.title)).toContain('Committed before restarts');

      docker('service', 'scale', '--detach', `${STACK}_worker=1`);
      const list = await until(
        'the queued backup to run after the restarts',
        async () => {
          const reply = await api<{ status: string }[]>(edge, 'GET', '/admin/backups', { token });
          return reply.body.length > before && reply.body[0]!.status === 'succeeded' ? reply.body : undefined;
        },
        seconds(180),
      );
      expect(list.length).toBeGreaterThan(before);
    },
    seconds(600),
  );

  it(
    'restores a backup taken inside the stack',
    async () => {
      const [latest] = (
        await api<{ file: string; status: string }[]>(edge, 'GET', '/admin/backups', { token })
      ).body;
      expect(latest!.status).toBe('succeeded');
      const after = await api(edge, 'POST', `/projects/${projectId}/tasks`, {
        token,
        body: { title: 'Made after the backup' },
      });
      expect(after.status).toBe(201);
      // A one-off job, as operators run it (`npm run stack -- restore FILE`).
      const output = await restore(engine, STACK, [latest!.file], log);
      expect(output).toMatch(/switching/);
      const titles = await until(
        'the API to serve the restored database',
        async () => {
          const list = await api<{ items: { title: string }[] }>(
            edge,
            'GET',
            `/projects/${projectId}/tasks`,
            { token },
          );
          const names = list.status === 200 ? list.body.items.map((t) => t.title) : [];
          return names.includes('Committed before restarts') && !names.includes('Made after the backup')
            ? names
            : undefined;
        },
        seconds(120),
      );
      expect(titles).toContain('Ship the stack');
    },
    seconds(300),
  );

  it(
    'restores the database to a moment in a one-off job (pgBackRest in the postgres service)',
    async () => {
      const postgres = containerOf(STACK, 'postgres');
      // pgBackRest runs as the server's OS user, with the container's PGBACKREST_* settings plus the two its
      // entrypoint adds for the server process alone (the data directory; no log file on the read-only disk).
      const onServer = (...command: string[]) =>
        docker(
          'exec',
          '-u',
          'postgres',
          '-e',
          'PGBACKREST_PG1_PATH=/var/lib/postgresql/data/pgdata',
          '-e',
          'PGBACKREST_LOG_LEVEL_FILE=off',
          postgres,
          ...command,
        );
      await until(
        'the worker to create the stanza',
        () => (/status: ok|no valid backups/.test(onServer('pgbackrest', 'info')) ? true : undefined),
        seconds(120),
      );
      onServer('pgbackrest', 'backup', '--type=full');
      const titles = async () => {
        const list = await api<{ items: { title: string }[] }>(
          edge,
          'GET',
          `/projects/${projectId}/tasks?limit=100`,
          { token },
        );
        return list.status === 200 ? list.body.items.map((t) => t.title) : [];
      };
      const create = async (title: string) =>
        expect(
          (await api(edge, 'POST', `/projects/${projectId}/tasks`, { token, body: { title } })).status,
        ).toBe(201);
      await create('Written before the moment');
      // The host and the containers share one clock; a second either side keeps the moment clear of both writes.
      await new Promise((resolve) => setTimeout(resolve, 1000));
      const moment = new Date().toISOString();
      await new Promise((resolve) => setTimeout(resolve, 1000));
      await create('Written after the moment');
      // The restore needs the WAL past the moment archived; switching segments archives it now, not in 60 s.
      onServer('psql', '-U', 'taskstack', '-d', 'postgres', '-Atc', 'SELECT pg_switch_wal()');

      const dryRun = await restore(engine, STACK, ['--to', moment, '--dry-run'], log);
      expect(dryRun).toMatch(/dry run: would/);
      expect(await titles()).toContain('Written after the moment');

      const output = await restore(engine, STACK, ['--to', moment], log);
      expect(output).toMatch(/holds the data of/);
      const after = await until(
        'the API to serve the database as it was at the moment',
        async () => {
          const names = await titles();
          return names.includes('Written before the moment') && !names.includes('Written after the moment')
            ? names
            : undefined;
        },
        seconds(120),
      );
      expect(after).toContain('Ship the stack');
    },
    seconds(420),
  );

  it(
    'obtains a certificate from the ACME CA (Pebble), then renews it, nginx reloading each time',
    async () => {
      const issued = await until(
        'a Pebble-issued certificate on 443',
        async () => {
          const reply = await request(edge, '/config.json', { fresh: true });
          return /pebble/i.test(reply.certificate?.issuer ?? '') ? reply.certificate : undefined;
        },
        seconds(180),
      );
      expect(issued!.subject).toBe(edge.domain);
      docker('exec', containerOf(STACK, 'renewer'), 'renewer', 'renew-now');
      const renewed = await until(
        'the renewed certificate on 443',
        async () => {
          const reply = await request(edge, '/config.json', { fresh: true });
          return reply.certificate && reply.certificate.serial !== issued!.serial
            ? reply.certificate
            : undefined;
        },
        seconds(60),
      );
      expect(renewed!.issuer).toMatch(/pebble/i);
    },
    seconds(300),
  );
});
