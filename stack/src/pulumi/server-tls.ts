import * as pulumi from '@pulumi/pulumi';
import * as tls from '@pulumi/tls';
import { MONITORING_SERVERS, type MonitoringServer } from '../definition/secrets.js';
import { API_HOST, POSTGRES_HOST, REDIS_HOST, type CaTls } from '../deployer/server-tls.js';

const HOURS_PER_DAY = 24;

/** A private key (PEM) as a secret wherever it goes (the provider marks it so, this makes sure). */
const privateKey = (name: string, parent: pulumi.Resource) =>
  pulumi.secret(
    new tls.PrivateKey(name, { algorithm: 'ECDSA', ecdsaCurve: 'P256' }, { parent }).privateKeyPem,
  );

/** A CA of ten years, named `caName`: its key `<name>-key` and certificate `<name>`. */
function certificateAuthority(name: string, caName: string, parent: pulumi.Resource) {
  const key = privateKey(`${name}-key`, parent);
  const ca = new tls.SelfSignedCert(
    name,
    {
      privateKeyPem: key,
      subject: { commonName: caName },
      isCaCertificate: true,
      allowedUses: ['cert_signing', 'crl_signing'],
      validityPeriodHours: 3650 * HOURS_PER_DAY,
    },
    { parent },
  );
  return { key, certificate: ca.certPem };
}

/**
 * A server's key (`<name>-key`) and its certificate (`<name>`) for `host` alone, signed by `ca`: a year, renewed
 * by the first `pulumi up` in its last 30 days.
 */
function serverCertificate(
  name: string,
  host: string,
  ca: ReturnType<typeof certificateAuthority>,
  parent: pulumi.Resource,
) {
  const key = privateKey(`${name}-key`, parent);
  const request = new tls.CertRequest(
    `${name}-request`,
    { privateKeyPem: key, subject: { commonName: host }, dnsNames: [host] },
    { parent },
  );
  const server = new tls.LocallySignedCert(
    name,
    {
      certRequestPem: request.certRequestPem,
      caPrivateKeyPem: ca.key,
      caCertPem: ca.certificate,
      allowedUses: ['digital_signature', 'key_encipherment', 'server_auth'],
      validityPeriodHours: 365 * HOURS_PER_DAY,
      earlyRenewalHours: 30 * HOURS_PER_DAY,
    },
    { parent },
  );
  return { key, certificate: server.certPem };
}

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
    const ca = certificateAuthority(`${name}-ca`, args.caName, this);
    const server = serverCertificate(`${name}-server`, args.host, ca, this);
    this.caCertificate = ca.certificate;
    this.serverCertificate = server.certificate;
    this.serverKey = server.key;
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

/**
 * The monitoring servers' (the worker's metrics, Alertmanager, the exporters, Grafana): one CA, which Prometheus
 * (and nginx, for Grafana) trusts, and a certificate from it for each server's service name, `<name>-<server>`,
 * with a key of its own that only that server is given. Like the others, the CA lasts ten years and each certificate a year.
 */
export class MonitoringTls extends pulumi.ComponentResource {
  /** The CA certificate and each server's certificate and key (PEM; the keys secrets). */
  readonly tls: pulumi.Output<CaTls<MonitoringServer>>;

  constructor(name: string, opts?: pulumi.ComponentResourceOptions) {
    super('taskstack:app:MonitoringTls', name, {}, opts);
    const ca = certificateAuthority(`${name}-ca`, 'taskstack monitoring CA', this);
    const servers = Object.fromEntries(
      MONITORING_SERVERS.map((server) => [server, serverCertificate(`${name}-${server}`, server, ca, this)]),
    ) as Record<MonitoringServer, ReturnType<typeof serverCertificate>>;
    this.tls = pulumi.output({ caCertificate: ca.certificate, servers });
    this.registerOutputs({});
  }
}
