import * as pulumi from '@pulumi/pulumi';
import * as tls from '@pulumi/tls';
import { API_HOST, POSTGRES_HOST, REDIS_HOST } from '../deployer/server-tls.js';

const HOURS_PER_DAY = 24;

/**
 * The TLS of one of the stack's servers: a CA of its own (ten years) and the server's certificate from it for
 * `host`, the name every client connects to and checks. The overlay networks between the nodes are not encrypted,
 * so this is what keeps the traffic private and the server authentic. The server certificate lasts a year and is
 * renewed by the first `pulumi up` in its last 30 days, which restarts the server on it; the clients trust the CA,
 * which does not change (stack/README.md: rotating the CA).
 */
class ServerTls extends pulumi.ComponentResource {
  /** The CA certificate (PEM) the clients verify the server against. */
  readonly caCertificate: pulumi.Output<string>;
  /** The server's certificate (PEM). */
  readonly serverCertificate: pulumi.Output<string>;
  /** The server's private key (PEM), a secret. */
  readonly serverKey: pulumi.Output<string>;

  constructor(
    type: string,
    name: string,
    args: { host: string; caName: string },
    opts?: pulumi.ComponentResourceOptions,
  ) {
    super(type, name, {}, opts);
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
        subject: { commonName: args.caName },
        isCaCertificate: true,
        allowedUses: ['cert_signing', 'crl_signing'],
        validityPeriodHours: 3650 * HOURS_PER_DAY,
      },
      { parent: this },
    );
    const serverKey = key('server');
    const request = new tls.CertRequest(
      `${name}-server-request`,
      { privateKeyPem: serverKey, subject: { commonName: args.host }, dnsNames: [args.host] },
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

/** Postgres's: the clients verify it with sslmode=verify-full. */
export class PostgresTls extends ServerTls {
  constructor(name: string, opts?: pulumi.ComponentResourceOptions) {
    super('taskstack:app:PostgresTls', name, { host: POSTGRES_HOST, caName: 'taskstack Postgres CA' }, opts);
  }
}

/** Redis's, a CA apart from Postgres's: the clients verify it through rediss:// and `cacert`. */
export class RedisTls extends ServerTls {
  constructor(name: string, opts?: pulumi.ComponentResourceOptions) {
    super('taskstack:app:RedisTls', name, { host: REDIS_HOST, caName: 'taskstack Redis CA' }, opts);
  }
}

/** The api's, a CA of its own again: nginx (proxy_ssl_verify) and Prometheus verify it. */
export class ApiTls extends ServerTls {
  constructor(name: string, opts?: pulumi.ComponentResourceOptions) {
    super('taskstack:app:ApiTls', name, { host: API_HOST, caName: 'taskstack api CA' }, opts);
  }
}
