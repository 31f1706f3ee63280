/**
 * The certificates of a local deployment's Postgres, Redis, api and monitoring servers (Pulumi makes its own:
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

/** A CA (PEM) and the servers it signed, each its certificate for its name and its key. */
export type CaTls<Host extends string> = {
  caCertificate: string;
  servers: Record<Host, { certificate: string; key: string }>;
};

/**
 * A CA of the deployment's own, named `caName`, and the server certificate it signs for `host`, as PEM; local
 * stacks keep them in secrets.json like their other generated values.
 */
export function generateServerTls(host: string, caName: string): ServerTls {
  const { caCertificate, servers } = generateCaTls(caName, [host]);
  return { caCertificate, serverCertificate: servers[host]!.certificate, serverKey: servers[host]!.key };
}

/**
 * A CA named `caName` and, signed by it, a certificate and key for each of `hosts` (that name alone), as PEM: for
 * servers whose clients all trust one CA while each server holds only its own key.
 */
export function generateCaTls<Host extends string>(caName: string, hosts: readonly Host[]): CaTls<Host> {
  const dir = mkdtempSync(join(tmpdir(), 'taskstack-tls-'));
  const file = (name: string) => join(dir, name);
  const read = (name: string) => readFileSync(file(name), 'utf8');
  // Ten years, all: a local stack has no renewal to run (stack/README.md: rotating them).
  const newCertificate = (subject: string, name: string, ...extra: string[]) => {
    const key = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '3650'];
    const out = ['-keyout', file(`${name}.key`), '-out', file(`${name}.pem`)];
    execFileSync('openssl', ['req', '-x509', ...key, '-subj', subject, ...out, ...extra], {
      stdio: 'ignore',
    });
  };
  try {
    newCertificate(`/CN=${caName}`, 'ca');
    const servers = {} as CaTls<Host>['servers'];
    for (const [index, host] of hosts.entries()) {
      const name = `server-${index}`;
      newCertificate(
        `/CN=${host}`,
        name,
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
      servers[host] = { certificate: read(`${name}.pem`), key: read(`${name}.key`) };
    }
    return { caCertificate: read('ca.pem'), servers };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
