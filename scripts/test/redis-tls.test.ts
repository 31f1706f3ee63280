/**
 * The api and the worker reach Redis over TLS, verified against the CA their REDIS_URL names
 * (`rediss://…?cacert=…`, as in the stack), on a server that has no plain-text port.
 */
import { createTestDatabase } from '@taskstack/db/testing';
import { freePort, makeCertificates, startRedis } from '@taskstack/devservices';
import { createRedis } from '@taskstack/queues';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENTRY_POINTS, runToExit, serving } from './entry-points.js';

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
  DATABASE_URL: db.url,
  REDIS_URL: redisUrl,
  REDIS_PREFIX: `t${randomBytes(5).toString('hex')}`,
  DATA_ENCRYPTION_KEY: randomBytes(32).toString('base64url'),
  ...extra,
});

/** Runs a process to its exit (a start-up failure): its exit code and stderr lines. */
const run = (entry: string, extra: Record<string, string>, redisUrl: string) =>
  runToExit(entry, environment(extra, redisUrl));

describe.each(ENTRY_POINTS)('$name on a TLS Redis', ({ name, entry, health, env }) => {
  const failedStart = (redisUrl: string) => run(entry, env(1), redisUrl);

  it('serves, its connections (queues, subscribers, limits) all over TLS to the verified server', async () => {
    const port = await freePort();
    const stop = await serving(
      entry,
      environment(env(port), server.url),
      `http://127.0.0.1:${port}${health}`,
    );
    const observer = createRedis(server.url);
    try {
      // The server has no plain-text port, so each of these connections is TLS.
      const clients = String(await observer.call('CLIENT', 'LIST'))
        .split('\n')
        .filter(Boolean);
      expect(clients.length).toBeGreaterThan(2);
    } finally {
      observer.disconnect();
      stop();
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
