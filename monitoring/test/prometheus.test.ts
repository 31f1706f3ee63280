import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { renderMonitoring } from '@taskstack/stack/definition/monitoring';
import { MONITORING_SERVERS } from '@taskstack/stack/definition/secrets';
import { parseStackSettings } from '@taskstack/stack/definition/settings';
import { monitoringDir, repoRoot } from './paths.js';

const prometheusDir = join(monitoringDir, 'prometheus');
const rulesFile = join(prometheusDir, 'rules/taskstack.rules.yml');
const testFiles = readdirSync(join(prometheusDir, 'tests'))
  .filter((f) => f.endsWith('.test.yml'))
  .map((f) => join(prometheusDir, 'tests', f));

type Rule = { alert: string; expr: string; annotations: Record<string, string> };
const rules: Rule[] = parse(readFileSync(rulesFile, 'utf8')).groups.flatMap(
  (g: { rules: Rule[] }) => g.rules,
);

/** Runs promtool and returns its output; a non-zero exit fails the test with promtool's own explanation. */
function promtool(...args: string[]) {
  try {
    return execFileSync('promtool', args, { cwd: prometheusDir, encoding: 'utf8', stdio: 'pipe' });
  } catch (error) {
    const { stdout, stderr } = error as { stdout: string; stderr: string };
    throw new Error(`promtool ${args.join(' ')} failed:\n${stdout}${stderr}`, { cause: error });
  }
}

