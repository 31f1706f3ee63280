/**
 * The optional monitoring part of the stack (`settings.monitoring`): Prometheus, Alertmanager, the exporters of
 * nginx, Postgres, Redis and every node, a blackbox exporter watching the served certificate, and Grafana. None of
 * them publishes a port; Grafana is reached through nginx (`/grafana/`) with its own login. render.ts merges what
 * `renderMonitoring` returns into the compose file.
 */
import { readFileSync } from 'node:fs';
import { stringify } from 'yaml';
import { deployed, keyRef, logging, placedOn, secretRefs, shortHash, type Service } from './compose.js';
import { MONITOR_DATABASE_ROLE } from './database-roles.js';
import { REDIS_MONITOR_USER } from './redis-acl.js';
import { monitoringTlsSecrets, POSTGRES_TLS_PARAMS, secretPath, type MonitoringServer } from './secrets.js';
import { imageRef, type StackSettings } from './settings.js';

/**
 * Services, compose configs and the files those configs read, and volumes of the monitoring part. Its secrets
 * (`alertmanager_yml`, `grafana_admin_password`, the exporters' logins, the monitoring CA and each server's key and
 * certificate) are in `requiredSecrets`.
 */
export interface MonitoringPart {
  services: Record<string, Service>;
  configs: Record<string, { name: string; file: string }>;
  files: Record<string, string>;
  volumes: string[];
}

const repoFile = (path: string) => readFileSync(new URL(`../../../${path}`, import.meta.url), 'utf8');

/** Grafana's provisioning and dashboard, as kept in monitoring/grafana/ (file name in the stack dir → mount path). */
const grafanaFiles = {
  'grafana-datasource.yml': {
    source: 'monitoring/grafana/provisioning/datasources/prometheus.yml',
    target: '/etc/grafana/provisioning/datasources/prometheus.yml',
  },
  'grafana-dashboards.yml': {
    source: 'monitoring/grafana/provisioning/dashboards/taskstack.yml',
    target: '/etc/grafana/provisioning/dashboards/taskstack.yml',
  },
  'grafana-dashboard-taskstack.json': {
    source: 'monitoring/grafana/dashboards/taskstack.json',
    target: '/etc/grafana/dashboards/taskstack.json',
  },
} as const;

/** Where the monitoring image keeps Prometheus's config, the alert rules and the blackbox modules. */
const CONFIG_DIR = '/etc/taskstack-monitoring';

/** Where each monitoring server finds its own certificate and key (the same paths in each: its own secrets). */
export const OWN_TLS = { cert: '/run/secrets/tls_cert', key: '/run/secrets/tls_key' } as const;

/** The users the monitoring servers run as: `node` of the worker's image, `grafana` of Grafana's, else `nobody`. */
const SERVER_UIDS: Partial<Record<MonitoringServer, number>> = { worker: 1000, grafana: 472 };
const NOBODY_UID = 65534;

/**
 * A monitoring server's certificate and key, and no other server's, mounted at OWN_TLS, the key readable by the
 * server's user alone: it serves HTTPS only, as Prometheus (nginx, for Grafana) reaches it across nodes, over
 * overlay networks that are not encrypted.
 */
export const ownTls = (server: MonitoringServer) => {
  const { cert, key } = monitoringTlsSecrets(server);
  return [
    { source: cert, target: 'tls_cert', mode: 0o444 },
    keyRef(key, SERVER_UIDS[server] ?? NOBODY_UID, 'tls_key'),
  ];
};

/** The exporters' and Alertmanager's web configuration (monitoring/prometheus/web.yml): HTTPS with OWN_TLS. */
const WEB_CONFIG = `--web.config.file=${CONFIG_DIR}/web.yml`;

