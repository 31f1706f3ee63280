import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { renderAlertmanagerConfig, renderMonitoring } from '@taskstack/stack/definition/monitoring';
import { requiredSecrets } from '@taskstack/stack/definition/secrets';
import { parseStackSettings } from '@taskstack/stack/definition/settings';

const settings = (overrides: Record<string, unknown> = {}) =>
  parseStackSettings({
    domain: 'app.example.com',
    acmeEmail: 'ops@example.com',
    imageTag: 'abc123',
    adminEmails: ['ops@example.com', 'oncall@example.com'],
    monitoring: true,
    ...overrides,
  });

type Service = {
  image: string;
  networks: string[];
  ports?: unknown;
  command?: string[];
  secrets?: { source: string }[];
  deploy: Record<string, unknown>;
};

describe('monitoring services', () => {
  it('are absent when monitoring is off (one switch)', () => {
    expect(renderMonitoring(settings({ monitoring: false })).services).toEqual({});
  });

  it('run Prometheus, Alertmanager, every exporter and Grafana', () => {
    expect(Object.keys(renderMonitoring(settings()).services).sort()).toEqual([
      'alertmanager',
      'blackbox-exporter',
      'grafana',
      'nginx-exporter',
      'node-exporter',
      'postgres-exporter',
      'prometheus',
      'redis-exporter',
    ]);
  });

  it('publish no port, and only Alertmanager (SMTP) reaches outside the backend network', () => {
    const services = renderMonitoring(settings()).services as Record<string, Service>;
    for (const [name, service] of Object.entries(services)) {
      expect(service.ports, name).toBeUndefined();
      expect(service.networks, name).toEqual(name === 'alertmanager' ? ['backend', 'egress'] : ['backend']);
      // No IPVS on the machines: every service resolves by DNS round robin.
      expect(service.deploy.endpoint_mode, name).toBe('dnsrr');
    }
  });

  it('use our Debian-based image tagged like the app images, and Grafana’s own image', () => {
    const services = renderMonitoring(settings({ images: { registry: 'ghcr.io/acme/' } })).services as Record<
      string,
      Service
    >;
    const images = new Set(Object.entries(services).map(([name, s]) => (name === 'grafana' ? '' : s.image)));
    images.delete('');
    expect([...images]).toEqual(['ghcr.io/acme/taskstack/monitoring:abc123']);
    expect(services.grafana!.image).toMatch(/^grafana\/grafana:\d+\.\d+\.\d+$/);
  });

  it('escape every literal $ for compose interpolation', () => {
    const strings = JSON.stringify(renderMonitoring(settings()).services).match(/"(?:[^"\\]|\\.)*"/g) ?? [];
    expect(strings.filter((s) => /\$(?![${])/.test(s.replace(/\$\$/g, '')))).toEqual([]);
  });

  it('run node-exporter on every node and read the host read-only', () => {
    const node = renderMonitoring(settings()).services['node-exporter'] as Service & { volumes: string[] };
    expect(node.deploy.mode).toBe('global');
    expect(node.volumes.every((v) => v.endsWith(':ro'))).toBe(true);
  });

  it('leave Grafana out on request (no registry for its image), with its secret', () => {
    const part = renderMonitoring(settings({ grafana: false }));
    expect(part.services.grafana).toBeUndefined();
    expect(part.configs).toEqual({});
    expect(requiredSecrets(settings({ grafana: false }))).not.toContain('grafana_admin_password');
    expect(requiredSecrets(settings())).toEqual(
      expect.arrayContaining(['alertmanager_yml', 'grafana_admin_password']),
    );
    const withGrafana = renderMonitoring(settings());
    for (const config of Object.values(withGrafana.configs)) {
      expect(withGrafana.files[config.file.replace('./', '')]).toBeTruthy();
    }
  });

  it('serve Grafana under /grafana/ of the public host with its own login', () => {
    const grafana = renderMonitoring(settings()).services.grafana as { environment: Record<string, string> };
    expect(grafana.environment).toMatchObject({
      GF_SERVER_ROOT_URL: 'https://app.example.com/grafana/',
      GF_SERVER_SERVE_FROM_SUB_PATH: 'true',
      GF_AUTH_ANONYMOUS_ENABLED: 'false',
      GF_USERS_ALLOW_SIGN_UP: 'false',
      GF_SECURITY_ADMIN_PASSWORD__FILE: '/run/secrets/grafana_admin_password',
      GF_METRICS_ENABLED: 'false',
    });
  });
});

describe('Alertmanager configuration', () => {
  it('mails the admins through the app’s SMTP server, credentials only over TLS', () => {
    const config = parse(
      renderAlertmanagerConfig(settings(), 'smtp://mailer%40example.com:p%40ss@smtp.example.com:587'),
    );
    expect(config.global).toMatchObject({
      smtp_smarthost: 'smtp.example.com:587',
      smtp_auth_username: 'mailer@example.com',
      smtp_auth_password: 'p@ss',
      smtp_require_tls: true,
    });
    expect(config.receivers[0].email_configs[0]).toEqual({
      to: 'ops@example.com, oncall@example.com',
      send_resolved: true,
    });
  });

  it('uses implicit TLS for smtps:// and plain SMTP for a server without credentials', () => {
    expect(parse(renderAlertmanagerConfig(settings(), 'smtps://u:p@smtp.example.com')).global).toMatchObject({
      smtp_smarthost: 'smtp.example.com:465',
      smtp_require_tls: false,
    });
    const relay = parse(renderAlertmanagerConfig(settings(), 'smtp://relay.internal:25')).global;
    expect(relay).toMatchObject({ smtp_smarthost: 'relay.internal:25', smtp_require_tls: false });
    expect(relay.smtp_auth_username).toBeUndefined();
  });

  it('refuses settings it cannot deliver with, in one line', () => {
    expect(() => renderAlertmanagerConfig(settings(), 'not a url')).toThrow(/not a URL/);
    expect(() => renderAlertmanagerConfig(settings(), 'http://h')).toThrow(/smtp:\/\/ or smtps:\/\//);
    // No address for the alerts is refused with the settings themselves.
    expect(() => settings({ adminEmails: [] })).toThrow(/adminEmails: monitoring needs/);
  });
});
