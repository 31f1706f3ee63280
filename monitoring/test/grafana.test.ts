import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { monitoringDir, repoRoot } from './paths.js';

const grafanaDir = join(monitoringDir, 'grafana');
type Panel = { type: string; title: string; datasource?: { uid: string }; targets?: { expr: string }[] };
const dashboard = JSON.parse(readFileSync(join(grafanaDir, 'dashboards/taskstack.json'), 'utf8')) as {
  uid: string;
  panels: Panel[];
};
const queries = dashboard.panels.flatMap((p) =>
  (p.targets ?? []).map((t) => ({ panel: p.title, expr: t.expr })),
);

const scratch = mkdtempSync(join(tmpdir(), 'taskstack-grafana-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('Grafana provisioning and dashboard', () => {
  it('provisions Prometheus as the datasource every panel uses', () => {
    const { datasources } = parse(
      readFileSync(join(grafanaDir, 'provisioning/datasources/prometheus.yml'), 'utf8'),
    );
    expect(datasources).toHaveLength(1);
    expect(datasources[0]).toMatchObject({ type: 'prometheus', url: 'http://prometheus:9090' });
    const panels = dashboard.panels.filter((p) => p.type !== 'row');
    expect(panels.every((p) => p.datasource?.uid === datasources[0].uid)).toBe(true);
  });

  it('loads dashboards from where the stack mounts them', () => {
    const { providers } = parse(
      readFileSync(join(grafanaDir, 'provisioning/dashboards/taskstack.yml'), 'utf8'),
    );
    const monitoringTs = readFileSync(join(repoRoot, 'stack/src/definition/monitoring.ts'), 'utf8');
    expect(monitoringTs).toContain(`target: '${providers[0].options.path}/taskstack.json'`);
  });

  it('shows requests, latency, errors, queue depth, backups and resources', () => {
    const rows = dashboard.panels.filter((p) => p.type === 'row').map((p) => p.title);
    expect(rows).toEqual(['Requests', 'Latency', 'Errors', 'Queues', 'Backups', 'Resources']);
  });

  it('has only queries promtool accepts', () => {
    // promtool has no query linter offline; as recording rules, its rule check parses every expression.
    const rules = {
      groups: [
        { name: 'dashboard', rules: queries.map((q, i) => ({ record: `dashboard:q${i}`, expr: q.expr })) },
      ],
    };
    const file = join(scratch, 'dashboard.rules.yml');
    writeFileSync(file, stringify(rules));
    expect(execFileSync('promtool', ['check', 'rules', file], { encoding: 'utf8' })).toMatch(
      new RegExp(`SUCCESS: ${queries.length} rules found`),
    );
  });

  it('queries only metrics the api and worker export or the exporters provide', () => {
    const sources = ['api/src/metrics.ts', 'worker/src/metrics.ts']
      .map((f) => readFileSync(join(repoRoot, f), 'utf8'))
      .join('\n');
    // Metric names: identifiers left once label matchers and `by (...)` clauses are gone, and not called.
    const names = new Set(
      queries.flatMap(
        (q) =>
          q.expr
            .replace(/\{[^}]*\}/g, '')
            .replace(/\b(by|on) \([^)]*\)/g, '')
            .match(/\b[a-z_][a-z0-9_]*\b(?!\s*\()/g) ?? [],
      ),
    );
    const exporters = /^(node_|pg_|redis_|probe_|process_|up$)/;
    const functions = /^(and|or|unless)$/;
    const unknown = [...names].filter(
      (n) => !functions.test(n) && !exporters.test(n) && !sources.includes(`'${n.replace(/_bucket$/, '')}'`),
    );
    expect(unknown).toEqual([]);
  });
});
