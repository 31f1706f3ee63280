/**
 * Secret values of a deployment and their Docker secrets. Values are given (Pulumi) or generated once and kept in
 * .data/stack/<name>/secrets.json (mode 0600, git-ignored) for local deployments. Docker secrets are immutable, so each
 * value becomes a secret named by a hash of its content: a changed value is a new secret, services roll onto it, and
 * the old one is removed once unused.
 */
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { databaseRoles, OWNER_ROLE, REDIS_PREFIX } from '../definition/database-roles.js';
import { renderAlertmanagerConfig } from '../definition/monitoring.js';
import { renderRedisAcl } from '../definition/redis-acl.js';
import {
  MONITORING_SERVERS,
  monitoringTlsSecrets,
  POSTGRES_TLS_PARAMS,
  REDIS_TLS_PARAMS,
  requiredSecrets,
  type MonitoringServer,
  type MonitoringTlsSecret,
  secretName,
  type SecretKey,
} from '../definition/secrets.js';
import type { StackSettings } from '../definition/settings.js';
import type { Docker } from './docker.js';
import { repoRoot } from './images.js';
import {
  API_HOST,
  generateCaTls,
  generateServerTls,
  POSTGRES_HOST,
  REDIS_HOST,
  type CaTls,
} from './server-tls.js';

/** The values an operator owns; the rest (URLs, Redis ACL) are derived from them. */
export interface SecretInputs {
  postgresPassword: string;
  /**
   * Postgres's TLS (PEM): the CA every client verifies the server against, and the server's certificate (for
   * `postgres`, signed by that CA) and key.
   */
  postgresCaCertificate: string;
  postgresServerCertificate: string;
  postgresServerKey: string;
  redisPassword: string;
  /** Redis's TLS (PEM), as Postgres's: a CA of its own, and the server's certificate (for `redis`) and key. */
  redisCaCertificate: string;
  redisServerCertificate: string;
  redisServerKey: string;
  /** The api's TLS (PEM), likewise: a CA of its own, which nginx and Prometheus trust, and its certificate for `api`. */
  apiCaCertificate: string;
  apiServerCertificate: string;
  apiServerKey: string;
  /**
   * The monitoring servers' TLS (PEM): one CA, which Prometheus (and nginx, for Grafana) trusts, and for each server
   * a certificate for its service name and its key. Used with monitoring on.
   */
  monitoringTls: CaTls<MonitoringServer>;
  jwtSecret: string;
  /** Encrypts two-factor secrets in the database: unlike jwtSecret, never rotated (that would void enrolments). */
  totpEncryptionKey: string;
  /**
   * DATA_ENCRYPTION_KEY of api and worker (webhook secrets at rest). To rotate, give `new,old` and deploy, then `new`
   * alone once both have restarted on it (they re-seal at start-up); a value without the old key refuses to start.
   */
  dataEncryptionKey: string;
  smtpUrl: string;
  s3AccessKeyId?: string;
  s3SecretAccessKey?: string;
  /** The key of the backups' bucket (worker only). */
  backupS3AccessKeyId?: string;
  backupS3SecretAccessKey?: string;
  /** Grafana's `admin` login, needed with monitoring (and Grafana) on. */
  grafanaAdminPassword?: string;
  /** The OpenID Connect client's secret, needed with `oidc` in the settings; the provider issued it. */
  oidcClientSecret?: string;
}

const token = () => randomBytes(32).toString('base64url');

/** Fresh random values; SMTP defaults to a sink-less local address until the operator gives one. */
export function generateSecretInputs(): SecretInputs {
  const postgresTls = generateServerTls(POSTGRES_HOST, 'taskstack Postgres CA');
  const redisTls = generateServerTls(REDIS_HOST, 'taskstack Redis CA');
  const apiTls = generateServerTls(API_HOST, 'taskstack api CA');
  return {
    postgresPassword: token(),
    postgresCaCertificate: postgresTls.caCertificate,
    postgresServerCertificate: postgresTls.serverCertificate,
    postgresServerKey: postgresTls.serverKey,
    redisPassword: token(),
    redisCaCertificate: redisTls.caCertificate,
    redisServerCertificate: redisTls.serverCertificate,
    redisServerKey: redisTls.serverKey,
    apiCaCertificate: apiTls.caCertificate,
    apiServerCertificate: apiTls.serverCertificate,
    apiServerKey: apiTls.serverKey,
    monitoringTls: generateMonitoringTls(),
    jwtSecret: token(),
    totpEncryptionKey: token(),
    dataEncryptionKey: token(),
    smtpUrl: 'smtp://127.0.0.1:25',
    grafanaAdminPassword: token(),
  };
}

