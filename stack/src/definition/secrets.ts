/** The Docker secrets of the stack: which exist, and the versioned names the compose file refers to them by. */
import type { StackSettings } from './settings.js';

/**
 * The servers Prometheus (nginx, for Grafana) reaches over HTTPS verified against the monitoring CA, with monitoring
 * on: the monitoring services and the worker's metrics. Their service names, which their certificates name and
 * their clients check. One CA signs them all; each holds only its own key.
 */
export const MONITORING_SERVERS = [
  'worker',
  'alertmanager',
  'node-exporter',
  'postgres-exporter',
  'redis-exporter',
  'nginx-exporter',
  'blackbox-exporter',
  'grafana',
] as const;
export type MonitoringServer = (typeof MONITORING_SERVERS)[number];

type Snake<S extends string> = S extends `${infer A}-${infer B}` ? `${A}_${Snake<B>}` : S;
const snake = <S extends string>(name: S) => name.replace(/-/g, '_') as Snake<S>;
/** The Docker secret holding a monitoring server's key or its certificate. */
export type MonitoringTlsSecret = `${Snake<MonitoringServer>}_tls_${'key' | 'cert'}`;
/** The Docker secrets holding a monitoring server's key and its certificate. */
export const monitoringTlsSecrets = (server: MonitoringServer) =>
  ({ key: `${snake(server)}_tls_key`, cert: `${snake(server)}_tls_cert` }) satisfies Record<
    string,
    MonitoringTlsSecret
  >;

/** Every secret a deployment may hold; values come from the deployer (generated locally) or from Pulumi. */
export const secretKeys = [
  'postgres_password',
  // Postgres serves TLS with this key and certificate; every client verifies it against the CA (verify-full), as
  // the overlay networks are not encrypted.
  'postgres_tls_key',
  'postgres_tls_cert',
  'postgres_ca',
  // The owner's URL (migrate, restore); the api and the worker log in as roles of their own (database-roles.ts).
  'database_url',
  'api_database_url',
  'worker_database_url',
  // Only the migrate job holds these: it sets the app roles' passwords.
  'api_database_password',
  'worker_database_password',
  'redis_password',
  'redis_acl',
  // Redis serves TLS only, with this key and certificate; its clients verify it against its CA (rediss://), as
  // Postgres's do theirs.
  'redis_tls_key',
  'redis_tls_cert',
  'redis_ca',
  // The api serves HTTPS with this key and certificate (TLS_CERT_FILE, TLS_KEY_FILE); nginx and Prometheus verify it
  // against its CA, as the Postgres and Redis clients do theirs.
  'api_tls_key',
  'api_tls_cert',
  'api_ca',
  // Monitoring on, Prometheus scrapes the exporters and Alertmanager over HTTPS, and nginx proxies to Grafana over
  // HTTPS (Grafana's admin login crosses it), each verified against this CA for its service name: the overlay
  // networks are not encrypted. Each server holds its own key and certificate, and no other's.
  'monitoring_ca',
  ...MONITORING_SERVERS.flatMap((server) => Object.values(monitoringTlsSecrets(server))),
  // Redis users of their own, without the dangerous commands (redis-acl.ts).
  'api_redis_url',
  'worker_redis_url',
  'jwt_secret',
  // Deprecated (api only): opens the TOTP secrets sealed before data_encryption_key took them over, so start-up can
  // re-seal them. Still given, as a stack upgraded from then may hold such rows until its api has started once.
  'totp_encryption_key',
  // The OpenID Connect client's secret (api only), with OIDC sign-in on.
  'oidc_client_secret',
  // Seals the webhooks' signing and the TOTP secrets at rest: the api seals, the worker opens to sign (both hold it).
  'data_encryption_key',
  'smtp_url',
  's3_access_key_id',
  's3_secret_access_key',
  // The backups' bucket: a key of its own, for the worker only.
  'backup_s3_access_key_id',
  'backup_s3_secret_access_key',
  'alertmanager_yml',
  'grafana_admin_password',
  // The metrics exporters' own logins (monitoring on): the migrate job sets the Postgres one.
  'monitor_database_password',
  'monitor_redis_password',
] as const;
export type SecretKey = (typeof secretKeys)[number];

/**
 * The secrets these settings need (S3 keys only with S3 storage, the monitoring ones only with monitoring, the
 * OIDC client's only with a provider).
 */
export function requiredSecrets(settings: StackSettings): SecretKey[] {
  const needed: Partial<Record<SecretKey, boolean>> = {
    s3_access_key_id: settings.storage.driver === 's3',
    s3_secret_access_key: settings.storage.driver === 's3',
    backup_s3_access_key_id: settings.storage.driver === 's3',
    backup_s3_secret_access_key: settings.storage.driver === 's3',
    // Alertmanager's config is a secret because it carries the SMTP credentials.
    alertmanager_yml: settings.monitoring,
    grafana_admin_password: settings.monitoring && settings.grafana,
    monitoring_ca: settings.monitoring,
    ...Object.fromEntries(
      MONITORING_SERVERS.flatMap((server) =>
        Object.values(monitoringTlsSecrets(server)).map((key) => [
          key,
          settings.monitoring && (server !== 'grafana' || settings.grafana),
        ]),
      ),
    ),
    monitor_database_password: settings.monitoring,
    monitor_redis_password: settings.monitoring,
    oidc_client_secret: settings.oidc !== undefined,
  };
  return secretKeys.filter((key) => needed[key] ?? true);
}

/** Swarm name of a secret: immutable in Docker, so each value version gets its own name. */
export function secretName(settings: StackSettings, key: SecretKey): string {
  return `${settings.name}_${key}_${settings.secretVersions[key] ?? 'v1'}`;
}

/** Where a service reads a secret (the `*_FILE` variables point here). */
export const secretPath = (key: SecretKey): string => `/run/secrets/${key}`;

/**
 * What every database URL of the stack ends with: TLS, the server's certificate checked against the stack's CA and
 * its name against `postgres` (libpq's parameters, which node-postgres and the Postgres exporter read too).
 */
export const POSTGRES_TLS_PARAMS = `sslmode=verify-full&sslrootcert=${secretPath('postgres_ca')}`;

/**
 * What every Redis URL of the stack (rediss://) ends with: the CA the server's certificate is checked against, its
 * name against `redis` (REDIS_URL's `cacert`, packages/config).
 */
export const REDIS_TLS_PARAMS = `cacert=${secretPath('redis_ca')}`;
