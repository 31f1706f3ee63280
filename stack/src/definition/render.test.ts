import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { renderMonitoring } from './monitoring.js';
import { renderNginxSite } from './nginx.js';
import { renderStack, renderStackFiles } from './render.js';
import { MONITORING_SERVERS, monitoringTlsSecrets } from './secrets.js';
import { parseStackSettings, StackSettingsError } from './settings.js';

const base = { domain: 'app.taskstack.test', acmeEmail: 'ops@example.com', imageTag: 'abc123' };

// The parsed YAML is checked field by field; a loose type keeps the assertions readable.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Loose = any;
type Compose = {
  services: Record<string, Record<string, Loose>>;
  networks: Record<string, Loose>;
  secrets: Record<string, { external: boolean; name: string }>;
  configs: Record<string, { name: string; file: string }>;
};
const composeOf = (input: object): Compose => parse(renderStack(parseStackSettings({ ...base, ...input })));

describe('renderStack', () => {
  it('renders the same bytes for the same settings', () => {
    expect(renderStack(parseStackSettings(base))).toBe(renderStack(parseStackSettings({ ...base })));
  });

  it('describes every service the stack runs, with memory limits, restart policies and log rotation', () => {
    const { services } = composeOf({});
    expect(Object.keys(services).sort()).toEqual([
      'api',
      'migrate',
      'nginx',
      'postgres',
      'redis',
      'renewer',
      'worker',
    ]);
    for (const [name, service] of Object.entries(services)) {
      // No VIPs: they need IPVS, which some kernels (the CI machines) lack.
      if (name !== 'migrate') expect(service.deploy.endpoint_mode, name).toBe('dnsrr');
      expect(service.deploy.resources.limits.memory, name).toMatch(/^\d+M$/);
      expect(service.deploy.restart_policy.condition, name).toMatch(/^(any|on-failure)$/);
      expect(service.logging.options['max-size'], name).toBe('10m');
    }
  });

  it('confines every service: no capabilities but the entrypoints need, read-only root, CPU and process limits', () => {
    const { services } = composeOf({});
    for (const [name, service] of Object.entries(services)) {
      expect(service.cap_drop, name).toEqual(['ALL']);
      expect(service.read_only, name).toBe(true);
      expect(service.deploy.resources.limits.cpus, name).toMatch(/^\d+(\.\d+)?$/);
      expect(service.deploy.resources.limits.pids, name).toBeGreaterThan(0);
      expect(service.volumes, name).toContainEqual({ type: 'tmpfs', target: '/tmp' });
    }
    // Only the entrypoints that start as root and step down to the service's user get capabilities back.
    const privileged = Object.keys(services).filter((name) => services[name]!.cap_add);
    expect(privileged.sort()).toEqual(['postgres', 'redis']);
    expect(services.postgres!.cap_add).not.toContain('SYS_ADMIN');
    expect(services.postgres!.cap_add).not.toContain('NET_BIND_SERVICE');
    // What the read-only worker writes besides /tmp: large imports and exports go to a volume, not to memory.
    expect(services.worker!.environment.TRANSFER_SCRATCH_DIR).toBe('/transfers');
    expect(services.worker!.volumes).toContain('transfers:/transfers');
  });

  it('rolls api updates start-first with automatic rollback and a monitor window', () => {
    const { api } = composeOf({ apiReplicas: 3, updateMonitorSeconds: 25 }).services;
    expect(api!.deploy.replicas).toBe(3);
    expect(api!.deploy.endpoint_mode).toBe('dnsrr');
    expect(api!.deploy.update_config).toMatchObject({
      order: 'start-first',
      failure_action: 'rollback',
      monitor: '25s',
    });
    expect(api!.deploy.rollback_config.order).toBe('start-first');
    expect(api!.healthcheck.test.join(' ')).toContain('/ready');
  });

  it('runs migrations as a one-shot job of the api image', () => {
    const { migrate, api } = composeOf({}).services;
    expect(migrate!.deploy.mode).toBe('replicated-job');
    expect(migrate!.image).toBe(api!.image);
    expect(migrate!.image).toBe('taskstack/api:abc123');
  });

  it('passes every secret as a versioned external Docker secret read through *_FILE', () => {
    const compose = composeOf({ secretVersions: { jwt_secret: 'abc' } });
    expect(compose.secrets.jwt_secret).toEqual({ external: true, name: 'taskstack_jwt_secret_abc' });
    expect(compose.secrets.database_url!.name).toBe('taskstack_database_url_v1');
    const text = renderStack(parseStackSettings(base));
    expect(text).not.toMatch(/PASSWORD:|SECRET:|postgres:\/\//);
    expect(compose.services.api!.environment.JWT_SECRET_FILE).toBe('/run/secrets/jwt_secret');
    expect(compose.services.api!.environment.TOTP_ENCRYPTION_KEY_FILE).toBe(
      '/run/secrets/totp_encryption_key',
    );
    // The api seals webhook secrets with the key the worker opens them with.
    for (const service of ['api', 'worker']) {
      expect(compose.services[service]!.environment.DATA_ENCRYPTION_KEY_FILE).toBe(
        '/run/secrets/data_encryption_key',
      );
    }
    expect(compose.services.postgres!.environment.POSTGRES_PASSWORD_FILE).toBe(
      '/run/secrets/postgres_password',
    );
  });

  it("gives each service only its own credentials: the owner's database URL to migrate alone", () => {
    const { services } = composeOf({});
    const secretsOf = (name: string) =>
      (services[name]!.secrets as { source: string }[]).map((secret) => secret.source).sort();
    expect(secretsOf('api')).toEqual([
      'api_ca',
      'api_database_url',
      'api_redis_url',
      'api_tls_cert',
      'api_tls_key',
      'data_encryption_key',
      'jwt_secret',
      'postgres_ca',
      'redis_ca',
      'totp_encryption_key',
    ]);
    expect(secretsOf('worker')).toEqual([
      'data_encryption_key',
      'postgres_ca',
      'redis_ca',
      'smtp_url',
      'worker_database_url',
      'worker_redis_url',
    ]);
    expect(secretsOf('migrate')).toEqual([
      'api_database_password',
      'database_url',
      'postgres_ca',
      'worker_database_password',
    ]);
    expect(services.migrate!.environment).toMatchObject({
      DATABASE_URL_FILE: '/run/secrets/database_url',
      API_DATABASE_PASSWORD_FILE: '/run/secrets/api_database_password',
      WORKER_DATABASE_PASSWORD_FILE: '/run/secrets/worker_database_password',
      // Point-in-time recovery (on by default): the worker runs pgBackRest through COPY … FROM PROGRAM.
      WORKER_DATABASE_SERVER_PROGRAMS: 'true',
    });
    expect(
      composeOf({ backup: { pointInTime: false } }).services.migrate!.environment
        .WORKER_DATABASE_SERVER_PROGRAMS,
    ).toBe('false');
    for (const [name, own] of [
      ['api', 'api'],
      ['worker', 'worker'],
    ] as const) {
      expect(services[name]!.environment).toMatchObject({
        DATABASE_URL_FILE: `/run/secrets/${own}_database_url`,
        REDIS_URL_FILE: `/run/secrets/${own}_redis_url`,
        // Their roles come from the migrate job started alongside: start-up waits for them.
        DATABASE_WAIT_SECONDS: '90',
      });
    }
    const holders = Object.keys(services).filter((name) =>
      ((services[name]!.secrets ?? []) as { source: string }[]).some((s) => s.source === 'database_url'),
    );
    expect(holders).toEqual(['migrate']);
  });

  it('serves Postgres over TLS from its own key and certificate, and gives every client the CA to verify it', () => {
    const { services } = composeOf({ monitoring: true, adminEmails: ['ops@example.com'] });
    const postgres = services.postgres!;
    expect(postgres.environment).toMatchObject({
      POSTGRES_TLS_CERT_FILE: '/run/secrets/postgres_tls_cert',
      POSTGRES_TLS_KEY_FILE: '/run/secrets/postgres_tls_key',
    });
    // The key is root's alone in the container; the entrypoint hands the server a copy.
    expect(postgres.secrets).toContainEqual({
      source: 'postgres_tls_key',
      target: 'postgres_tls_key',
      uid: '0',
      gid: '0',
      mode: 0o400,
    });
    expect(postgres.secrets).toContainEqual({
      source: 'postgres_tls_cert',
      target: 'postgres_tls_cert',
      mode: 0o444,
    });
    const holders = (key: string) =>
      Object.keys(services)
        .filter((name) =>
          ((services[name]!.secrets ?? []) as { source: string }[]).some((s) => s.source === key),
        )
        .sort();
    // Every client of Postgres (the restore and admin jobs borrow the CA from the worker and the api).
    expect(holders('postgres_ca')).toEqual(['api', 'migrate', 'postgres-exporter', 'worker']);
    expect(holders('postgres_tls_key')).toEqual(['postgres']);
  });

  it('serves Redis over TLS only from its own key and certificate, and gives every client the CA to verify it', () => {
    const { services } = composeOf({ monitoring: true, adminEmails: ['ops@example.com'] });
    const command = services.redis!.command.join(' ');
    // No plain-text port; TLS on the port the clients know.
    expect(command).toContain('--port 0 --tls-port 6379');
    expect(command).toContain('--tls-cert-file /run/secrets/redis_tls_cert');
    expect(command).toContain('--tls-key-file /run/secrets/redis_tls_key');
    expect(command).toContain('--tls-auth-clients no');
    // Its healthcheck, too, goes over TLS and verifies the server.
    expect(services.redis!.healthcheck.test.join(' ')).toContain(
      'redis-cli --tls --cacert /run/secrets/redis_ca ping',
    );
    const holders = (key: string) =>
      Object.keys(services)
        .filter((name) =>
          ((services[name]!.secrets ?? []) as { source: string }[]).some((s) => s.source === key),
        )
        .sort();
    expect(holders('redis_ca')).toEqual(['api', 'redis', 'redis-exporter', 'worker']);
    expect(holders('redis_tls_key')).toEqual(['redis']);
    // Readable by the `redis` user the server runs as, and nobody else in its container.
    expect(services.redis!.secrets).toContainEqual({
      source: 'redis_tls_key',
      target: 'redis_tls_key',
      uid: '999',
      gid: '999',
      mode: 0o400,
    });
    expect(services['redis-exporter']!.environment).toMatchObject({
      REDIS_ADDR: 'rediss://redis:6379',
      REDIS_EXPORTER_TLS_CA_CERT_FILE: '/run/secrets/redis_ca',
    });
  });

  it('serves the api over HTTPS only from its own key and certificate, verified by nginx, Prometheus and its probe', () => {
    const { services } = composeOf({ monitoring: true, adminEmails: ['ops@example.com'] });
    expect(services.api!.environment).toMatchObject({
      PORT: '3000',
      TLS_CERT_FILE: '/run/secrets/api_tls_cert',
      TLS_KEY_FILE: '/run/secrets/api_tls_key',
    });
    // Its healthcheck asks its own task over HTTPS and verifies it against the CA, for the name `api`.
    const probe = services.api!.healthcheck.test.join(' ');
    expect(probe).toContain(
      "require('https').get({host:'127.0.0.1',port:3000,path:'/ready',servername:'api',",
    );
    expect(probe).toContain("ca:require('fs').readFileSync('/run/secrets/api_ca')");
    expect(probe).not.toMatch(/http:|rejectUnauthorized|NODE_TLS_REJECT_UNAUTHORIZED/);
    const holders = (key: string) =>
      Object.keys(services)
        .filter((name) =>
          ((services[name]!.secrets ?? []) as { source: string }[]).some((s) => s.source === key),
        )
        .sort();
    expect(holders('api_ca')).toEqual(['api', 'nginx', 'prometheus']);
    expect(holders('api_tls_key')).toEqual(['api']);
    expect(holders('api_tls_cert')).toEqual(['api']);
    // Readable by the `node` user the api runs as, and nobody else in its container.
    expect(services.api!.secrets).toContainEqual({
      source: 'api_tls_key',
      target: 'api_tls_key',
      uid: '1000',
      gid: '1000',
      mode: 0o400,
    });
    // Without monitoring, nginx and the api's own probe are the only clients.
    const plain = composeOf({}).services;
    expect(
      Object.keys(plain).filter((name) => JSON.stringify(plain[name]!.secrets ?? []).includes('api_ca')),
    ).toEqual(['api', 'nginx']);
  });

  it('keeps the backend network internal and pins stateful services to the labelled node', () => {
    const compose = composeOf({ placement: { statefulLabel: 'db' } });
    expect(compose.networks.backend).toEqual({ driver: 'overlay', internal: true });
    expect(compose.services.postgres!.networks).toEqual(['backend']);
    for (const name of ['postgres', 'redis', 'worker']) {
      expect(compose.services[name]!.deploy.placement.constraints).toEqual(['node.labels.db == true']);
    }
    expect(compose.services.nginx!.deploy.placement.constraints).toEqual([
      'node.labels.taskstack.edge == true',
    ]);
  });

  it('publishes nginx on host-mode ports and mounts the site config as a content-named Docker config', () => {
    const compose = composeOf({ ports: { http: 8081, https: 8444 } });
    expect(compose.services.nginx!.ports).toEqual([
      { target: 8080, published: 8081, protocol: 'tcp', mode: 'host' },
      { target: 8443, published: 8444, protocol: 'tcp', mode: 'host' },
    ]);
    expect(compose.configs.nginx_site!.name).toMatch(/^taskstack_nginx_site_[0-9a-f]{12}$/);
    const other = composeOf({ domain: 'other.example.org' });
    expect(other.configs.nginx_site!.name).not.toBe(compose.configs.nginx_site!.name);
  });

  it('archives WAL with pgBackRest into a volume of its own and gives the worker the stanza, keeping the confinement', () => {
    const { services, volumes } = parse(
      renderStack(parseStackSettings({ ...base, backup: { pitrRetentionDays: 30 } })),
    );
    const { postgres, worker } = services;
    // Our image: the official one plus pgBackRest and the entrypoint step that turns archiving on.
    expect(postgres.image).toBe('taskstack/postgres:abc123');
    expect(postgres.environment).toMatchObject({
      PGBACKREST_STANZA: 'taskstack',
      PGBACKREST_PG1_USER: 'taskstack',
      PGBACKREST_REPO1_PATH: '/var/lib/pgbackrest',
      PGBACKREST_LOCK_PATH: '/tmp/pgbackrest',
    });
    expect(postgres.volumes).toContain('pgbackrest:/var/lib/pgbackrest');
    expect(volumes).toHaveProperty('pgbackrest');
    expect(postgres.read_only).toBe(true);
    expect(postgres.volumes).toContainEqual({ type: 'tmpfs', target: '/tmp' });
    expect(postgres.volumes).toContainEqual(
      expect.objectContaining({ type: 'tmpfs', target: '/var/run/postgresql' }),
    );
    expect(worker.environment).toMatchObject({ PITR_STANZA: 'taskstack', PITR_RETENTION_DAYS: '30' });

    const off = composeOf({ backup: { pointInTime: false } }).services;
    expect(Object.keys(off.postgres!.environment).filter((k) => k.startsWith('PGBACKREST'))).toEqual([]);
    expect(off.postgres!.volumes.map((v: { target: string }) => v.target)).not.toContain(
      '/var/lib/pgbackrest',
    );
    expect(off.worker!.environment.PITR_STANZA).toBeUndefined();
  });

  it('configures Redis for queues: AOF, noeviction, password from an ACL secret', () => {
    const command = composeOf({}).services.redis!.command.join(' ');
    expect(command).toContain('--appendonly yes');
    expect(command).toContain('--maxmemory-policy noeviction');
    expect(command).toContain('--aclfile /run/secrets/redis_acl');
  });

  it('adds S3 settings and secrets only with S3 storage', () => {
    const local = composeOf({});
    expect(local.secrets.s3_access_key_id).toBeUndefined();
    const s3 = composeOf({
      storage: {
        driver: 's3',
        endpoint: 'https://ams3.digitaloceanspaces.com',
        bucket: 'files',
        backupBucket: 'backups',
      },
    });
    expect(s3.secrets.s3_access_key_id!.external).toBe(true);
    expect(s3.services.api!.environment.STORAGE_DRIVER).toBe('s3');
    expect(s3.services.api!.deploy.placement).toBeUndefined();
    expect(s3.services.worker!.environment).toMatchObject({
      S3_BACKUP_BUCKET: 'backups',
      S3_BACKUP_PREFIX: 'backups/',
      S3_BACKUP_ACCESS_KEY_ID_FILE: '/run/secrets/backup_s3_access_key_id',
    });
  });

  it('gives the api its sign-in provider and the client secret as a Docker secret only with oidc set', () => {
    const plain = composeOf({});
    expect(plain.secrets.oidc_client_secret).toBeUndefined();
    expect(Object.keys(plain.services.api!.environment).filter((key) => key.startsWith('OIDC_'))).toEqual([]);
    const oidc = composeOf({
      oidc: { issuer: 'https://id.example.com/realms/team', clientId: 'taskstack', only: true },
    });
    expect(oidc.secrets.oidc_client_secret!.external).toBe(true);
    expect(oidc.services.api!.environment).toMatchObject({
      OIDC_ISSUER: 'https://id.example.com/realms/team',
      OIDC_CLIENT_ID: 'taskstack',
      OIDC_CLIENT_SECRET_FILE: '/run/secrets/oidc_client_secret',
      OIDC_AUTO_PROVISION: 'false',
      OIDC_ONLY: 'true',
    });
    // The api's own default names the button when the settings do not.
    expect(oidc.services.api!.environment.OIDC_DISPLAY_NAME).toBeUndefined();
    const holders = Object.entries(oidc.services)
      .filter(([, service]) =>
        ((service.secrets ?? []) as { source: string }[]).some((s) => s.source === 'oidc_client_secret'),
      )
      .map(([name]) => name);
    expect(holders).toEqual(['api']);
    expect(() =>
      parseStackSettings({ ...base, oidc: { issuer: 'http://id.example.com', clientId: 'x' } }),
    ).toThrow(/oidc\.issuer: must be an https:\/\/ URL/);
  });

  it('gives the backups key to the worker alone', () => {
    const s3 = composeOf({
      storage: {
        driver: 's3',
        endpoint: 'https://ams3.digitaloceanspaces.com',
        bucket: 'files',
        backupBucket: 'b',
      },
    });
    const holders = Object.entries(s3.services)
      .filter(([, service]) =>
        (service.secrets ?? []).some((s: { target: string }) => s.target.startsWith('backup_s3_')),
      )
      .map(([name]) => name);
    // And the database server, for pgBackRest's copy in the bucket; never the api.
    expect(holders).toEqual(['postgres', 'worker']);
    expect(JSON.stringify(s3.services.api)).not.toContain('S3_BACKUP');
  });

  it("keeps pgBackRest's second repository in the backups' bucket, over TLS only", () => {
    const storage = {
      driver: 's3',
      endpoint: 'https://ams3.digitaloceanspaces.com',
      bucket: 'f',
      backupBucket: 'b',
    };
    expect(composeOf({ storage }).services.postgres!.environment).toMatchObject({
      PGBACKREST_REPO2_TYPE: 's3',
      PGBACKREST_REPO2_PATH: '/pitr',
      PGBACKREST_REPO2_S3_BUCKET: 'b',
      PGBACKREST_REPO2_S3_ENDPOINT: 'ams3.digitaloceanspaces.com',
      PGBACKREST_REPO2_S3_URI_STYLE: 'host',
      PGBACKREST_REPO2_S3_KEY_FILE: '/run/secrets/backup_s3_access_key_id',
    });
    const off = composeOf({ storage: { ...storage, pointInTimeCopy: false } }).services.postgres!;
    expect(JSON.stringify(off)).not.toContain('REPO2');
    expect(() =>
      parseStackSettings({ ...base, storage: { ...storage, endpoint: 'http://10.0.0.3:9000' } }),
    ).toThrow('storage.pointInTimeCopy: needs an https storage.endpoint');
  });

  it('adds the monitoring services with everything they refer to declared, on one switch', () => {
    const input = { ...base, monitoring: true, adminEmails: ['ops@example.com'] };
    const monitoringServices = Object.keys(renderMonitoring(parseStackSettings(input)).services);
    expect(monitoringServices).toContain('grafana');
    const files = renderStackFiles(parseStackSettings(input));
    const compose = parse(files['docker-stack.yml']!) as Compose & { volumes: Record<string, unknown> };
    expect(Object.keys(compose.services)).toEqual(expect.arrayContaining(monitoringServices));
    for (const [name, service] of Object.entries(compose.services)) {
      for (const secret of service.secrets ?? []) expect(compose.secrets[secret.source], name).toBeDefined();
      for (const config of service.configs ?? []) {
        expect(files[compose.configs[config.source]!.file.replace('./', '')], name).toBeTruthy();
      }
      for (const volume of service.volumes ?? []) {
        if (typeof volume !== 'string') continue; // a private tmpfs
        const source = volume.split(':')[0]!;
        if (!source.startsWith('/')) expect(compose.volumes[source], name).toBeDefined();
      }
    }
    expect(compose.services.prometheus!.image).toBe('taskstack/monitoring:abc123');
    // The exporters log in as their own limited users, never with the operator's passwords.
    const secretsOf = (name: string) =>
      (compose.services[name]!.secrets ?? []).map((secret: { source: string }) => secret.source);
    expect(secretsOf('postgres-exporter')).toEqual([
      'monitor_database_password',
      'postgres_ca',
      'postgres_exporter_tls_cert',
      'postgres_exporter_tls_key',
    ]);
    expect(compose.services['postgres-exporter']!.environment).toMatchObject({
      DATA_SOURCE_USER: 'taskstack_monitor',
      DATA_SOURCE_URI: 'postgres:5432/taskstack?sslmode=verify-full&sslrootcert=/run/secrets/postgres_ca',
    });
    expect(secretsOf('redis-exporter')).toEqual([
      'monitor_redis_password',
      'redis_ca',
      'redis_exporter_tls_cert',
      'redis_exporter_tls_key',
    ]);
    expect(compose.services['redis-exporter']!.environment.REDIS_USER).toBe('monitor');
    expect(compose.services.migrate!.environment.MONITOR_DATABASE_PASSWORD_FILE).toBe(
      '/run/secrets/monitor_database_password',
    );

    const withoutGrafana = composeOf({ ...input, grafana: false });
    expect(withoutGrafana.services.grafana).toBeUndefined();
    expect(withoutGrafana.secrets.grafana_admin_password).toBeUndefined();
    expect(withoutGrafana.secrets.alertmanager_yml).toBeDefined();
    const off = composeOf({});
    expect(Object.keys(off.services).filter((name) => monitoringServices.includes(name))).toEqual([]);
    expect(off.secrets.alertmanager_yml).toBeUndefined();
    expect(off.secrets.monitor_database_password).toBeUndefined();
    expect(off.services.migrate!.environment.MONITOR_DATABASE_PASSWORD_FILE).toBeUndefined();
  });

  it('serves Alertmanager, the exporters and Grafana over HTTPS from keys of their own, verified against one CA', () => {
    const input = { monitoring: true, adminEmails: ['ops@example.com'] };
    const compose = composeOf(input);
    const { services } = compose;
    const holders = (key: string, of = services) =>
      Object.keys(of)
        .filter((name) => ((of[name]!.secrets ?? []) as { source: string }[]).some((s) => s.source === key))
        .sort();
    // Prometheus verifies every monitoring server, nginx Grafana; of the servers only the worker holds the CA, for
    // its healthcheck.
    expect(holders('monitoring_ca')).toEqual(['nginx', 'prometheus', 'worker']);
    for (const server of MONITORING_SERVERS) {
      const { key, cert } = monitoringTlsSecrets(server);
      // Its key and certificate, and no other server's, at the paths its TLS settings name; the key readable only by
      // the user the server runs as (node in the worker's image, grafana in Grafana's, nobody in the monitoring one).
      expect(holders(key), key).toEqual([server]);
      expect(holders(cert), cert).toEqual([server]);
      const uid = { worker: '1000', grafana: '472' }[server as string] ?? '65534';
      expect(services[server]!.secrets).toEqual(
        expect.arrayContaining([
          { source: key, target: 'tls_key', uid, gid: uid, mode: 0o400 },
          { source: cert, target: 'tls_cert', mode: 0o444 },
        ]),
      );
      expect(compose.secrets[key]!.name).toMatch(new RegExp(`^taskstack_${key}_`));
    }
    // Alertmanager and the exporters but redis_exporter read web.yml (HTTPS with those files, TLS 1.3 at least).
    for (const server of [
      'alertmanager',
      'node-exporter',
      'postgres-exporter',
      'nginx-exporter',
      'blackbox-exporter',
    ])
      expect(services[server]!.command, server).toContain(
        '--web.config.file=/etc/taskstack-monitoring/web.yml',
      );
    // redis_exporter has no --web.config.file; its own flags say the same.
    expect(services['redis-exporter']!.command.at(-1)).toMatch(
      / exec prometheus-redis-exporter --tls-server-cert-file=\/run\/secrets\/tls_cert --tls-server-key-file=\/run\/secrets\/tls_key --tls-server-min-version=TLS1\.3$/,
    );
    expect(services.grafana!.environment).toMatchObject({
      GF_SERVER_PROTOCOL: 'https',
      GF_SERVER_CERT_FILE: '/run/secrets/tls_cert',
      GF_SERVER_CERT_KEY: '/run/secrets/tls_key',
      GF_SERVER_MIN_TLS_VERSION: 'TLS1.3',
    });
    // The worker serves its metrics and health over HTTPS, which its own probe verifies as Prometheus does.
    expect(services.worker!.environment).toMatchObject({
      TLS_CERT_FILE: '/run/secrets/tls_cert',
      TLS_KEY_FILE: '/run/secrets/tls_key',
    });
    const probe = services.worker!.healthcheck.test.join(' ');
    expect(probe).toContain(
      "require('https').get({host:'127.0.0.1',port:3001,path:'/health',servername:'worker',",
    );
    expect(probe).toContain("ca:require('fs').readFileSync('/run/secrets/monitoring_ca')");
    expect(JSON.stringify(services)).not.toMatch(/skip-tls|insecure|rejectUnauthorized/i);

    // Without Grafana, nginx needs no monitoring CA and Grafana's certificate is not made into a secret.
    const withoutGrafana = composeOf({ ...input, grafana: false });
    expect(holders('monitoring_ca', withoutGrafana.services)).toEqual(['prometheus', 'worker']);
    expect(withoutGrafana.secrets.grafana_tls_key).toBeUndefined();
    expect(withoutGrafana.secrets.grafana_tls_cert).toBeUndefined();
    expect(withoutGrafana.secrets.node_exporter_tls_key).toBeDefined();
    // Without monitoring, none of them, and the worker serves plain HTTP on the backend network, to its probe alone.
    const plain = composeOf({});
    expect(
      Object.keys(plain.secrets).filter((key) =>
        /^monitoring_ca$|exporter|alertmanager_tls|grafana|worker_tls/.test(key),
      ),
    ).toEqual([]);
    expect(plain.services.worker!.environment.TLS_CERT_FILE).toBeUndefined();
    expect(plain.services.worker!.healthcheck.test.join(' ')).toContain('http://127.0.0.1:3001/health');
  });

  it('refuses monitoring without an address for its alerts, naming the setting', () => {
    expect(() => parseStackSettings({ ...base, monitoring: true })).toThrow(/adminEmails: monitoring needs/);
  });
});

describe('parseStackSettings', () => {
  it('lists every problem on its own line', () => {
    expect(() => parseStackSettings({ domain: 'Not A Domain', acmeEmail: 'x', apiReplicas: 0 })).toThrow(
      StackSettingsError,
    );
    try {
      parseStackSettings({ domain: 'Not A Domain', acmeEmail: 'x', apiReplicas: 0 });
    } catch (error) {
      const problems = (error as StackSettingsError).problems.join('\n');
      expect(problems).toMatch(/^domain: /m);
      expect(problems).toMatch(/^acmeEmail: /m);
      expect(problems).toMatch(/^apiReplicas: /m);
      expect(problems).toMatch(/^imageTag: /m);
    }
  });
});

describe('renderNginxSite', () => {
  const site = (input: object = {}) => renderNginxSite(parseStackSettings({ ...base, ...input }));

  it('limits the API to 600 r/min (burst 200) and credentials to 5 r/min (burst 10) per address, 429 beyond', () => {
    const text = site();
    expect(text).toContain('limit_req_zone $binary_remote_addr zone=api:10m rate=600r/m;');
    expect(text).toContain('limit_req_zone $binary_remote_addr zone=auth:10m rate=5r/m;');
    expect(text).toContain('limit_req zone=api burst=200 nodelay;');
    expect(text).toContain('limit_req zone=auth burst=10 nodelay;');
    expect(text).toContain('limit_req_status 429;');
    expect(text).not.toContain('{{');
  });

  it('accepts uploads slightly above the API limit so the API answers 413 itself', () => {
    expect(site({ maxUploadBytes: 10 * 1024 * 1024 })).toContain('client_max_body_size 11m;');
  });

  it('gives workspace imports a larger limit of their own, the same as the API (IMPORT_MAX_BYTES)', () => {
    const text = site({ maxImportBytes: 64 * 1024 * 1024 });
    const start = text.indexOf('location ~* ^/api/v1/workspaces/[^/]+/imports/?$ {');
    const location = text.slice(start, text.indexOf('}', start));
    expect(start).toBeGreaterThan(0);
    expect(location).toContain('client_max_body_size 65m;');
    expect(location).toContain('limit_req zone=api');
    expect(composeOf({ maxImportBytes: 64 * 1024 * 1024 }).services.api!.environment).toMatchObject({
      IMPORT_MAX_BYTES: String(64 * 1024 * 1024),
    });
  });

  it('proxies to the api over TLS 1.3, verifying its certificate against the api CA for the name api', () => {
    const text = site();
    // A variable upstream: nginx re-resolves `api` (its tasks, through a rolling update) instead of pinning them.
    expect(text).toContain('set $api https://api:3000;');
    expect(text).not.toContain('http://api');
    for (const directive of [
      'proxy_ssl_verify on;',
      'proxy_ssl_trusted_certificate /run/secrets/api_ca;',
      'proxy_ssl_name api;',
      'proxy_ssl_protocols TLSv1.3;',
      'proxy_ssl_session_reuse on;',
    ])
      expect(text).toContain(`\n    ${directive}\n`);
  });

  it('proxies to Grafana over TLS 1.3 from both its locations, verifying it against the monitoring CA for grafana', () => {
    const text = site({ monitoring: true, adminEmails: ['ops@example.com'] });
    // Each Grafana location, up to its closing brace.
    const locations = text
      .split(/\n {4}location /)
      .filter((block) => block.startsWith('/grafana/') || block.startsWith('= /grafana/login'))
      .map((block) => block.slice(0, block.indexOf('\n    }\n')));
    expect(locations).toHaveLength(2);
    for (const location of locations) {
      // A variable upstream, re-resolved like the api's; the directives override the server block's api ones.
      for (const directive of [
        'set $grafana https://grafana:3000;',
        'proxy_pass $grafana;',
        'proxy_ssl_verify on;',
        'proxy_ssl_trusted_certificate /run/secrets/monitoring_ca;',
        'proxy_ssl_name grafana;',
        'proxy_ssl_protocols TLSv1.3;',
        'proxy_ssl_session_reuse on;',
      ])
        expect(location, location.split('\n')[0]).toContain(`\n        ${directive}\n`);
    }
    expect(text).not.toContain('http://grafana');
    expect(text).not.toContain('proxy_ssl_verify off');
  });

  it('redirects to the configured HTTPS port and staples OCSP only with a public CA', () => {
    expect(site()).toContain('return 301 https://app.taskstack.test$request_uri;');
    expect(site({ ports: { https: 8443 } })).toContain(
      'return 301 https://app.taskstack.test:8443$request_uri;',
    );
    expect(site()).toContain('ssl_stapling on;');
    expect(site({ acme: { publicCa: false } })).not.toContain('ssl_stapling');
  });

  it('serves stub_status on an internal port and Grafana at /grafana/ only with monitoring', () => {
    const monitored = site({ monitoring: true, adminEmails: ['ops@example.com'] });
    expect(monitored).toMatch(/listen 8081;[\s\S]*location = \/stub_status \{\s*stub_status;/);
    expect(monitored).toContain('location /grafana/ {');
    expect(monitored).toMatch(/location = \/grafana\/login \{\s*limit_req zone=auth burst=10 nodelay;/);
    expect(monitored).not.toContain('{{');
    const withoutGrafana = site({ monitoring: true, adminEmails: ['ops@example.com'], grafana: false });
    expect(withoutGrafana).toContain('stub_status;');
    expect(withoutGrafana).not.toContain('grafana');
    expect(site()).not.toMatch(/8081|stub_status|grafana/);
  });
});
