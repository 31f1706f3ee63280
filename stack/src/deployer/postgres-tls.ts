/** The certificates of a local deployment's Postgres (Pulumi makes its own: stack/src/pulumi/postgres-tls.ts). */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The Postgres service's name inside the stack: what clients connect to, so what its certificate must name. */
export const POSTGRES_HOST = 'postgres';

/**
 * A CA of the deployment's own and the server certificate it signs for `postgres`, as PEM; local stacks keep them
 * in secrets.json like their other generated values.
 */
export function generatePostgresTls(): {
  postgresCaCertificate: string;
  postgresServerCertificate: string;
  postgresServerKey: string;
} {
  const dir = mkdtempSync(join(tmpdir(), 'taskstack-pg-tls-'));
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
    newCertificate('/CN=taskstack Postgres CA', 'ca');
    newCertificate(
      `/CN=${POSTGRES_HOST}`,
      'server',
      '-CA',
      file('ca.pem'),
      '-CAkey',
      file('ca.key'),
      ...[
        // openssl.cnf's defaults would make the server certificate a CA too.
        ...['-addext', 'basicConstraints=critical,CA:FALSE', '-addext', 'extendedKeyUsage=serverAuth'],
        ...['-addext', `subjectAltName=DNS:${POSTGRES_HOST}`],
      ],
    );
    return {
      postgresCaCertificate: readFileSync(file('ca.pem'), 'utf8'),
      postgresServerCertificate: readFileSync(file('server.pem'), 'utf8'),
      postgresServerKey: readFileSync(file('server.key'), 'utf8'),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