/** The monitoring services for these settings; empty when monitoring is off. */
export function renderMonitoring(settings: StackSettings): MonitoringPart {
  const none: MonitoringPart = { services: {}, configs: {}, files: {}, volumes: [] };
  if (!settings.monitoring) return none;
  const image = imageRef(settings, 'monitoring');
  const stateful = placedOn(settings.placement.statefulLabel);
  // Prometheus and its exporters talk only on the backend network, which has no route out.
  const base = (memory: string, extra: Record<string, unknown> = {}) => ({
    image,
    networks: ['backend'],
    logging,
    stop_grace_period: '10s',
    deploy: deployed(memory, extra),
  });

  const services: Record<string, Service> = {
    prometheus: {
      ...base(settings.memory.prometheus, { placement: stateful }),
      command: [
        'prometheus',
        `--config.file=${CONFIG_DIR}/prometheus.yml`,
        '--storage.tsdb.path=/prometheus',
        '--storage.tsdb.retention.time=15d',
        '--web.listen-address=:9090',
      ],
      volumes: ['prometheus-data:/prometheus'],
      // It scrapes the api over HTTPS, verified against the api's CA, and Alertmanager and the exporters against the
      // monitoring CA (prometheus.yml).
      secrets: secretRefs('api_ca', 'monitoring_ca'),
    },
    // Mails through the same SMTP server as the app (egress network); its config is a secret (SMTP credentials).
    alertmanager: {
      ...base('64M', { placement: stateful }),
      command: [
        'prometheus-alertmanager',
        '--config.file=/run/secrets/alertmanager_yml',
        '--storage.path=/alertmanager',
        '--web.listen-address=:9093',
        WEB_CONFIG,
        '--cluster.listen-address=',
      ],
      networks: ['backend', 'egress'],
      secrets: [...secretRefs('alertmanager_yml'), ...ownTls('alertmanager')],
      volumes: ['alertmanager-data:/alertmanager'],
    },
    // One per node; reads the host's /proc, /sys and filesystems read-only.
    'node-exporter': {
      ...base('64M'),
      command: [
        'prometheus-node-exporter',
        '--path.procfs=/host/proc',
        '--path.sysfs=/host/sys',
        '--path.rootfs=/rootfs',
        // `$$` is compose's escape for a literal `$`.
        '--collector.filesystem.mount-points-exclude=^/(dev|proc|sys|run|var/lib/docker/.+)($$|/)',
        WEB_CONFIG,
      ],
      secrets: ownTls('node-exporter'),
      volumes: ['/proc:/host/proc:ro', '/sys:/host/sys:ro', '/:/rootfs:ro'],
      deploy: deployed('64M', { mode: 'global' }),
    },
    'postgres-exporter': {
      ...base('64M'),
      command: ['prometheus-postgres-exporter', WEB_CONFIG],
      // Its own role (pg_monitor, no table of the app), which the migrate job creates; never the owner's.
      environment: {
        DATA_SOURCE_URI: `postgres:5432/taskstack?${POSTGRES_TLS_PARAMS}`,
        DATA_SOURCE_USER: MONITOR_DATABASE_ROLE,
        DATA_SOURCE_PASS_FILE: secretPath('monitor_database_password'),
      },
      secrets: [...secretRefs('monitor_database_password', 'postgres_ca'), ...ownTls('postgres-exporter')],
    },
    // Its own Redis user (server state only, no key: redis-acl.ts). redis_exporter reads the password only from its
    // environment; a shell puts the secret there at start. It has no --web.config.file: flags of its own make it
    // serve HTTPS as the others do.
    'redis-exporter': {
      ...base('64M'),
      command: [
        'sh',
        '-c',
        'REDIS_PASSWORD="$$(cat /run/secrets/monitor_redis_password)" exec prometheus-redis-exporter' +
          ` --tls-server-cert-file=${OWN_TLS.cert} --tls-server-key-file=${OWN_TLS.key}` +
          ' --tls-server-min-version=TLS1.3',
      ],
      // Over TLS like every client of Redis, the server verified against its CA (and its name, `redis`).
      environment: {
        REDIS_ADDR: 'rediss://redis:6379',
        REDIS_USER: REDIS_MONITOR_USER,
        REDIS_EXPORTER_TLS_CA_CERT_FILE: secretPath('redis_ca'),
      },
      secrets: [...secretRefs('monitor_redis_password', 'redis_ca'), ...ownTls('redis-exporter')],
    },
    // nginx's stub_status on its internal port 8081 (never published); nginx has a VIP, so its task is named directly.
    'nginx-exporter': {
      ...base('64M'),
      command: [
        'prometheus-nginx-exporter',
        '--nginx.scrape-uri=http://tasks.nginx:8081/stub_status',
        WEB_CONFIG,
      ],
      secrets: ownTls('nginx-exporter'),
    },
    'blackbox-exporter': {
      ...base('64M'),
      command: ['prometheus-blackbox-exporter', `--config.file=${CONFIG_DIR}/blackbox.yml`, WEB_CONFIG],
      secrets: ownTls('blackbox-exporter'),
    },
  };

  const part: MonitoringPart = {
    services,
    configs: {},
    files: {},
    volumes: ['prometheus-data', 'alertmanager-data'],
  };
  if (settings.grafana) addGrafana(settings, part);
  return part;
}