describe('Prometheus configuration', () => {
  it('passes promtool check config (rule files included)', () => {
    expect(promtool('check', 'config', 'prometheus.yml')).toMatch(/SUCCESS: 18 rules found/);
  });

  it('passes promtool check rules', () => {
    expect(promtool('check', 'rules', rulesFile)).toMatch(/SUCCESS/);
  });

  it('passes promtool test rules (every alert fired and cleared from synthetic series)', () => {
    expect(promtool('test', 'rules', ...testFiles)).not.toMatch(/FAILED/);
  });

  it('has the alerts the operations issue asks for', () => {
    expect(rules.map((r) => r.alert)).toEqual(
      expect.arrayContaining([
        'ApiDown',
        'ApiErrorRatioHigh',
        'ApiLatencyP99High',
        'DatabaseDown',
        'RedisDown',
        'QueueBacklogGrowing',
        'JobFailures',
        'BackupMissing',
        'BackupVerificationFailed',
        'WalArchiveLagHigh',
        'BackupRepositoryErrors',
        'RestoreDrillFailed',
        'DiskSpaceHigh',
        'CertificateExpiresSoon',
      ]),
    );
  });

  it('tests that every alert fires and later clears', () => {
    type Check = { eval_time: string; alertname: string; exp_alerts: unknown[] };
    const checks: Check[] = testFiles.flatMap((file) =>
      parse(readFileSync(file, 'utf8')).tests.flatMap((t: { alert_rule_test: Check[] }) => t.alert_rule_test),
    );
    const untested = rules
      .map((r) => r.alert)
      .filter((name) => {
        const mine = checks.filter((c) => c.alertname === name);
        const fired = mine.findIndex((c) => c.exp_alerts.length > 0);
        return fired < 0 || !mine.slice(fired + 1).some((c) => c.exp_alerts.length === 0);
      });
    expect(untested).toEqual([]);
  });

  it('points every alert at a runbook section that exists', () => {
    const missing = rules.flatMap((rule) => {
      const [file, anchor] = rule.annotations.runbook!.split('#') as [string, string | undefined];
      const path = join(repoRoot, file);
      if (!existsSync(path)) return [`${rule.alert}: ${file}`];
      const headings = readFileSync(path, 'utf8')
        .split('\n')
        .filter((l) => l.startsWith('#'))
        .map((l) =>
          l
            .replace(/^#+\s*/, '')
            .toLowerCase()
            .replace(/[^\w\s-]/g, '')
            .replace(/\s+/g, '-'),
        );
      return anchor && !headings.includes(anchor) ? [`${rule.alert}: ${file}#${anchor}`] : [];
    });
    expect(missing).toEqual([]);
  });

  it('scrapes the api over HTTPS, verified against the api CA the stack gives Prometheus, for the name api', () => {
    type Job = { job_name: string; scheme?: string; tls_config?: Record<string, unknown> };
    const config = parse(readFileSync(join(prometheusDir, 'prometheus.yml'), 'utf8'));
    const api = (config.scrape_configs as Job[]).find((job) => job.job_name === 'api');
    expect(api).toMatchObject({
      scheme: 'https',
      // The targets are task addresses, which the certificate does not name.
      tls_config: { ca_file: '/run/secrets/api_ca', server_name: 'api' },
    });
    expect(api!.tls_config).not.toHaveProperty('insecure_skip_verify');
    const settings = parseStackSettings({
      domain: 'app.example.com',
      acmeEmail: 'ops@example.com',
      imageTag: 'abc123',
      adminEmails: ['ops@example.com'],
      monitoring: true,
    });
    expect(renderMonitoring(settings).services.prometheus!.secrets).toEqual([
      { source: 'api_ca', target: 'api_ca', mode: 0o444 },
      { source: 'monitoring_ca', target: 'monitoring_ca', mode: 0o444 },
    ]);
  });

  it('reaches Alertmanager, every exporter and the worker over HTTPS, verified against the monitoring CA for its name', () => {
    type Tls = { scheme?: string; tls_config?: Record<string, unknown> };
    type Job = Tls & { job_name: string; relabel_configs?: { replacement?: string }[] };
    const config = parse(readFileSync(join(prometheusDir, 'prometheus.yml'), 'utf8'));
    const jobs = config.scrape_configs as Job[];
    const tlsOf = ({ scheme, tls_config }: Tls) => ({ scheme, tls_config });
    const verifiedAs = (server: string) => ({
      scheme: 'https',
      // The targets are task addresses, which the certificates do not name.
      tls_config: { ca_file: '/run/secrets/monitoring_ca', server_name: server },
    });
    const byJob = Object.fromEntries(jobs.map((job) => [job.job_name, tlsOf(job)]));
    expect(byJob).toEqual({
      prometheus: { scheme: undefined, tls_config: undefined }, // itself, on localhost
      alertmanager: verifiedAs('alertmanager'),
      api: { scheme: 'https', tls_config: { ca_file: '/run/secrets/api_ca', server_name: 'api' } },
      worker: verifiedAs('worker'),
      nginx: verifiedAs('nginx-exporter'),
      postgres: verifiedAs('postgres-exporter'),
      redis: verifiedAs('redis-exporter'),
      node: verifiedAs('node-exporter'),
      certificate: verifiedAs('blackbox-exporter'),
      blackbox: verifiedAs('blackbox-exporter'),
    });
    // The certificate job asks the blackbox exporter itself, whose name its server_name is.
    const certificate = jobs.find((job) => job.job_name === 'certificate')!;
    expect(certificate.relabel_configs!.at(-1)!.replacement).toBe('blackbox-exporter:9115');
    // Alerts go to Alertmanager the same way.
    expect(tlsOf(config.alerting.alertmanagers[0])).toEqual(verifiedAs('alertmanager'));
    expect(readFileSync(join(prometheusDir, 'prometheus.yml'), 'utf8')).not.toContain('insecure_skip_verify');
    // Each server names what its web config names, and Grafana is the one monitoring server Prometheus does not ask.
    const servers = new Set(
      [...jobs, config.alerting.alertmanagers[0] as Tls].map((job) => job.tls_config?.server_name),
    );
    expect([...MONITORING_SERVERS].filter((server) => !servers.has(server))).toEqual(['grafana']);
  });

  it('makes Alertmanager and the exporters serve HTTPS only, with the key and certificate the stack mounts', () => {
    const web = parse(readFileSync(join(prometheusDir, 'web.yml'), 'utf8'));
    expect(web).toEqual({
      tls_server_config: {
        cert_file: '/run/secrets/tls_cert',
        key_file: '/run/secrets/tls_key',
        min_version: 'TLS13',
      },
    });
    // The files the monitoring image bakes in, where the stack and amtool look for them.
    const dockerfile = readFileSync(join(monitoringDir, 'Dockerfile'), 'utf8');
    expect(dockerfile).toMatch(/monitoring\/prometheus\/web\.yml[\s\S]*\/etc\/taskstack-monitoring\//);
    expect(dockerfile).toContain('COPY monitoring/prometheus/amtool.yml /etc/prometheus/amtool.yml');
    expect(parse(readFileSync(join(prometheusDir, 'amtool-http.yml'), 'utf8'))).toEqual({
      tls_config: { ca_file: '/run/secrets/monitoring_ca', server_name: 'alertmanager' },
    });
  });

  it('uses the metric names the api and worker actually export', () => {
    const sources = ['api/src/metrics.ts', 'worker/src/metrics.ts']
      .map((f) => readFileSync(join(repoRoot, f), 'utf8'))
      .join('\n');
    const ours = new Set(
      rules.flatMap((r) => r.expr.match(/\b(http_request\w*|worker_\w+|db_pool_\w+)/g) ?? []),
    );
    expect(ours.size).toBeGreaterThan(4);
    // Histograms are exported under their base name; Prometheus adds _bucket/_sum/_count.
    const unknown = [...ours].filter((m) => !sources.includes(`'${m.replace(/_bucket$/, '')}'`));
    expect(unknown).toEqual([]);
  });
});