const generateMonitoringTls = () => generateCaTls('taskstack monitoring CA', MONITORING_SERVERS);

/** Local deployments keep their generated values, so redeploys reuse them (the Postgres volume knows its password). */
export function localSecretInputs(stackName: string, overrides: Partial<SecretInputs> = {}): SecretInputs {
  const dir = join(repoRoot, '.data', 'stack', stackName);
  const file = join(dir, 'secrets.json');
  // Generated values fill keys a file from an older version lacks.
  const generated = generateSecretInputs();
  const stored = {
    ...generated,
    ...(existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as SecretInputs) : {}),
  };
  // The monitoring CA and its certificates go together: a file without one server's (from before that server
  // served TLS) takes the whole new set, as a certificate filled in alone would be signed by another CA.
  if (MONITORING_SERVERS.some((server) => !stored.monitoringTls.servers?.[server]))
    stored.monitoringTls = generated.monitoringTls;
  const values = {
    ...stored,
    ...Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined)),
  };
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  writeFileSync(file, JSON.stringify(values, null, 2), { mode: 0o600 });
  return values;
}

/** Every Docker secret these settings need, with its content derived from the operator's values. */
export function secretValues(
  settings: StackSettings,
  inputs: SecretInputs,
): Partial<Record<SecretKey, string>> {
  // The services' own passwords derive from the operator's (one-way): no new values to keep, and rotating the
  // operator's password rotates them with it.
  const database = {
    api: derived(inputs.postgresPassword, 'postgres:api'),
    worker: derived(inputs.postgresPassword, 'postgres:worker'),
    monitor: derived(inputs.postgresPassword, 'postgres:monitor'),
  };
  const redis = {
    api: derived(inputs.redisPassword, 'redis:api'),
    worker: derived(inputs.redisPassword, 'redis:worker'),
    monitor: derived(inputs.redisPassword, 'redis:monitor'),
  };
  const postgresUrl = (user: string, password: string) =>
    `postgres://${user}:${encodeURIComponent(password)}@${POSTGRES_HOST}:5432/taskstack?${POSTGRES_TLS_PARAMS}`;
  const redisUrl = (user: string, password: string) =>
    `rediss://${user}:${encodeURIComponent(password)}@${REDIS_HOST}:6379?${REDIS_TLS_PARAMS}`;
  const all: Record<SecretKey, () => string> = {
    postgres_password: () => inputs.postgresPassword,
    postgres_tls_key: () => inputs.postgresServerKey,
    postgres_tls_cert: () => inputs.postgresServerCertificate,
    postgres_ca: () => inputs.postgresCaCertificate,
    database_url: () => postgresUrl(OWNER_ROLE, inputs.postgresPassword),
    api_database_url: () => postgresUrl(databaseRoles.api, database.api),
    worker_database_url: () => postgresUrl(databaseRoles.worker, database.worker),
    api_database_password: () => database.api,
    worker_database_password: () => database.worker,
    redis_password: () => inputs.redisPassword,
    redis_tls_key: () => inputs.redisServerKey,
    redis_tls_cert: () => inputs.redisServerCertificate,
    redis_ca: () => inputs.redisCaCertificate,
    // `default` for Redis's healthcheck; api and worker users without the dangerous commands; the exporter's.
    redis_acl: () => renderRedisAcl(REDIS_PREFIX, { default: inputs.redisPassword, ...redis }),
    api_tls_key: () => inputs.apiServerKey,
    api_tls_cert: () => inputs.apiServerCertificate,
    api_ca: () => inputs.apiCaCertificate,
    monitoring_ca: () => inputs.monitoringTls.caCertificate,
    ...monitoringServerSecrets(inputs.monitoringTls),
    api_redis_url: () => redisUrl('api', redis.api),
    worker_redis_url: () => redisUrl('worker', redis.worker),
    jwt_secret: () => inputs.jwtSecret,
    totp_encryption_key: () => inputs.totpEncryptionKey,
    oidc_client_secret: () => inputs.oidcClientSecret ?? '',
    data_encryption_key: () => inputs.dataEncryptionKey,
    smtp_url: () => inputs.smtpUrl,
    s3_access_key_id: () => inputs.s3AccessKeyId ?? '',
    s3_secret_access_key: () => inputs.s3SecretAccessKey ?? '',
    backup_s3_access_key_id: () => inputs.backupS3AccessKeyId ?? '',
    backup_s3_secret_access_key: () => inputs.backupS3SecretAccessKey ?? '',
    alertmanager_yml: () => renderAlertmanagerConfig(settings, inputs.smtpUrl),
    grafana_admin_password: () => inputs.grafanaAdminPassword ?? '',
    monitor_database_password: () => database.monitor,
    monitor_redis_password: () => redis.monitor,
  };
  return Object.fromEntries(requiredSecrets(settings).map((key) => [key, all[key]()]));
}

