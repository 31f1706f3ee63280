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
  recovery: {
    archiving: true,
    recoveryPoint: new Date('2026-03-10T11:59:18Z'),
    windowStart: new Date('2026-02-24T03:01:05Z'),
    lastDrill: {
      at: new Date('2026-03-10T05:34:00Z'),
      passed: true,
      target: new Date('2026-03-09T17:25:00Z'),
    },
  },
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

  it('prints the recovery point with its age, the restorable window and the last restore drill', () => {
    const lines = formatStatusReport(report, now).split('\n');
    expect(lines).toContain('recovery point:         2026-03-10 11:59 UTC (42 s ago)');
    expect(lines).toContain('restorable window:      2026-02-24 03:01 UTC → 2026-03-10 11:59 UTC');
    expect(lines).toContain(
      'last restore drill:     2026-03-10 05:34 UTC (6 h ago, passed, restored to 2026-03-09 17:25 UTC)',
    );
    const stale = formatStatusReport(
      {
        ...report,
        recovery: {
          archiving: true,
          recoveryPoint: new Date('2026-03-10T11:40:00Z'),
          lastDrill: { at: new Date('2026-03-10T05:34:00Z'), passed: false },
        },
      },
      now,
    );
    expect(stale).toContain(
      'recovery point:         2026-03-10 11:40 UTC (20 min ago, STALE: archiving lags)',
    );
    expect(stale).toContain('restorable window:      none until the first pgBackRest backup');
    expect(stale).toContain('last restore drill:     2026-03-10 05:34 UTC (6 h ago, FAILED)');
    const off = formatStatusReport({ ...report, recovery: { archiving: false } }, now);
    expect(off).toContain('recovery point:         off (the database server does not archive WAL)');
  });

  it('reads the recovery state in the Postgres container: archiver, newest journal entry, last finished drill', async () => {
    const server = new URL(process.env.TEST_DATABASE_SERVER_URL!);
    const name = `status_${Date.now()}`;
    const on = (database: string) => Object.assign(new URL(server), { pathname: `/${database}` }).toString();
    const psql = (database: string, ...args: string[]) =>
      execFileSync('psql', ['-XAtq', '-v', 'ON_ERROR_STOP=1', '-d', on(database), ...args], {
        encoding: 'utf8',
      });
    // The migrated template every test database is cloned from (vitest.global-setup.ts).
    psql('postgres', '-c', `CREATE DATABASE ${name} TEMPLATE taskstack_template`);
    try {
      psql(
        name,
        '-c',
        `INSERT INTO recovery_journal (recorded_at, tables, window_start) VALUES
           ('2026-03-10 11:50Z', '{}', '2026-02-24 03:01Z'), ('2026-03-10 11:55Z', '{}', '2026-02-24 03:02Z');
         INSERT INTO restore_drills (status, target_time, started_at, finished_at) VALUES
           ('passed', '2026-03-09 17:25Z', '2026-03-10 05:30Z', '2026-03-10 05:34Z'),
           ('running', NULL, '2026-03-11 05:30Z', NULL)`,
      );
      // The engine as the report uses it: one stack service, its container, and `docker exec … psql` run here.
      const docker: DockerRunner = {
        async run(args) {
          if (args[0] === 'service' && args[1] === 'ls')
            return JSON.stringify({
              Name: 'taskstack_postgres',
              Mode: 'replicated',
              Replicas: '1/1',
              Image: 'pg:1',
            });
          if (args[0] === 'service') return '[]';
          if (args[0] === 'ps')
            return JSON.stringify({
              Labels: 'com.docker.swarm.service.name=taskstack_postgres',
              Status: 'Up',
              ID: 'c1',
            });
          expect(args.slice(0, 7)).toEqual(['exec', 'c1', 'psql', '-U', 'taskstack', '-d', 'taskstack']);
          return psql(name, ...args.slice(7));
        },
      };
      const collected = await collectStatusReport(docker, 'taskstack');
      expect(collected.recovery).toEqual({
        archiving: false, // the test server does not archive WAL
        recoveryPoint: undefined,
        windowStart: new Date('2026-02-24T03:02:00Z'),
        lastDrill: {
          at: new Date('2026-03-10T05:34:00Z'),
          passed: true,
          target: new Date('2026-03-09T17:25:00Z'),
        },
      });
    } finally {
      psql('postgres', '-c', `DROP DATABASE ${name} WITH (FORCE)`);
    }
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
