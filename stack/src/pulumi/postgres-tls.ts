import * as pulumi from '@pulumi/pulumi';
import * as tls from '@pulumi/tls';
import { POSTGRES_HOST } from '../deployer/postgres-tls.js';

const HOURS_PER_DAY = 24;

/**
 * The TLS of the stack's Postgres: a CA of the stack's own (ten years) and the server's certificate from it for
 * `postgres`, the name every client connects to and checks (sslmode=verify-full). The overlay networks between the
 * nodes are not encrypted, so this is what keeps database traffic private and the server authentic. The server
 * certificate lasts a year and is renewed by the first `pulumi up` in its last 30 days, which restarts Postgres on
 * it; the clients trust the CA, which does not change (stack/README.md: rotating the CA).
 */
export class PostgresTls extends pulumi.ComponentResource {
  /** The CA certificate (PEM) the clients verify the server against. */
  readonly caCertificate: pulumi.Output<string>;
  /** The server's certificate (PEM). */
  readonly serverCertificate: pulumi.Output<string>;
  /** The server's private key (PEM), a secret. */
  readonly serverKey: pulumi.Output<string>;

  constructor(name: string, opts?: pulumi.ComponentResourceOptions) {
    super('taskstack:app:PostgresTls', name, {}, opts);
    // A private key (PEM) as a secret wherever it goes (the provider marks it so, this makes sure).
    const key = (purpose: string) =>
      pulumi.secret(
        new tls.PrivateKey(
          `${name}-${purpose}-key`,
          { algorithm: 'ECDSA', ecdsaCurve: 'P256' },
          { parent: this },
        ).privateKeyPem,
      );
    const caKey = key('ca');
    const ca = new tls.SelfSignedCert(
      `${name}-ca`,
      {
        privateKeyPem: caKey,
        subject: { commonName: 'taskstack Postgres CA' },
        isCaCertificate: true,
        allowedUses: ['cert_signing', 'crl_signing'],
        validityPeriodHours: 3650 * HOURS_PER_DAY,
      },
      { parent: this },
    );
    const serverKey = key('server');
    const request = new tls.CertRequest(
      `${name}-server-request`,
      {
        privateKeyPem: serverKey,
        subject: { commonName: POSTGRES_HOST },
        dnsNames: [POSTGRES_HOST],
      },
      { parent: this },
    );
    const server = new tls.LocallySignedCert(
      `${name}-server`,
      {
        certRequestPem: request.certRequestPem,
        caPrivateKeyPem: caKey,
        caCertPem: ca.certPem,
        allowedUses: ['digital_signature', 'key_encipherment', 'server_auth'],
        validityPeriodHours: 365 * HOURS_PER_DAY,
        earlyRenewalHours: 30 * HOURS_PER_DAY,
      },
      { parent: this },
    );
    this.caCertificate = ca.certPem;
    this.serverCertificate = server.certPem;
    this.serverKey = serverKey;
    this.registerOutputs({});
  }
}
