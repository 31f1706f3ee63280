/**
 * The api serves HTTPS with the certificate and key TLS_CERT_FILE and TLS_KEY_FILE name, as the stack's nginx and
 * Prometheus reach it: verified against the CA, for the name `api`, from an address the certificate does not name
 * (the api's own healthcheck asks 127.0.0.1 the same way). Bad TLS settings stop it at start-up in one line.
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

const api = ENTRY_POINTS.find(({ name }) => name === 'api')!;

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let certificates: Certificates;
let other: Certificates;

const tempDir = () => mkdtempSync(join(tmpdir(), 'taskstack-api-tls-'));

beforeAll(async () => {
  db = await createTestDatabase(process.env.TEST_DATABASE_SERVER_URL!);
  certificates = makeCertificates(tempDir(), ['api']);
  other = makeCertificates(tempDir(), ['api'], 'another CA');
}, 60_000);

afterAll(async () => {
  await db?.drop();
});

/** The environment the api needs to start on `port`, with these TLS settings. */
const environment = (port: number, tls: Record<string, string>) => ({
  ...api.env(port),
  DATABASE_URL: db.url,
  REDIS_URL: process.env.TEST_REDIS_URL!,
  REDIS_PREFIX: `t${randomBytes(5).toString('hex')}`,
  DATA_ENCRYPTION_KEY: randomBytes(32).toString('base64url'),
  ...tls,
});

/** GET `path` of 127.0.0.1:`port` over HTTPS, the server verified against `caFile` for the name `api`. */
function get(port: number, path: string, caFile: string) {
  return new Promise<{ status: number; certificate: X509Certificate }>((resolve, reject) => {
    const options = {
      host: '127.0.0.1',
      port,
      path,
      servername: 'api',
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

describe('the api with TLS_CERT_FILE and TLS_KEY_FILE', () => {
  it('serves HTTPS with that certificate, verified against its CA, and no plain HTTP', async () => {
    const port = await freePort();
    const tls = { TLS_CERT_FILE: certificates.certFile, TLS_KEY_FILE: certificates.keyFile };
    const ready = () =>
      get(port, api.health, certificates.caFile).then(
        (reply) => reply.status,
        () => 0,
      );
    const stop = await serving(api.entry, environment(port, tls), ready);
    try {
      const { certificate } = await get(port, '/health', certificates.caFile);
      const served = new X509Certificate(readFileSync(certificates.certFile));
      expect(certificate.fingerprint256).toBe(served.fingerprint256);
      // A client that trusts another CA refuses the server.
      await expect(get(port, '/health', other.caFile)).rejects.toThrow(
        'unable to verify the first certificate',
      );
      // Plain HTTP on the same port gets no answer.
      await expect(fetch(`http://127.0.0.1:${port}/health`)).rejects.toThrow('fetch failed');
    } finally {
      stop();
    }
  }, 60_000);
});

describe('bad TLS settings', () => {
  /** Starts the api with these TLS settings, expecting it to exit at once; its exit code and stderr lines. */
  const failedStart = async (tls: Record<string, string>) =>
    runToExit(api.entry, environment(await freePort(), tls));
  const line = (text: string) => [`api: invalid configuration: ${text}`];

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
