import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { renderMonitoring } from '@taskstack/stack/definition/monitoring';
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
    ]);
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
