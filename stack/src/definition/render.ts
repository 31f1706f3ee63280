/**
 * The one definition of the swarm stack, rendered to a compose v3 file for `docker stack deploy`. The local swarm
 * (tests, demos) and the droplets (Pulumi → deployer over SSH) deploy exactly this output.
 */
import { stringify } from 'yaml';
import {
  confined,
  deployed,
  keyRef,
  limits,
  logging,
  placedOn,
  secretRefs,
  shortHash,
  type Service,
} from './compose.js';
import { REDIS_PREFIX } from './database-roles.js';
import { ownTls, OWN_TLS, renderMonitoring } from './monitoring.js';
import { renderNginxSite } from './nginx.js';
import { requiredSecrets, secretName, secretPath, type SecretKey } from './secrets.js';
import { imageRef as image, type StackSettings } from './settings.js';

/** The pgBackRest stanza of the stack's cluster: Postgres archives into it, the worker backs it up and drills it. */
export const PITR_STANZA = 'taskstack';

/** File the compose file refers to for the nginx site config (written next to it by `renderStackFiles`). */
export const NGINX_SITE_FILE = 'nginx-site.conf';
export const ACME_CA_FILE = 'acme-ca.pem';

/** Rolling update of stateless services: new task up and healthy before the old one stops; bad updates roll back. */
const rollingUpdate = (settings: StackSettings) => ({
  update_config: {
    parallelism: 1,
    delay: '5s',
    order: 'start-first',
    failure_action: 'rollback',
    monitor: `${settings.updateMonitorSeconds}s`,
    max_failure_ratio: 0,
  },
  rollback_config: { parallelism: 0, order: 'start-first', failure_action: 'pause', monitor: '10s' },
});

/** Stateful services own a volume, so the old task stops before the new one starts. */
const statefulUpdate = (settings: StackSettings) => ({
  update_config: {
    parallelism: 1,
    order: 'stop-first',
    failure_action: 'rollback',
    monitor: `${settings.updateMonitorSeconds}s`,
  },
  rollback_config: { parallelism: 1, order: 'stop-first', failure_action: 'pause' },
});

/**
 * What the Postgres and Redis entrypoints need while they run as root: own the data directory (CHOWN, FOWNER), reach
 * into it although it belongs to the service user (DAC_OVERRIDE), then switch to that user (SETUID, SETGID). The
 * servers themselves run as that user, which keeps none of these.
 */
