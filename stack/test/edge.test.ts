/**
 * The nginx edge as the stack renders it with its production defaults (monitoring on, so with Grafana's
 * locations), in nginx's own image on a Docker network where `api` is a stub that answers every request with JSON
 * over HTTPS, with a certificate for `api` from a CA of the deployer's making (nginx holds the CA as the stack's
 * api_ca), and `grafana` the same stub with the deployer's certificate for `grafana` from its monitoring CA (nginx
 * holds it as monitoring_ca): which rate-limit zone a path falls in, what is compressed, the TLS server's cipher
 * order and a TLS scan, what the access log keeps, and how nginx speaks TLS to the api and to Grafana and refuses
 * one it cannot verify. Faster than the swarm suite, which runs the same site in front of the real API (but without
 * Grafana, whose image no registry here serves). Skipped, with the reason, when no Docker engine answers.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderNginxSite } from '../src/definition/nginx.js';
import { parseStackSettings } from '../src/definition/settings.js';
import { ensureBaseImages, repoRoot } from '../src/deployer/images.js';
import { MONITORING_SERVERS } from '../src/definition/secrets.js';
import { generateCaTls, generateServerTls } from '../src/deployer/server-tls.js';
import { request, type Edge } from './helpers/http.js';
import { docker, dockerUnavailable, until } from './helpers/swarm.js';

const skipReason = dockerUnavailable();
const NAME = `tsedge${process.pid % 100_000}`;
const edge: Edge = { domain: 'app.taskstack.test', httpPort: 0, httpsPort: 0 };
const settings = parseStackSettings({
  domain: edge.domain,
  acmeEmail: 'ops@taskstack.test',
  imageTag: 'edge',
  acme: { publicCa: false },
  monitoring: true,
  adminEmails: ['ops@taskstack.test'],
});
// Every reply of the stub is JSON larger than gzip_min_length, so compression would apply if allowed; it says
// which TLS version nginx's connection to it speaks.
const STUB = `const fs = require('fs');
  require('https').createServer({ cert: fs.readFileSync('/stub/cert.pem'), key: fs.readFileSync('/stub/key.pem') },
  (q, s) => { s.setHeader('content-type', 'application/json'); s.end(JSON.stringify({ path: q.url,
  tls: q.socket.getProtocol(), padding: 'x'.repeat(4096) })); }).listen(3000)`;
// The api's certificate and CA, and the monitoring CA and its servers' certificates, as the local deployer makes
// them.
const apiTls = generateServerTls('api', 'taskstack api CA');
const apiServer = { certificate: apiTls.serverCertificate, key: apiTls.serverKey };
const monitoringTls = generateCaTls('taskstack monitoring CA', MONITORING_SERVERS);

let dir = '';

/** Runs the stub as `host` (api, grafana) on the test network with this certificate and key, replacing any. */
function startStub(server: { certificate: string; key: string }, host = 'api') {
  const stubDir = mkdtempSync(join(dir, 'stub-'));
  writeFileSync(join(stubDir, 'cert.pem'), server.certificate);
  writeFileSync(join(stubDir, 'key.pem'), server.key);
  execFileSync('chmod', ['-R', 'a+rX', stubDir]);
  spawnSync('docker', ['rm', '-f', `${NAME}_${host}`]);
  docker(
    'run',
    '-d',
    '--name',
    `${NAME}_${host}`,
    '--network',
    NAME,
    '--network-alias',
    host,
    '-v',
    `${stubDir}:/stub:ro`,
    'node:24-trixie-slim',
    'node',
    '-e',
    STUB,
  );
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const post = (path: string) => request(edge, path, { method: 'POST', body: { email: 'a@example.com' } });

describe.skipIf(skipReason)(`nginx edge${skipReason ? ` (skipped: ${skipReason})` : ''}`, () => {
  beforeAll(async () => {
    ensureBaseImages(); // nginx's and Node's images (stand-ins where no registry answers)
    dir = mkdtempSync(join(tmpdir(), 'taskstack-edge-'));
    mkdirSync(join(dir, 'certs/current'), { recursive: true });
    mkdirSync(join(dir, 'html/assets'), { recursive: true });
    execFileSync(
      'openssl',
      [
        ...['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', `/CN=${edge.domain}`],
        ...['-addext', `subjectAltName=DNS:${edge.domain}`],
        ...[
          '-keyout',
          join(dir, 'certs/current/privkey.pem'),
          '-out',
          join(dir, 'certs/current/fullchain.pem'),
        ],
      ],
      { stdio: 'ignore' },
    );
    writeFileSync(
      join(dir, 'html/index.html'),
      `<!doctype html><div id="app"></div><!--${'x'.repeat(4096)}-->`,
    );
    writeFileSync(
      join(dir, 'html/assets/index-abc123.js'),
      `console.log(${JSON.stringify('x'.repeat(4096))});`,
    );
    writeFileSync(join(dir, 'site.conf'), renderNginxSite(settings));
    writeFileSync(join(dir, 'api_ca.pem'), apiTls.caCertificate);
    writeFileSync(join(dir, 'monitoring_ca.pem'), monitoringTls.caCertificate);
    execFileSync('chmod', ['-R', 'a+rX', dir]);

    docker('network', 'create', NAME);
    startStub(apiServer);
    startStub(monitoringTls.servers.grafana, 'grafana');
    const mount = (source: string, target: string) => ['-v', `${source}:${target}:ro`];
    docker(
      'run',
      '-d',
      '--name',
      `${NAME}_nginx`,
      '--network',
      NAME,
      '-p',
      '127.0.0.1::8443',
      '--tmpfs',
      '/tmp/nginx',
      ...mount(join(repoRoot, 'nginx/nginx.conf'), '/etc/nginx/nginx.conf'),
      ...mount(join(repoRoot, 'nginx/snippets'), '/etc/nginx/snippets'),
      ...mount(join(dir, 'site.conf'), '/etc/nginx/conf.d/taskstack.conf'),
      ...mount(join(dir, 'certs'), '/etc/nginx/certs'),
      ...mount(join(dir, 'html'), '/usr/share/nginx/html'),
      ...mount(join(dir, 'api_ca.pem'), '/run/secrets/api_ca'),
      ...mount(join(dir, 'monitoring_ca.pem'), '/run/secrets/monitoring_ca'),
      'nginx:stable-trixie',
      'nginx',
      '-g',
      'daemon off;',
    );
    edge.httpsPort = Number(docker('port', `${NAME}_nginx`, '8443/tcp').split(':').pop());
    await until(
      'nginx to proxy to the stub',
      async () => ((await request(edge, '/api/v1/ping')).status === 200 ? true : undefined),
      30_000,
    );
  }, 1_200_000);

  afterAll(() => {
    if (skipReason) return;
    spawnSync('docker', ['rm', '-f', `${NAME}_nginx`, `${NAME}_api`, `${NAME}_grafana`]);
    spawnSync('docker', ['network', 'rm', NAME]);
    rmSync(dir, { recursive: true, force: true });
  });

  // First: Grafana's sign-in shares the auth zone, which the next test empties.
  it('reaches Grafana over TLS 1.3 from both its locations, verified against the monitoring CA for grafana', async () => {
    for (const path of ['/grafana/api/health', '/grafana/login']) {
      const reply = await until(`nginx to proxy ${path} to the Grafana stub`, async () => {
        const answer = await request(edge, path);
        return answer.status === 200 ? answer : undefined;
      });
      expect(JSON.parse(reply.body), path).toMatchObject({ path, tls: 'TLSv1.3' });
    }
  });

  it('refuses a Grafana with another monitoring server certificate or another CA (502), then reaches it again', async () => {
    const errorLog = () => spawnSync('docker', ['logs', `${NAME}_nginx`], { encoding: 'utf8' }).stderr;
    // The node exporter's certificate is from the same CA, but for its own name: its key cannot pass for Grafana.
    for (const [server, error] of [
      [monitoringTls.servers['node-exporter'], 'upstream SSL certificate does not match "grafana"'],
      [
        generateCaTls('another CA', ['grafana'] as const).servers.grafana,
        'upstream SSL certificate verify error',
      ],
    ] as const) {
      startStub(server, 'grafana');
      await until(
        `nginx to refuse the Grafana stub (${error})`,
        async () => {
          const { status } = await request(edge, '/grafana/api/health');
          return status === 502 && errorLog().includes(error) ? true : undefined;
        },
        30_000,
      );
    }
    startStub(monitoringTls.servers.grafana, 'grafana');
    await until(
      'nginx to reach the Grafana stub with its own certificate again',
      async () => ((await request(edge, '/grafana/api/health')).status === 200 ? true : undefined),
      30_000,
    );
  }, 90_000);

  it('keeps every spelling of a credential route in the strict zone, and the rest of the API out of it', async () => {
    const canonical = [];
    for (let i = 0; i < 14; i += 1) canonical.push((await post('/api/v1/auth/login')).status);
    expect(canonical.filter((status) => status === 429).length).toBeGreaterThan(0);
    // The API routes case-insensitively and ignores a trailing slash: these reach the same handlers.
    for (const path of [
      '/api/v1/AUTH/Login',
      '/api/v1/auth/login/',
      '/api/V1/auth/Register/',
      '/api/v1/auth/password/FORGOT',
      '/api/v1/auth/password/reset/',
      '/api/v1//auth/login',
    ]) {
      expect((await post(path)).status, path).toBe(429);
    }
    expect((await request(edge, '/api/v1/workspaces')).status).toBe(200);
  });

  it('lets one address make a burst of 150 requests, then 5 a second, without a single non-2xx', async () => {
    await sleep(1000);
    const statuses = await Promise.all(
      Array.from({ length: 150 }, () => request(edge, '/api/v1/workspaces').then((r) => r.status)),
    );
    const started = Date.now();
    for (let i = 0; i < 50; i += 1) {
      statuses.push((await request(edge, `/api/v1/projects/p/tasks?page=${i}`)).status);
      await sleep(Math.max(0, started + (i + 1) * 200 - Date.now()));
    }
    expect(statuses.filter((status) => status < 200 || status > 299)).toEqual([]);
  }, 60_000);

  it('compresses the hashed assets only, never the HTML shell or API JSON', async () => {
    const gzip = { headers: { 'accept-encoding': 'gzip' } };
    expect((await request(edge, '/assets/index-abc123.js', gzip)).headers['content-encoding']).toBe('gzip');
    for (const path of ['/', '/index.html', '/w/some/board', '/api/v1/me']) {
      const reply = await request(edge, path, gzip);
      expect(reply.status, path).toBe(200);
      expect(reply.headers['content-encoding'], path).toBeUndefined();
    }
  });

  it('reaches the api over TLS 1.3 (the stub’s certificate verified against the api CA)', async () => {
    const reply = await request(edge, '/api/v1/tls');
    expect(reply.status).toBe(200);
    expect((JSON.parse(reply.body) as { tls: string }).tls).toBe('TLSv1.3');
  });

  it('picks its own cipher order over the client’s', async () => {
    const cipher = await new Promise<string>((resolve, reject) => {
      const socket = tls.connect({
        host: '127.0.0.1',
        port: edge.httpsPort,
        servername: edge.domain,
        rejectUnauthorized: false,
        maxVersion: 'TLSv1.2',
        // Both are in the server's list; the server prefers AES-GCM.
        ciphers: 'ECDHE-RSA-CHACHA20-POLY1305:ECDHE-RSA-AES128-GCM-SHA256',
      });
      socket.on('secureConnect', () => {
        resolve(socket.getCipher().name);
        socket.end();
      });
      socket.on('error', reject);
    });
    expect(cipher).toBe('ECDHE-RSA-AES128-GCM-SHA256');
  });

  it('logs paths without query strings, invitation tokens or referrers', async () => {
    const secret = `s3cr3t${Date.now()}`;
    const referer = { headers: { referer: `https://${edge.domain}/reset-password?token=${secret}r` } };
    await request(edge, `/reset-password?token=${secret}a`, referer);
    await request(edge, `/invitations/${secret}b`, referer);
    await post(`/api/v1/invitations/${secret}c/accept`);
    await post(`/API/v1//Invitations/${secret}d/accept`);
    await request(edge, `/api/v1/events?workspaceId=w&token=${secret}e`);
    await sleep(500);
    const log = spawnSync('docker', ['logs', `${NAME}_nginx`], { encoding: 'utf8' });
    const lines = `${log.stdout}${log.stderr}`;
    expect(lines).toContain('"GET /reset-password HTTP/1.1"');
    expect(lines).toContain('"POST /api/v1/invitations/:token/accept HTTP/1.1"');
    expect(lines).toContain('"GET /invitations/:token HTTP/1.1"');
    expect(lines).toContain('"GET /api/v1/events HTTP/1.1"');
    expect(lines).not.toContain(secret);
  });

  it.skipIf(spawnSync('testssl', ['--version']).error)(
    'passes a TLS scan (testssl) with no finding of medium or worse outside certificate trust',
    () => {
      const report = join(dir, 'testssl.json');
      spawnSync(
        'testssl',
        [
          '--quiet',
          '--color',
          '0',
          '--warnings',
          'off',
          '--severity',
          'MEDIUM',
          '--jsonfile',
          report,
          '--ip',
          '127.0.0.1',
          `${edge.domain}:${edge.httpsPort}`,
        ],
        { encoding: 'utf8', timeout: 600_000 },
      );
      const findings = JSON.parse(readFileSync(report, 'utf8')) as {
        id: string;
        severity: string;
        finding: string;
      }[];
      // Our test certificate is self-signed and short-lived: its trust and lifetime are not what is checked here.
      const certificate = /^cert_|^chain_of_trust|^cert$/;
      const serious = findings.filter(
        (f) => ['MEDIUM', 'HIGH', 'CRITICAL'].includes(f.severity) && !certificate.test(f.id),
      );
      expect(findings.length).toBeGreaterThan(0);
      expect(serious.map((f) => `${f.id}: ${f.finding}`)).toEqual([]);
    },
    600_000,
  );

  // Last: it replaces the stub.
  it('refuses an api whose certificate another CA signed (502), and reaches it again with the right one', async () => {
    const other = generateServerTls('api', 'another CA');
    startStub({ certificate: other.serverCertificate, key: other.serverKey });
    // nginx re-resolves `api` within 5 s (resolver valid=5s); the new stub may refuse connections for a moment more.
    const errorLog = () => spawnSync('docker', ['logs', `${NAME}_nginx`], { encoding: 'utf8' }).stderr;
    await until(
      'nginx to refuse the stub with the other certificate',
      async () => {
        const { status } = await request(edge, '/api/v1/ping');
        return status === 502 && errorLog().includes('upstream SSL certificate verify error')
          ? true
          : undefined;
      },
      30_000,
    );
    startStub(apiServer);
    await until(
      'nginx to reach the stub with the api CA’s certificate again',
      async () => ((await request(edge, '/api/v1/ping')).status === 200 ? true : undefined),
      30_000,
    );
  }, 90_000);
});