/** Each monitoring server's key and certificate under its Docker secrets' keys. */
const monitoringServerSecrets = (tls: CaTls<MonitoringServer>) =>
  Object.fromEntries(
    MONITORING_SERVERS.flatMap((server) => {
      const { key, cert } = monitoringTlsSecrets(server);
      return [
        [key, () => tls.servers[server].key],
        [cert, () => tls.servers[server].certificate],
      ];
    }),
  ) as Record<MonitoringTlsSecret, () => string>;

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const derived = (secret: string, purpose: string) =>
  createHmac('sha256', secret).update(purpose).digest('base64url');

/** Content-derived version of a secret: changes exactly when the value does. */
export const secretVersion = (value: string): string => sha256(value).slice(0, 12);

/**
 * The settings pointing at the Docker secrets holding these values (named by content hash), and those values.
 * A required secret without a value is refused, naming it.
 */
export function withSecretVersions(
  settings: StackSettings,
  inputs: SecretInputs,
): { settings: StackSettings; values: Partial<Record<SecretKey, string>> } {
  const values = secretValues(settings, inputs);
  const versions: Record<string, string> = {};
  for (const key of requiredSecrets(settings)) {
    const value = values[key];
    if (!value) throw new Error(`secret ${key} has no value (these stack settings need it)`);
    versions[key] = secretVersion(value);
  }
  return { settings: { ...settings, secretVersions: versions }, values };
}

/**
 * Creates the Docker secrets these settings need (those missing) and returns the settings pointing at them.
 * Creating under a new name is how a secret is rotated.
 */
export async function ensureSecrets(
  docker: Docker,
  settings: StackSettings,
  inputs: SecretInputs,
): Promise<StackSettings> {
  const { settings: next, values } = withSecretVersions(settings, inputs);
  const existing = new Set((await docker.run(['secret', 'ls', '--format', '{{.Name}}'])).split('\n'));
  for (const key of requiredSecrets(next)) {
    const name = secretName(next, key);
    if (existing.has(name)) continue;
    await docker.run(['secret', 'create', '--label', `com.taskstack.stack=${settings.name}`, name, '-'], {
      input: values[key],
    });
  }
  return next;
}

/** Removes this stack's secrets and configs that no service uses any more (after a rotation or config change). */
export async function pruneUnused(docker: Docker, stackName: string, keep: Set<string>): Promise<string[]> {
  const removed: string[] = [];
  for (const kind of ['secret', 'config'] as const) {
    const names = (await docker.run([kind, 'ls', '--format', '{{.Name}}']))
      .split('\n')
      .filter((name) => name.startsWith(`${stackName}_`) && !keep.has(name));
    for (const name of names) {
      // Docker refuses to remove one still in use (e.g. by a task being rolled back); that one stays.
      await docker.run([kind, 'rm', name]).then(
        () => removed.push(name),
        () => undefined,
      );
    }
  }
  return removed;
}
