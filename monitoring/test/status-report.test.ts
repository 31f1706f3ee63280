import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  certificateExpiry,
  collectStatusReport,
  formatStatusReport,
  type DockerRunner,
  type StatusReport,
} from '@taskstack/stack/deployer/status-report';

const now = new Date('2026-03-10T12:00:00Z');

const report: StatusReport = {
  stack: 'taskstack',
  services: [
    {
      name: 'taskstack_api',
      mode: 'replicated',
      desired: 3,
      running: 2,
      image: 'ghcr.io/acme/taskstack/api:abc123',
      version: 'abc123',
      health: 'degraded',
      lastDeploy: new Date('2026-03-10T11:30:00Z'),
    },
    {
      name: 'taskstack_node-exporter',
      mode: 'global',
      desired: 2,
      running: 2,
      image: 'taskstack/monitoring:abc123',
      version: 'abc123',
      health: 'healthy',
    },
  ],
  lastBackup: new Date('2026-03-10T02:30:00Z'),
  lastVerification: { at: new Date('2026-03-08T04:00:00Z'), passed: false },
  certificateExpires: new Date('2026-04-20T12:00:00Z'),
};

describe('status report', () => {
  it('prints replicas, version, health and last deploy per service, then backups and certificate', () => {
    const lines = formatStatusReport(report, now).split('\n');
    expect(lines[0]).toMatch(/^SERVICE\s+REPLICAS\s+VERSION\s+HEALTH\s+LAST DEPLOY$/);
    expect(lines[1]).toMatch(/^api\s+2\/3\s+abc123\s+degraded\s+2026-03-10 11:30 UTC \(30 min ago\)$/);
    expect(lines[2]).toMatch(/^node-exporter\s+2\/2 \(global\)\s+abc123\s+healthy\s+-$/);
    expect(lines).toContain('last successful backup: 2026-03-10 02:30 UTC (10 h ago)');
    expect(lines).toContain('last verified backup:   2026-03-08 04:00 UTC (2 days ago, FAILED)');
    expect(lines).toContain('certificate expires:    2026-04-20 12:00 UTC (in 41 days)');
  });

  it('says why backups or the certificate are unknown instead of guessing', () => {
    const text = formatStatusReport(
      {
        ...report,
        lastBackup: undefined,
        lastVerification: undefined,
        certificateExpires: undefined,
        backupsUnknown: 'Postgres does not run on the node this engine is',
        certificateUnknown: 'TLS to 127.0.0.1:443: connect ECONNREFUSED',
      },
      now,
    );
    expect(text).toContain('last successful backup: Postgres does not run on the node this engine is');
    expect(text).toContain('certificate expires:    TLS to 127.0.0.1:443: connect ECONNREFUSED');
  });

  it('reports a stack with no services as not deployed', async () => {
    const empty: DockerRunner = { run: async () => '' };
    const collected = await collectStatusReport(empty, 'nothing');
    expect(formatStatusReport(collected)).toBe('stack nothing: not deployed');
  });

  describe('certificate expiry', () => {
    const dir = mkdtempSync(join(tmpdir(), 'taskstack-status-'));
    let server: tls.Server;
    let port = 0;

    beforeAll(async () => {
      execFileSync(
        'openssl',
        [
          'req',
          '-x509',
          '-newkey',
          'ec',
          '-pkeyopt',
          'ec_paramgen_curve:P-256',
          '-nodes',
          '-days',
          '30',
          '-subj',
          '/CN=app.taskstack.test',
          '-keyout',
          join(dir, 'key.pem'),
          '-out',
          join(dir, 'cert.pem'),
        ],
        { stdio: 'ignore' },
      );
      server = tls.createServer(
        { key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) },
        (s) => s.end(),
      );
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
      port = (server.address() as { port: number }).port;
    });
    afterAll(() => {
      server?.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it('is read from the certificate the server presents', async () => {
      const expires = await certificateExpiry({ servername: 'app.taskstack.test', host: '127.0.0.1', port });
      const days = (expires.getTime() - Date.now()) / 86_400_000;
      expect(days).toBeGreaterThan(29);
      expect(days).toBeLessThanOrEqual(30);
    });

    it('fails with a one-line reason when nothing answers', async () => {
      await expect(certificateExpiry({ servername: 'x', host: '127.0.0.1', port: 1 })).rejects.toThrow(
        /TLS to 127.0.0.1:1: /,
      );
    });
  });
});
