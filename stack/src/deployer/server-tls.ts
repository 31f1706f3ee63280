/**
 * The certificates of a local deployment's Postgres, Redis and api (Pulumi makes its own:
 * stack/src/pulumi/server-tls.ts).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The Postgres service's name inside the stack: what clients connect to, so what its certificate must name. */
export const POSTGRES_HOST = 'postgres';
/** The same for Redis. */
export const REDIS_HOST = 'redis';
/** The same for the api, which nginx and Prometheus reach by that name. */
export const API_HOST = 'api';

/** A server's TLS (PEM): the CA its clients verify it against, and its certificate (signed by that CA) and key. */
export type ServerTls = { caCertificate: string; serverCertificate: string; serverKey: string };

/**
 * A CA of the deployment's own, named `caName`, and the server certificate it signs for `host`, as PEM; local
 * stacks keep them in secrets.json like their other generated values.
 */
export function generateServerTls(host: string, caName: string): ServerTls {
  const dir = mkdtempSync(join(tmpdir(), 'taskstack-tls-'));
  const file = (name: string) => join(dir, name);
  // Ten years, both: a local stack has no renewal to run (stack/README.md: rotating them).
  const newCertificate = (subject: string, name: string, ...extra: string[]) => {
    const key = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '3650'];
    const out = ['-keyout', file(`${name}.key`), '-out', file(`${name}.pem`)];
    execFileSync('openssl', ['req', '-x509', ...key, '-subj', subject, ...out, ...extra], {
      stdio: 'ignore',
    });
  };
  try {
    newCertificate(`/CN=${caName}`, 'ca');
    newCertificate(
      `/CN=${host}`,
      'server',
      '-CA',
      file('ca.pem'),
      '-CAkey',
      file('ca.key'),
      ...[
        // openssl.cnf's defaults would make the server certificate a CA too.
        ...['-addext', 'basicConstraints=critical,CA:FALSE', '-addext', 'extendedKeyUsage=serverAuth'],
        ...['-addext', `subjectAltName=DNS:${host}`],
      ],
    );
    return {
      caCertificate: readFileSync(file('ca.pem'), 'utf8'),
      serverCertificate: readFileSync(file('server.pem'), 'utf8'),
      serverKey: readFileSync(file('server.key'), 'utf8'),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