const ROOT_ENTRYPOINT_CAPS = ['CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'SETUID', 'SETGID'];

/** The users the servers run as, owners of their private keys: `node` of the Node image, `redis` of Redis's. */
const NODE_UID = 1000;
const REDIS_UID = 999;

/** A health probe run inside a Node image (no curl needed): `script` exits 0 when the service is healthy. */
const nodeProbe = (script: string) => ({
  test: ['CMD', 'node', '-e', script],
  interval: '5s',
  timeout: '3s',
  retries: 3,
  start_period: '30s',
});

/** Whether GET `url` answers 2xx. */
const answersOk = (url: string) => `fetch('${url}').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))`;

/**
 * Whether `path` answers 200 over the server's HTTPS, verified as its clients verify it: against `ca`, for `name`
 * (the probe asks its own task at 127.0.0.1, an address the certificate does not name). The api's: `/ready`
 * (Postgres, Redis and migrations), as nginx verifies it.
 */
const answersOkOverTls = (port: number, path: string, name: string, ca: SecretKey) =>
  `require('https').get({host:'127.0.0.1',port:${port},path:'${path}',servername:'${name}',` +
  `ca:require('fs').readFileSync('${secretPath(ca)}')},` +
  `r=>process.exit(r.statusCode===200?0:1)).on('error',()=>process.exit(1))`;
const apiReady = answersOkOverTls(3000, '/ready', 'api', 'api_ca');

/**
 * Environment the api and worker share: where their dependencies are and how they log. Each logs in to Postgres
 * and Redis as its own user; its Postgres role comes from the migrate job started alongside, so start-up waits for
 * it (a new task of an upgrade may otherwise start first, fail, and roll the update back).
 */
function appEnvironment(settings: StackSettings, service: 'api' | 'worker'): Record<string, string> {
  const env: Record<string, string> = {
    NODE_ENV: 'production',
    LOG_LEVEL: settings.logLevel,
    DATABASE_URL_FILE: secretPath(`${service}_database_url`),
    DATABASE_WAIT_SECONDS: '90',
    REDIS_URL_FILE: secretPath(`${service}_redis_url`),
    REDIS_PREFIX,
    PUBLIC_URL: `https://${settings.domain}${settings.ports.https === 443 ? '' : `:${settings.ports.https}`}`,
    ADMIN_EMAILS: settings.adminEmails.join(','),
    DATA_ENCRYPTION_KEY_FILE: secretPath('data_encryption_key'),
  };
  if (settings.storage.driver === 's3') {
    Object.assign(env, {
      S3_ENDPOINT: settings.storage.endpoint,
      S3_REGION: settings.storage.region,
      S3_BUCKET: settings.storage.bucket,
      S3_FORCE_PATH_STYLE: String(settings.storage.forcePathStyle),
      S3_ACCESS_KEY_ID_FILE: secretPath('s3_access_key_id'),
      S3_SECRET_ACCESS_KEY_FILE: secretPath('s3_secret_access_key'),
    });
  }
  return env;
}

/** The api's sign-in provider (api/README.md), when the settings name one; its secret is a Docker secret. */
function oidcEnvironment(settings: StackSettings): Record<string, string> {
  if (!settings.oidc) return {};
  const { issuer, clientId, displayName, autoProvision, only } = settings.oidc;
  return {
    OIDC_ISSUER: issuer,
    OIDC_CLIENT_ID: clientId,
    OIDC_CLIENT_SECRET_FILE: secretPath('oidc_client_secret'),
    ...(displayName ? { OIDC_DISPLAY_NAME: displayName } : {}),
    OIDC_AUTO_PROVISION: String(autoProvision),
    OIDC_ONLY: String(only),
  };
}

/**
 * pgBackRest's second repository, in the backups' bucket under `pitr/`: the server reaches it with the backups' key
 * (its entrypoint reads the two secrets, as pgBackRest reads no *_FILE variables).
 */
function pgbackrestBucket(
  storage: Extract<StackSettings['storage'], { driver: 's3' }>,
): Record<string, string> {
  const endpoint = new URL(storage.endpoint);
  return {
    PGBACKREST_REPO2_TYPE: 's3',
    PGBACKREST_REPO2_PATH: '/pitr',
    PGBACKREST_REPO2_S3_BUCKET: storage.backupBucket,
    PGBACKREST_REPO2_S3_ENDPOINT: endpoint.hostname,
    ...(endpoint.port ? { PGBACKREST_REPO2_STORAGE_PORT: endpoint.port } : {}),
    PGBACKREST_REPO2_S3_REGION: storage.region,
    PGBACKREST_REPO2_S3_URI_STYLE: storage.forcePathStyle ? 'path' : 'host',
    PGBACKREST_REPO2_S3_KEY_FILE: secretPath('backup_s3_access_key_id'),
    PGBACKREST_REPO2_S3_KEY_SECRET_FILE: secretPath('backup_s3_secret_access_key'),
  };
}

function services(settings: StackSettings): Record<string, Service> {
  const { memory, placement } = settings;
  const s3 = settings.storage.driver === 's3';
  const s3Secrets: SecretKey[] = s3 ? ['s3_access_key_id', 's3_secret_access_key'] : [];
  // The backups' key reaches the worker alone: a compromised api can neither read nor delete the backups.
  const backupSecrets: SecretKey[] = s3 ? ['backup_s3_access_key_id', 'backup_s3_secret_access_key'] : [];

  const pitr = settings.backup.pointInTime;
  const storage = settings.storage;
  const pitrCopy = pitr && storage.driver === 's3' && storage.pointInTimeCopy ? storage : undefined;
  const postgres: Service = {
    image: image(settings, 'postgres'),
    environment: {
      POSTGRES_USER: 'taskstack',
      POSTGRES_DB: 'taskstack',
      POSTGRES_PASSWORD_FILE: secretPath('postgres_password'),
      PGDATA: '/var/lib/postgresql/data/pgdata',
      // TLS for every connection from another container (postgres/entrypoint.sh); the clients verify it against
      // postgres_ca, which their database URLs name (POSTGRES_TLS_PARAMS).
      POSTGRES_TLS_CERT_FILE: secretPath('postgres_tls_cert'),
      POSTGRES_TLS_KEY_FILE: secretPath('postgres_tls_key'),
      // pgBackRest runs inside this container (archive-push, and the worker's backups and restores through the
      // database connection); its lock lives on the /tmp tmpfs, its repository on a volume of its own.
      ...(pitr
        ? {
            PGBACKREST_STANZA: PITR_STANZA,
            // pgBackRest connects as the cluster's superuser, which POSTGRES_USER names (there is no `postgres` role).
            PGBACKREST_PG1_USER: 'taskstack',
            PGBACKREST_REPO1_PATH: '/var/lib/pgbackrest',
            PGBACKREST_LOCK_PATH: '/tmp/pgbackrest',
            PGBACKREST_START_FAST: 'y',
            ...(pitrCopy && pgbackrestBucket(pitrCopy)),
          }
        : {}),
    },
    secrets: [
      ...secretRefs('postgres_password', 'postgres_tls_cert', ...(pitrCopy ? backupSecrets : [])),
      // Root's alone: the entrypoint gives the server a copy of its own.
      keyRef('postgres_tls_key', 0),
    ],
    ...confined({
      capAdd: ROOT_ENTRYPOINT_CAPS,
      writable: ['/tmp', '/var/run/postgresql'],
      volumes: [
        'postgres-data:/var/lib/postgresql/data',
        ...(pitr ? ['pgbackrest:/var/lib/pgbackrest'] : []),
      ],
    }),
    networks: ['backend'],
    healthcheck: {
      test: ['CMD', 'pg_isready', '-h', '127.0.0.1', '-U', 'taskstack', '-d', 'taskstack'],
      interval: '5s',
      timeout: '3s',
      retries: 5,
      start_period: '60s',
    },
    stop_grace_period: '60s',
    logging,
    deploy: deployed(
      memory.postgres,
      { placement: placedOn(placement.statefulLabel), ...statefulUpdate(settings) },
      // A process per connection.
      { pids: 512 },
    ),
  };

  // Redis as a queue store: append-only file, never evict (BullMQ needs every key), password via an ACL file.
  const redis: Service = {
    image: settings.images.redis,
    command: [
      'redis-server',
      '--appendonly',
      'yes',
      '--appendfsync',
      'everysec',
      '--maxmemory-policy',
      'noeviction',
      '--aclfile',
      secretPath('redis_acl'),
      // TLS only (no plain-text port): the overlay networks are not encrypted, and the clients verify the server
      // against redis_ca (their rediss:// URLs name it). They log in with their ACL passwords, not certificates.
      '--port',
      '0',
      '--tls-port',
      '6379',
      '--tls-cert-file',
      secretPath('redis_tls_cert'),
      '--tls-key-file',
      secretPath('redis_tls_key'),
      '--tls-auth-clients',
      'no',
    ],
    // The key is readable only by the `redis` user the server drops root for (uid 999, in the official image and
    // the stand-in alike).
    secrets: [
      ...secretRefs('redis_acl', 'redis_password', 'redis_tls_cert', 'redis_ca'),
      keyRef('redis_tls_key', REDIS_UID),
    ],
    ...confined({ capAdd: ROOT_ENTRYPOINT_CAPS, volumes: ['redis-data:/data'] }),
    networks: ['backend'],
    healthcheck: {
      test: [
        'CMD-SHELL',
        `REDISCLI_AUTH="$$(cat ${secretPath('redis_password')})" redis-cli --tls --cacert ${secretPath('redis_ca')} ping | grep -q PONG`,
      ],
      interval: '5s',
      timeout: '3s',
      retries: 5,
      start_period: '30s',
    },
    stop_grace_period: '30s',
    logging,
    deploy: deployed(
      memory.redis,
      { placement: placedOn(placement.statefulLabel), ...statefulUpdate(settings) },
      { pids: 64 },
    ),
  };

  // One-shot per deploy (re-run whenever its image changes); api tasks report ready only once migrations are current.
  const migrate: Service = {
    image: image(settings, 'api'),
    command: ['node', 'packages/db/dist/cli/migrate.js'],
    environment: {
      NODE_ENV: 'production',
      LOG_LEVEL: settings.logLevel,
      DATABASE_URL_FILE: secretPath('database_url'),
      // It creates the api's and the worker's roles and sets their passwords on every run.
      API_DATABASE_PASSWORD_FILE: secretPath('api_database_password'),
      WORKER_DATABASE_PASSWORD_FILE: secretPath('worker_database_password'),
      // Point-in-time recovery: the worker runs pgBackRest on the server through its connection.
      WORKER_DATABASE_SERVER_PROGRAMS: String(pitr),
      // The Postgres exporter's role, limited to the server's statistics.
      ...(settings.monitoring
        ? { MONITOR_DATABASE_PASSWORD_FILE: secretPath('monitor_database_password') }
        : {}),
    },
    secrets: secretRefs(
      'database_url',
      'postgres_ca',
      'api_database_password',
      'worker_database_password',
      ...(settings.monitoring ? (['monitor_database_password'] as const) : []),
    ),
    ...confined(),
    networks: ['backend'],
    logging,
    deploy: {
      mode: 'replicated-job',
      ...limits(memory.migrate),
      // Retries cover Postgres initialising on a first deploy.
      restart_policy: { condition: 'on-failure', delay: '5s', max_attempts: 30 },
    },
  };

  const api: Service = {
    image: image(settings, 'api'),
    environment: {
      ...appEnvironment(settings, 'api'),
      PORT: '3000',
      // HTTPS only: nginx and Prometheus reach the api across nodes, over overlay networks that are not encrypted,
      // and verify it against api_ca for the name `api`.
      TLS_CERT_FILE: secretPath('api_tls_cert'),
      TLS_KEY_FILE: secretPath('api_tls_key'),
      JWT_SECRET_FILE: secretPath('jwt_secret'),
      TOTP_ENCRYPTION_KEY_FILE: secretPath('totp_encryption_key'),
      MAX_UPLOAD_BYTES: String(settings.maxUploadBytes),
      IMPORT_MAX_BYTES: String(settings.maxImportBytes),
      TRUST_PROXY: '1',
      // Longer than nginx's DNS cache of `api` (resolver valid=5s): a stopping task still answers until nginx
      // stops sending to it, so a rolling update drops no request.
      SHUTDOWN_DRAIN_SECONDS: '6',
      STORAGE_DRIVER: settings.storage.driver,
      ...(s3 ? {} : { STORAGE_DIR: '/data/attachments' }),
      ...oidcEnvironment(settings),
    },
    // The TLS key is readable only by the `node` user the api runs as. api_ca is its healthcheck's.
    secrets: [
      keyRef('api_tls_key', NODE_UID),
      ...secretRefs(
        'api_tls_cert',
        'api_ca',
        'api_database_url',
        'postgres_ca',
        'api_redis_url',
        'redis_ca',
        'jwt_secret',
        'totp_encryption_key',
        'data_encryption_key',
        ...s3Secrets,
        ...(settings.oidc ? (['oidc_client_secret'] as const) : []),
      ),
    ],
    ...confined({ volumes: s3 ? [] : ['attachments:/data/attachments'] }),
    networks: ['backend', 'egress'],
    healthcheck: nodeProbe(apiReady),
    stop_grace_period: '20s',
    logging,
    deploy: deployed(memory.api, {
      replicas: settings.apiReplicas,
      // Local attachment storage lives on one node's volume; S3 lets api tasks run anywhere.
      ...(s3 ? {} : { placement: placedOn(placement.statefulLabel) }),
      ...rollingUpdate(settings),
    }),
  };

  const worker: Service = {
    image: image(settings, 'worker'),
    environment: {
      ...appEnvironment(settings, 'worker'),
      WORKER_HTTP_PORT: '3001',
      SMTP_URL_FILE: secretPath('smtp_url'),
      MAIL_FROM: settings.mailFrom,
      BACKUP_DIR: '/backups',
      // Export zips and uploaded imports (up to maxImportBytes) are worked on on disk, not in the /tmp tmpfs's memory.
      TRANSFER_SCRATCH_DIR: '/transfers',
      BACKUP_CRON: settings.backup.cron,
      BACKUP_VERIFY_CRON: settings.backup.verifyCron,
      BACKUP_KEEP_DAILY: String(settings.backup.keepDaily),
      BACKUP_KEEP_WEEKLY: String(settings.backup.keepWeekly),
      BACKUP_KEEP_MONTHLY: String(settings.backup.keepMonthly),
      ...(pitr ? { PITR_STANZA, PITR_RETENTION_DAYS: String(settings.backup.pitrRetentionDays) } : {}),
      ...(settings.storage.driver === 's3'
        ? {
            S3_BACKUP_BUCKET: settings.storage.backupBucket,
            S3_BACKUP_PREFIX: settings.storage.backupPrefix,
            S3_BACKUP_ACCESS_KEY_ID_FILE: secretPath('backup_s3_access_key_id'),
            S3_BACKUP_SECRET_ACCESS_KEY_FILE: secretPath('backup_s3_secret_access_key'),
          }
        : {}),
      // The purge of the trash removes attachment files: the api's volume (same node) or its bucket.
      STORAGE_DRIVER: settings.storage.driver,
      ...(s3 ? {} : { STORAGE_DIR: '/data/attachments' }),
      // With monitoring on, Prometheus scrapes its /metrics across nodes: HTTPS only, verified against the
      // monitoring CA for the name `worker`.
      ...(settings.monitoring ? { TLS_CERT_FILE: OWN_TLS.cert, TLS_KEY_FILE: OWN_TLS.key } : {}),
    },
    secrets: [
      ...secretRefs(
        'worker_database_url',
        'postgres_ca',
        'worker_redis_url',
        'redis_ca',
        'data_encryption_key',
        'smtp_url',
        ...s3Secrets,
        ...backupSecrets,
        // Its healthcheck's, with monitoring on.
        ...(settings.monitoring ? (['monitoring_ca'] as const) : []),
      ),
      ...(settings.monitoring ? ownTls('worker') : []),
    ],
    ...confined({
      volumes: ['backups:/backups', 'transfers:/transfers', ...(s3 ? [] : ['attachments:/data/attachments'])],
    }),
    networks: ['backend', 'egress'],
    healthcheck: nodeProbe(
      settings.monitoring
        ? answersOkOverTls(3001, '/health', 'worker', 'monitoring_ca')
        : answersOk('http://127.0.0.1:3001/health'),
    ),
    stop_grace_period: '30s',
    logging,
    deploy: deployed(memory.worker, {
      placement: placedOn(placement.statefulLabel),
      ...rollingUpdate(settings),
    }),
  };

  // Host-mode ports: the edge node's own 80/443 (no routing mesh, which needs IPVS); nginx listens unprivileged.
  const nginx: Service = {
    image: image(settings, 'nginx'),
    ports: [
      { target: 8080, published: settings.ports.http, protocol: 'tcp', mode: 'host' },
      { target: 8443, published: settings.ports.https, protocol: 'tcp', mode: 'host' },
    ],
    configs: [{ source: 'nginx_site', target: '/etc/nginx/conf.d/taskstack.conf', mode: 0o444 }],
    environment: { DOMAIN: settings.domain },
    // What it verifies the api's certificate against (proxy_ssl_trusted_certificate in the site), and Grafana's.
    secrets: secretRefs(
      'api_ca',
      ...(settings.monitoring && settings.grafana ? (['monitoring_ca'] as const) : []),
    ),
    ...confined({ volumes: ['certs:/etc/nginx/certs', 'acme-webroot:/var/www/acme:ro'] }),
    networks: ['backend', 'egress'],
    stop_grace_period: '30s',
    logging,
    // Host-mode ports need no VIP; dnsrr keeps `nginx` resolvable inside the stack without IPVS.
    deploy: deployed(memory.nginx, {
      placement: placedOn(placement.edgeLabel),
      // Host ports cannot be held by two tasks on one node: the old nginx stops first.
      update_config: {
        parallelism: 1,
        order: 'stop-first',
        failure_action: 'rollback',
        monitor: `${settings.updateMonitorSeconds}s`,
      },
      rollback_config: { parallelism: 1, order: 'stop-first', failure_action: 'pause' },
    }),
  };

  const renewer: Service = {
    image: image(settings, 'renewer'),
    environment: {
      DOMAIN: settings.domain,
      ACME_EMAIL: settings.acmeEmail,
      ACME_DIRECTORY: settings.acme.directoryUrl,
      ACME_ENABLED: String(settings.acme.enabled),
      RENEW_INTERVAL_SECONDS: String(settings.acme.renewIntervalSeconds),
      ...(settings.acme.caCertificate ? { REQUESTS_CA_BUNDLE: '/etc/taskstack/acme-ca.pem' } : {}),
    },
    ...(settings.acme.caCertificate
      ? { configs: [{ source: 'acme_ca', target: '/etc/taskstack/acme-ca.pem', mode: 0o444 }] }
      : {}),
    ...confined({ volumes: ['certs:/certs', 'acme-webroot:/var/www/acme', 'letsencrypt:/etc/letsencrypt'] }),
    networks: ['egress'],
    stop_grace_period: '10s',
    logging,
    deploy: deployed(
      memory.renewer,
      {
        placement: placedOn(placement.edgeLabel),
        update_config: { parallelism: 1, order: 'stop-first', failure_action: 'rollback' },
      },
      { cpus: '0.5', pids: 64 },
    ),
  };

  return { postgres, redis, migrate, api, worker, nginx, renewer };
}

/** The compose file and the files it refers to, all deterministic for the same settings. */
export function renderStackFiles(settings: StackSettings): Record<string, string> {
  const site = renderNginxSite(settings);
  const files: Record<string, string> = { [NGINX_SITE_FILE]: site };
  const configs: Record<string, unknown> = {
    nginx_site: { name: `${settings.name}_nginx_site_${shortHash(site)}`, file: `./${NGINX_SITE_FILE}` },
  };
  if (settings.acme.caCertificate) {
    files[ACME_CA_FILE] = settings.acme.caCertificate;
    configs.acme_ca = {
      name: `${settings.name}_acme_ca_${shortHash(settings.acme.caCertificate)}`,
      file: `./${ACME_CA_FILE}`,
    };
  }
  const monitoring = renderMonitoring(settings);
  Object.assign(files, monitoring.files);
  Object.assign(configs, monitoring.configs);

  const secrets = Object.fromEntries(
    requiredSecrets(settings).map((key) => [key, { external: true, name: secretName(settings, key) }]),
  );
  const volumes = [
    'postgres-data',
    // pgBackRest's repository (backups and archived WAL), declared even with point-in-time recovery off so turning
    // it off and on again keeps the repository.
    'pgbackrest',
    'redis-data',
    'attachments',
    'backups',
    'transfers',
    'certs',
    'acme-webroot',
    'letsencrypt',
    ...monitoring.volumes,
  ];

  const compose = {
    version: '3.9',
    services: { ...services(settings), ...monitoring.services },
    networks: {
      // Postgres, Redis and the app talk only here; `internal` means no route out of it.
      backend: { driver: 'overlay', internal: true },
      // Outbound traffic (SMTP, S3, ACME) for the services that need it.
      egress: { driver: 'overlay' },
    },
    volumes: Object.fromEntries(volumes.map((v) => [v, {}])),
    secrets,
    configs,
  };
  files['docker-stack.yml'] =
    `# Rendered by stack/src/definition/render.ts for stack "${settings.name}"; do not edit.\n` +
    stringify(compose, { lineWidth: 0, aliasDuplicateObjects: false });
  return files;
}

/** The compose v3 file for `docker stack deploy`; same settings, same bytes (Pulumi diffs on it). */
export function renderStack(settings: StackSettings): string {
  return renderStackFiles(settings)['docker-stack.yml']!;
}
