import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

export type Certificates = { caFile: string; certFile: string; keyFile: string };

const openssl = (...args: string[]) => execFileSync('openssl', args, { stdio: 'ignore' });
const newKey = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '2'];

/**
 * A throw-away CA and a server certificate it signs for `names` (host names or IP addresses, the first also its
 * CN), as PEM files in `dir`: clients trust `caFile`, as they would a real deployment's own CA, so a test can also
 * hand them another CA and see the server refused.
 */
export function makeCertificates(dir: string, names: string[], caName = 'taskstack test CA'): Certificates {
  const files = {
    caFile: join(dir, 'ca.pem'),
    certFile: join(dir, 'server.pem'),
    keyFile: join(dir, 'server.key'),
  };
  const caKey = join(dir, 'ca.key');
  openssl('req', '-x509', ...newKey, '-subj', `/CN=${caName}`, '-keyout', caKey, '-out', files.caFile);
  const altNames = names.map((name) => (/^[\d.]+$|:/.test(name) ? `IP:${name}` : `DNS:${name}`));
  openssl(
    'req',
    '-x509',
    ...newKey,
    '-subj',
    `/CN=${names[0]}`,
    '-CA',
    files.caFile,
    '-CAkey',
    caKey,
    // openssl.cnf's defaults would make the server certificate a CA too.
    '-addext',
    'basicConstraints=critical,CA:FALSE',
    '-addext',
    'extendedKeyUsage=serverAuth',
    '-addext',
    `subjectAltName=${altNames.join(',')}`,
    '-keyout',
    files.keyFile,
    '-out',
    files.certFile,
  );
  return files;
}