/** Grafana behind nginx at `/grafana/`, provisioned with the Prometheus datasource and the repository's dashboard. */
function addGrafana(settings: StackSettings, part: MonitoringPart) {
  const configs: { source: string; target: string; mode: number }[] = [];
  for (const [file, { source, target }] of Object.entries(grafanaFiles)) {
    const key = file.replace(/\.(yml|json)$/, '').replace(/-/g, '_');
    part.files[file] = repoFile(source);
    part.configs[key] = { name: `${settings.name}_${key}_${shortHash(part.files[file])}`, file: `./${file}` };
    configs.push({ source: key, target, mode: 0o444 });
  }
  const port = settings.ports.https === 443 ? '' : `:${settings.ports.https}`;
  part.services.grafana = {
    image: settings.images.grafana,
    environment: {
      GF_SERVER_ROOT_URL: `https://${settings.domain}${port}/grafana/`,
      GF_SERVER_SERVE_FROM_SUB_PATH: 'true',
      // HTTPS only: nginx reaches it across nodes (the admin's login and session with it), over overlay networks
      // that are not encrypted, and verifies it against the monitoring CA for the name `grafana`.
      GF_SERVER_PROTOCOL: 'https',
      GF_SERVER_CERT_FILE: OWN_TLS.cert,
      GF_SERVER_CERT_KEY: OWN_TLS.key,
      GF_SERVER_MIN_TLS_VERSION: 'TLS1.3',
      GF_SECURITY_ADMIN_USER: 'admin',
      GF_SECURITY_ADMIN_PASSWORD__FILE: '/run/secrets/grafana_admin_password',
      GF_SECURITY_COOKIE_SECURE: 'true',
      GF_USERS_ALLOW_SIGN_UP: 'false',
      GF_AUTH_ANONYMOUS_ENABLED: 'false',
      GF_ANALYTICS_REPORTING_ENABLED: 'false',
      GF_ANALYTICS_CHECK_FOR_UPDATES: 'false',
      // Grafana's own /metrics needs no login; nginx would serve it at /grafana/metrics.
      GF_METRICS_ENABLED: 'false',
    },
    configs,
    secrets: [...secretRefs('grafana_admin_password'), ...ownTls('grafana')],
    volumes: ['grafana-data:/var/lib/grafana'],
    networks: ['backend'],
    logging,
    stop_grace_period: '10s',
    deploy: deployed('256M', { placement: placedOn(settings.placement.statefulLabel) }),
  };
  part.volumes.push('grafana-data');
}

/**
 * Alertmanager's configuration, kept as a Docker secret because it carries the SMTP credentials: alerts go by
 * email to the stack's admins through the same SMTP server the worker uses (`smtp_url`).
 */
export function renderAlertmanagerConfig(settings: StackSettings, smtpUrl: string): string {
  let url: URL;
  try {
    url = new URL(smtpUrl);
  } catch {
    throw new Error('smtp_url is not a URL such as smtp://user:password@smtp.example.com:587');
  }
  if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:') {
    throw new Error(`smtp_url must start with smtp:// or smtps://, not ${url.protocol}//`);
  }
  const implicitTls = url.protocol === 'smtps:';
  const port = url.port || (implicitTls ? '465' : '25');
  const username = decodeURIComponent(url.username);
  const global: Record<string, unknown> = {
    smtp_smarthost: `${url.hostname}:${port}`,
    smtp_from: settings.mailFrom,
    smtp_hello: settings.domain,
    // Credentials only ever travel encrypted (STARTTLS, or TLS from the start on 465); a server without
    // credentials (a local relay, the test sink) is spoken to as it is.
    smtp_require_tls: Boolean(username) && !implicitTls,
  };
  if (username) {
    global.smtp_auth_username = username;
    global.smtp_auth_password = decodeURIComponent(url.password);
  }
  return stringify(
    {
      global,
      route: {
        receiver: 'admins',
        group_by: ['alertname'],
        group_wait: '30s',
        group_interval: '5m',
        repeat_interval: '4h',
      },
      // A whole service down makes its latency and error alerts noise: the critical one is enough.
      inhibit_rules: [
        {
          source_matchers: ['alertname=~"ApiDown|DatabaseDown|RedisDown"'],
          target_matchers: ['alertname=~"ApiErrorRatioHigh|ApiLatencyP99High|ScrapeTargetDown"'],
        },
      ],
      receivers: [
        {
          name: 'admins',
          email_configs: [{ to: settings.adminEmails.join(', '), send_resolved: true }],
        },
      ],
    },
    { lineWidth: 0 },
  );
}
