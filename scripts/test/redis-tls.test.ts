/**
 * The api and the worker reach Redis over TLS, verified against the CA their REDIS_URL names
 * (`rediss://…?cacert=…`, as in the stack), on a server that has no plain-text port.
 */
import { createTestDatabase } from '@taskstack/db/testing';
import { freePort, makeCertificates, startRedis } from '@taskstack/devservices';
import { createRedis } from '@taskstack/queues';
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = new URL('../..', import.meta.url).pathname;
const node = [process.execPath, '--conditions=@taskstack/source', '--import', 'tsx'];

let server: Awaited<ReturnType<typeof startRedis>>;
let db: Awaited<ReturnType<typeof createTestDatabase>>;

beforeAll(async () => {
  [server, db] = await Promise.all([
    startRedis({ tls: true }),
    createTestDatabase(process.env.TEST_DATABASE_SERVER_URL!),
  ]);
}, 60_000);

afterAll(async () => {
  await db?.drop();
  await server?.stop();
});

/** `url` (redis:// or rediss://) with `protocol` and its CA parameter set to `caFile`. */
const withCa = (url: string, protocol: string, caFile: string) => {
  const parsed = new URL(url);
  parsed.protocol = protocol;
  parsed.search = new URLSearchParams({ cacert: caFile }).toString();
  return parsed.toString();
};

/** The environment the process needs to start, besides its REDIS_URL. */
const environment = (extra: Record<string, string>, redisUrl: string) => ({
  PATH: process.env.PATH!,
  LOG_LEVEL: 'silent',
  DATABASE_URL: db.url,
  REDIS_URL: redisUrl,
  REDIS_PREFIX: `t${randomBytes(5).toString('hex')}`,
  DATA_ENCRYPTION_KEY: randomBytes(32).toString('base64url'),
  ...extra,
});

/** Runs a process to its exit (a start-up failure), returning its exit code and stderr lines. */
function run(entry: string, extra: Record<string, string>, redisUrl: string) {
  const result = spawnSync(node[0]!, [...node.slice(1), entry], {
    cwd: root,
    env: environment(extra, redisUrl),
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: result.status, lines: result.stderr.split('\n').filter(Boolean) };
}

const processes = [
  {
    name: 'api',
    entry: 'api/src/main.ts',
    health: '/ready',
    env: (port: number) => ({ PORT: String(port), JWT_SECRET: 'x'.repeat(40) }),
  },
  {
    name: 'worker',
    entry: 'worker/src/main.ts',
    health: '/health',
    env: (port: number) => ({
      WORKER_HTTP_PORT: String(port),
      SMTP_URL: 'smtp://127.0.0.1:2525',
      MAIL_FROM: 'a@example.com',
    }),
  },
];

describe.each(processes)('$name on a TLS Redis', ({ name, entry, health, env }) => {
  const failedStart = (redisUrl: string) => run(entry, env(1), redisUrl);

  it('serves, its connections (queues, subscribers, limits) all over TLS to the verified server', async () => {
    const port = await freePort();
    const child = spawn(node[0]!, [...node.slice(1), entry], {
      cwd: root,
      env: environment(env(port), server.url),
      stdio: 'ignore',
    });
    const observer = createRedis(server.url);
    try {
      const status = () =>
        fetch(`http://127.0.0.1:${port}${health}`).then(
          (r) => r.status,
          () => 0,
        );
      await expect.poll(status, { timeout: 45_000, interval: 250 }).toBe(200);
      // The server has no plain-text port, so each of these connections is TLS.
      const clients = String(await observer.call('CLIENT', 'LIST'))
        .split('\n')
        .filter(Boolean);
      expect(clients.length).toBeGreaterThan(2);
    } finally {
      observer.disconnect();
      child.kill('SIGTERM');
    }
  }, 60_000);

  it('refuses in one line a server whose certificate another CA signed', () => {
    const other = makeCertificates(mkdtempSync(join(tmpdir(), 'taskstack-other-ca-')), ['127.0.0.1']);
    const { code, lines } = failedStart(withCa(server.url, 'rediss:', other.caFile));
    expect(code).toBe(1);
    expect(lines).toEqual([`${name}: REDIS_URL: cannot connect (unable to verify the first certificate)`]);
  });

  it('refuses in one line a server without TLS when verification is configured', () => {
    const { code, lines } = failedStart(withCa(process.env.TEST_REDIS_URL!, 'rediss:', server.caFile!));
    expect(code).toBe(1);
    // Redis reads the TLS hello as the start of a command and waits for the rest: the client's 5 s run out.
    expect(lines).toEqual([
      `${name}: REDIS_URL: cannot connect (connect ETIMEDOUT: no TLS handshake within 5 s, unreachable or a server without TLS)`,
    ]);
  });
});

describe('the CA file in REDIS_URL', () => {
  const failedStart = (redisUrl: string) => run('api/src/main.ts', { JWT_SECRET: 'x'.repeat(40) }, redisUrl);

  it('is named in one line when missing or not a certificate, or with redis:// (plain text)', () => {
    const missing = failedStart(withCa(server.url, 'rediss:', '/nonexistent/ca.pem'));
    expect(missing.code).toBe(1);
    expect(missing.lines).toEqual([
      `api: invalid configuration: REDIS_URL: cacert: cannot read /nonexistent/ca.pem (ENOENT)`,
    ]);
    const notCertificate = join(mkdtempSync(join(tmpdir(), 'taskstack-ca-')), 'ca.pem');
    writeFileSync(notCertificate, 'not a certificate\n');
    const garbled = failedStart(withCa(server.url, 'rediss:', notCertificate));
    expect(garbled.lines).toEqual([
      `api: invalid configuration: REDIS_URL: cacert: ${notCertificate} holds no PEM certificate`,
    ]);
    const plain = failedStart(withCa(server.url, 'redis:', server.caFile!));
    expect(plain.lines).toEqual([`api: invalid configuration: REDIS_URL: cacert needs rediss://`]);
  });
});
