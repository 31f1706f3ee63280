/**
 * The api and the worker serve HTTPS with the certificate and key TLS_CERT_FILE and TLS_KEY_FILE name, as the
 * stack's nginx and Prometheus reach them: verified against the CA, for the server's name, from an address the
 * certificate does not name (their own healthchecks ask 127.0.0.1 the same way). Bad TLS settings stop either at
 * start-up in one line.
 */
import { createTestDatabase } from '@taskstack/db/testing';
import { freePort, makeCertificates, type Certificates } from '@taskstack/devservices';
import { randomBytes, X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TLSSocket } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENTRY_POINTS, runToExit, serving } from './entry-points.js';

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let certificates: Certificates;
let other: Certificates;

const tempDir = () => mkdtempSync(join(tmpdir(), 'taskstack-server-tls-'));
const names = ENTRY_POINTS.map(({ name }) => name);

beforeAll(async () => {
  db = await createTestDatabase(process.env.TEST_DATABASE_SERVER_URL!);
  certificates = makeCertificates(tempDir(), names);
  other = makeCertificates(tempDir(), names, 'another CA');
}, 60_000);

afterAll(async () => {
  await db?.drop();
});

/** The environment `server` needs to start on `port`, with these TLS settings. */
const environment = (server: (typeof ENTRY_POINTS)[number], port: number, tls: Record<string, string>) => ({
  ...server.env(port),
  DATABASE_URL: db.url,
  REDIS_URL: process.env.TEST_REDIS_URL!,
  REDIS_PREFIX: `t${randomBytes(5).toString('hex')}`,
  DATA_ENCRYPTION_KEY: randomBytes(32).toString('base64url'),
  ...tls,
});

/** GET `path` of 127.0.0.1:`port` over HTTPS, the server verified against `caFile` for `name`. */
function get(port: number, path: string, caFile: string, name: string) {
  return new Promise<{ status: number; certificate: X509Certificate }>((resolve, reject) => {
    const options = {
      host: '127.0.0.1',
      port,
      path,
      servername: name,
      ca: readFileSync(caFile),
      agent: false,
    };
    https
      .get(options, (reply) => {
        const certificate = new X509Certificate((reply.socket as TLSSocket).getPeerCertificate().raw);
        reply.resume();
        resolve({ status: reply.statusCode!, certificate });
      })
      .on('error', reject);
  });
}

describe.each(ENTRY_POINTS)('the $name with TLS_CERT_FILE and TLS_KEY_FILE', (server) => {
  it('serves HTTPS with that certificate, verified against its CA, and no plain HTTP', async () => {
    const port = await freePort();
    const tls = { TLS_CERT_FILE: certificates.certFile, TLS_KEY_FILE: certificates.keyFile };
    const ready = () =>
      get(port, server.health, certificates.caFile, server.name).then(
        (reply) => reply.status,
        () => 0,
      );
    const stop = await serving(server.entry, environment(server, port, tls), ready);
    try {
      const { certificate } = await get(port, '/health', certificates.caFile, server.name);
      const served = new X509Certificate(readFileSync(certificates.certFile));
      expect(certificate.fingerprint256).toBe(served.fingerprint256);
      // A client that trusts another CA refuses the server.
      await expect(get(port, '/health', other.caFile, server.name)).rejects.toThrow(
        'unable to verify the first certificate',
      );
      // Plain HTTP on the same port gets no answer.
      await expect(fetch(`http://127.0.0.1:${port}/health`)).rejects.toThrow('fetch failed');
    } finally {
      stop();
    }
  }, 60_000);
});

describe.each(ENTRY_POINTS)('bad TLS settings of the $name', (server) => {
  /** Starts the server with these TLS settings, expecting it to exit at once; its exit code and stderr lines. */
  const failedStart = async (tls: Record<string, string>) =>
    runToExit(server.entry, environment(server, await freePort(), tls));
  const line = (text: string) => [`${server.name}: invalid configuration: ${text}`];

  it('are named in one line: a file missing or without PEM, a key not the certificate’s, one file alone', async () => {
    const { certFile, keyFile } = certificates;
    const notPem = join(tempDir(), 'not.pem');
    writeFileSync(notPem, 'not PEM\n');

    const missing = await failedStart({ TLS_CERT_FILE: '/nonexistent/server.pem', TLS_KEY_FILE: keyFile });
    expect(missing.code).toBe(1);
    expect(missing.lines).toEqual(line('TLS_CERT_FILE: cannot read /nonexistent/server.pem (ENOENT)'));
    expect((await failedStart({ TLS_CERT_FILE: notPem, TLS_KEY_FILE: keyFile })).lines).toEqual(
      line(`TLS_CERT_FILE: ${notPem} holds no PEM certificate`),
    );
    expect((await failedStart({ TLS_CERT_FILE: certFile, TLS_KEY_FILE: notPem })).lines).toEqual(
      line(`TLS_KEY_FILE: ${notPem} holds no PEM private key`),
    );
    // Another certificate's key: the handshake would fail for every client.
    expect((await failedStart({ TLS_CERT_FILE: certFile, TLS_KEY_FILE: other.keyFile })).lines).toEqual(
      line(`TLS_KEY_FILE: ${other.keyFile} is not the key of the certificate in TLS_CERT_FILE`),
    );
    expect((await failedStart({ TLS_CERT_FILE: certFile })).lines).toEqual(
      line('TLS_KEY_FILE: is required with TLS_CERT_FILE'),
    );
    expect((await failedStart({ TLS_KEY_FILE: keyFile })).lines).toEqual(
      line('TLS_CERT_FILE: is required with TLS_KEY_FILE'),
    );
  }, 120_000);
});
