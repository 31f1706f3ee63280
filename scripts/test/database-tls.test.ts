/**
 * The api and the worker reach Postgres over TLS, verified against the CA their DATABASE_URL names
 * (`sslmode=verify-full&sslrootcert=…`, as in the stack), on a server that refuses TCP without TLS.
 */
import { createTestDatabase, prepareTemplateDatabase } from '@taskstack/db/testing';
import { freePort, makeCertificates, startPostgres } from '@taskstack/devservices';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENTRY_POINTS, runToExit, serving } from './entry-points.js';

let server: Awaited<ReturnType<typeof startPostgres>>;
let db: Awaited<ReturnType<typeof createTestDatabase>>;

beforeAll(async () => {
  server = await startPostgres({ tls: true });
  await prepareTemplateDatabase(server.url);
  db = await createTestDatabase(server.url);
}, 120_000);

afterAll(async () => {
  await db?.drop();
  await server?.stop();
});

/** `url` with its TLS parameters replaced by `params`. */
const withParams = (url: string, params: Record<string, string>) => {
  const parsed = new URL(url);
  parsed.search = new URLSearchParams(params).toString();
  return parsed.toString();
};

/** The environment the process needs to start, besides its DATABASE_URL. */
const environment = (extra: Record<string, string>, databaseUrl: string) => ({
  DATABASE_URL: databaseUrl,
  REDIS_URL: process.env.TEST_REDIS_URL!,
  REDIS_PREFIX: `t${randomBytes(5).toString('hex')}`,
  DATA_ENCRYPTION_KEY: randomBytes(32).toString('base64url'),
  ...extra,
});

/** Runs a process to its exit (a start-up failure): its exit code and stderr lines. */
const run = (entry: string, extra: Record<string, string>, databaseUrl: string) =>
  runToExit(entry, environment(extra, databaseUrl));

describe.each(ENTRY_POINTS)('$name on a TLS Postgres', ({ name, entry, health, env }) => {
  const failedStart = (databaseUrl: string) => run(entry, env(1), databaseUrl);

  it('serves, its database connections encrypted and the server verified against the CA', async () => {
    const port = await freePort();
    const stop = await serving(entry, environment(env(port), db.url), `http://127.0.0.1:${port}${health}`);
    try {
      const client = new pg.Client({ connectionString: db.url });
      await client.connect();
      try {
        const { rows } = await client.query<{ ssl: boolean }>(
          `SELECT s.ssl FROM pg_stat_ssl s JOIN pg_stat_activity a USING (pid)
            WHERE a.datname = current_database() AND a.pid <> pg_backend_pid() AND a.client_addr IS NOT NULL`,
        );
        expect(rows.length).toBeGreaterThan(0);
        expect(rows.every((row) => row.ssl)).toBe(true);
      } finally {
        await client.end();
      }
    } finally {
      stop();
    }
  }, 60_000);

  it('refuses in one line a server whose certificate another CA signed', () => {
    const other = makeCertificates(mkdtempSync(join(tmpdir(), 'taskstack-other-ca-')), ['127.0.0.1']);
    const { code, lines } = failedStart(
      withParams(db.url, { sslmode: 'verify-full', sslrootcert: other.caFile }),
    );
    expect(code).toBe(1);
    expect(lines).toEqual([
      `${name}: DATABASE_URL: cannot connect (UNABLE_TO_VERIFY_LEAF_SIGNATURE unable to verify the first certificate)`,
    ]);
  });

  it('refuses in one line a server without TLS when verification is configured', () => {
    const plain = withParams(process.env.TEST_DATABASE_SERVER_URL!, {
      sslmode: 'verify-full',
      sslrootcert: server.caFile!,
    });
    const { code, lines } = failedStart(plain);
    expect(code).toBe(1);
    expect(lines).toEqual([
      `${name}: DATABASE_URL: cannot connect (The server does not support SSL connections)`,
    ]);
  });
});

describe('the CA file in DATABASE_URL', () => {
  const failedStart = (databaseUrl: string) =>
    run('api/src/main.ts', { JWT_SECRET: 'x'.repeat(40) }, databaseUrl);

  it('is named in one line when missing or not a certificate, or without verify-full', () => {
    const missing = failedStart(
      withParams(db.url, { sslmode: 'verify-full', sslrootcert: '/nonexistent/ca.pem' }),
    );
    expect(missing.code).toBe(1);
    expect(missing.lines).toEqual([
      `api: invalid configuration: DATABASE_URL: sslrootcert: cannot read /nonexistent/ca.pem (ENOENT)`,
    ]);
    const notCertificate = join(mkdtempSync(join(tmpdir(), 'taskstack-ca-')), 'ca.pem');
    writeFileSync(notCertificate, 'not a certificate\n');
    const garbled = failedStart(withParams(db.url, { sslmode: 'verify-full', sslrootcert: notCertificate }));
    expect(garbled.lines).toEqual([
      `api: invalid configuration: DATABASE_URL: sslrootcert: ${notCertificate} holds no PEM certificate`,
    ]);
    // libpq's default sslmode (prefer) would let pg_dump fall back to an unencrypted connection.
    const prefer = failedStart(withParams(db.url, { sslmode: 'prefer', sslrootcert: server.caFile! }));
    expect(prefer.lines).toEqual([
      `api: invalid configuration: DATABASE_URL: sslrootcert needs sslmode=verify-full`,
    ]);
  });
});
