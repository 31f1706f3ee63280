/**
 * Operations on a real local swarm: the stack deployed by the real deployer (stack name `tsops`, its own ports, so
 * it never meets the stack engineer's e2e stack), the monitoring services added to it, Prometheus seeing every
 * target up (Alertmanager and the exporters over HTTPS only), Alertmanager mailing a test alert to an SMTP sink, and the runbooks that can run locally (scale,
 * rotate a secret, roll back, restore) executed block by block as written, and the status report read from it.
 * Skipped, with the reason, when no Docker engine answers.
 */
import { SmtpSink } from '@taskstack/devservices';
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deploy } from '@taskstack/stack/deployer/deploy';
import { Docker } from '@taskstack/stack/deployer/docker';
import { createAdmin, down } from '@taskstack/stack/deployer/operations';
import { generateSecretInputs } from '@taskstack/stack/deployer/secrets';
import { collectStatusReport, formatStatusReport } from '@taskstack/stack/deployer/status-report';
import type { StackSettings } from '@taskstack/stack/definition/settings';
import { api, type Edge } from '@taskstack/stack/testing/http';
import {
  containerOf,
  docker,
  dockerUnavailable,
  hostAddressFromContainers,
  swarmActive,
  until,
} from '@taskstack/stack/testing/swarm';
import { forward, runRunbook } from './helpers.js';

const skipReason = dockerUnavailable();

const STACK = 'tsops';
const TAG = 'ops';
const edge: Edge = { domain: 'ops.taskstack.test', httpPort: 18180, httpsPort: 18643 };
const env = { STACK, TARGET: 'local' };
const log = (line: string) => process.stderr.write(`  [ops swarm] ${line}\n`);
const minutes = (n: number) => n * 60_000;
/** Every scrape job of monitoring/prometheus/prometheus.yml. */
const JOBS = [
  'prometheus',
  'alertmanager',
  'api',
  'worker',
  'nginx',
  'postgres',
  'redis',
  'node',
  'certificate',
  'blackbox',
];

/** The restore runbook's one-off job is not part of the stack; its finished container keeps the backups volume. */
function removeRestoreJob() {
  spawnSync('docker', ['service', 'rm', `${STACK}_restore`], { stdio: 'ignore' });
  const left = docker('ps', '-aq', '--filter', `label=com.docker.swarm.service.name=${STACK}_restore`);
  if (left) spawnSync('docker', ['rm', '-f', ...left.split('\n')], { stdio: 'ignore' });
}

describe.skipIf(skipReason)(
  `operations on a local swarm${skipReason ? ` (skipped: ${skipReason})` : ''}`,
  () => {
    let sink: SmtpSink;
    let relay: Awaited<ReturnType<typeof forward>>;
    let settings: StackSettings;
    const engine = new Docker('local');

    beforeAll(async () => {
      // Another suite may create the swarm at the same moment: whichever init loses finds it active, which is fine.
      // The swarm is left in place afterwards, since other stacks may run on it.
      if (!swarmActive()) {
        spawnSync('docker', ['swarm', 'init', '--advertise-addr', '127.0.0.1'], { stdio: 'ignore' });
        if (!swarmActive()) throw new Error('could not create a local swarm');
      }
      removeRestoreJob(); // a previous run that died half-way
      await down(engine, STACK, { volumes: true });

      // Mail from the stack (Alertmanager, the worker) reaches the sink through the bridge gateway.
      sink = await SmtpSink.start();
      const gateway = await hostAddressFromContainers();
      relay = await forward(gateway, sink.port);
      const smtpUrl = `smtp://${gateway}:${relay.port}`;

      ({ settings } = await deploy({
        target: 'local',
        settings: {
          name: STACK,
          domain: edge.domain,
          acmeEmail: 'ops@taskstack.test',
          adminEmails: ['ops@taskstack.test'],
          imageTag: TAG,
          apiReplicas: 2,
          ports: { http: edge.httpPort, https: edge.httpsPort },
          acme: { enabled: false },
          // The whole monitoring part as the stack definition renders it (Grafana left out by the deployer: no
          // registry here for its image).
          monitoring: true,
        },
        secrets: { ...generateSecretInputs(), smtpUrl },
        log,
        timeoutMs: minutes(8),
      }));
      expect(settings.grafana).toBe(false);
    }, minutes(15));

    afterAll(async () => {
      removeRestoreJob();
      await down(engine, STACK, { volumes: true }).catch((error: unknown) =>
        log(`cleanup: ${String(error)}`),
      );
      await relay?.close();
      await sink?.close();
    }, minutes(3));

    it(
      'Prometheus sees every target up, and the exporters reach Postgres and Redis',
      async () => {
        const query = (expr: string) =>
          docker(
            'exec',
            containerOf(STACK, 'prometheus'),
            'promtool',
            'query',
            'instant',
            'http://127.0.0.1:9090',
            expr,
          );
        await until(
          'every scrape target up, each api replica too',
          () => {
            const lines = query('up').split('\n').filter(Boolean);
            const seen = new Map<string, number[]>();
            for (const line of lines) {
              const [, job, value] = /job="([^"]+)".*=> (\d+)/.exec(line) ?? [];
              if (job) seen.set(job, [...(seen.get(job) ?? []), Number(value)]);
            }
            const ready = JOBS.every((job) => seen.get(job)?.length && seen.get(job)!.every((v) => v === 1));
            // Each api replica is scraped on its own; Prometheus re-resolves tasks.api every 30 s, so the second
            // one may join a scrape later.
            return ready && seen.get('api')!.length === 2 ? seen : undefined;
          },
          minutes(3),
        );
        // The exporters reach Postgres, Redis and nginx's internal stub_status server (each first scrape may
        // precede its service being ready).
        await until(
          'pg_up, redis_up and nginx_up at 1',
          () =>
            ['pg_up', 'redis_up', 'nginx_up'].every((metric) => /=> 1 @/.test(query(metric))) || undefined,
          minutes(1),
        );
        expect(query('probe_ssl_earliest_cert_expiry > time()')).toMatch(/=> \d+/);
      },
      minutes(5),
    );

    it(
      'Prometheus scrapes Alertmanager, every exporter and the worker over HTTPS only, each verified for its own name',
      async () => {
        // Asked from an api task (Node, on the backend network): Prometheus's own view of its targets.
        const script = `fetch('http://prometheus:9090/api/v1/targets').then((r) => r.json()).then((b) =>
          console.log(JSON.stringify(b.data.activeTargets.map((t) => [t.labels.job, t.scrapeUrl, t.health]))))`;
        const targets = JSON.parse(docker('exec', containerOf(STACK, 'api'), 'node', '-e', script)) as [
          string,
          string,
          string,
        ][];
        // Only Prometheus itself, on localhost, is scraped over plain HTTP.
        const plain = new Set(['prometheus']);
        for (const [job, url, health] of targets) {
          expect(health, job).toBe('up');
          expect(new URL(url).protocol, `${job} ${url}`).toBe(plain.has(job) ? 'http:' : 'https:');
        }
        expect(new Set(targets.map(([job]) => job))).toEqual(new Set(JOBS));
        // Plain HTTP gets no metrics from any of them (Go's TLS servers answer it 400), and a client that does not
        // trust the monitoring CA is refused.
        const probe = `const hosts = ${JSON.stringify([
          'alertmanager:9093',
          'node-exporter:9100',
          'postgres-exporter:9187',
          'redis-exporter:9121',
          'nginx-exporter:9113',
          'blackbox-exporter:9115',
        ])};
          Promise.all(hosts.map((h) => Promise.all([
            fetch('http://' + h + '/metrics').then((r) => r.status, (e) => e.message),
            fetch('https://' + h + '/metrics').then((r) => r.status, (e) => e.cause?.code ?? e.message),
          ]).then((r) => h + ' ' + r.join(' ')))).then((lines) => console.log(lines.join('\\n')));`;
        const lines = docker('exec', containerOf(STACK, 'api'), 'node', '-e', probe).split('\n');
        for (const line of lines)
          expect(line).toMatch(
            /^[a-z-]+:\d+ 400 (SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_VERIFY_LEAF_SIGNATURE)$/,
          );
        expect(lines).toHaveLength(6);
      },
      minutes(2),
    );

    it(
      'Alertmanager takes a test alert over HTTPS and mails it to the admins through the SMTP settings',
      async () => {
        // From the Prometheus task, which holds the monitoring CA: the image's amtool config asks
        // https://alertmanager:9093, verified for that name.
        docker(
          'exec',
          containerOf(STACK, 'prometheus'),
          'amtool',
          'alert',
          'add',
          'alertname=TaskstackSwarmTestAlert',
          'severity=warning',
          '--annotation=summary=test alert from the local swarm',
        );
        // The rendered route waits 30 s (group_wait) before the first mail of a group.
        const mail = await sink.waitFor((m) => m.subject.includes('TaskstackSwarmTestAlert'), 90_000);
        expect(mail.to).toEqual(['ops@taskstack.test']);
        expect(mail.text + mail.html).toContain('test alert from the local swarm');
      },
      minutes(2),
    );

    it(
      'scale-api.md: the api runs the requested replicas',
      async () => {
        const output = await runRunbook('scale-api.md', { ...env, REPLICAS: '3' });
        expect(output).toContain(`${STACK}_api 3/3`);
        expect(
          docker('service', 'inspect', `${STACK}_api`, '--format', '{{.Spec.Mode.Replicated.Replicas}}'),
        ).toBe('3');
      },
      minutes(4),
    );

    it(
      'rotate-secret.md: the api moves to a new jwt_secret and the old one is removed',
      async () => {
        const before = docker('secret', 'ls', '--format', '{{.Name}}').split('\n');
        const old = before.find((name) => name.startsWith(`${STACK}_jwt_secret_`));
        await runRunbook('rotate-secret.md', env);
        const after = docker('secret', 'ls', '--format', '{{.Name}}').split('\n');
        expect(after).not.toContain(old);
        const used = docker(
          'service',
          'inspect',
          `${STACK}_api`,
          '--format',
          '{{range .Spec.TaskTemplate.ContainerSpec.Secrets}}{{.SecretName}} {{end}}',
        );
        expect(used).toMatch(new RegExp(`${STACK}_jwt_secret_r\\d{14}`));
        // The api still signs and checks tokens with the new secret.
        const reply = await api(edge, 'POST', '/auth/register', {
          body: { email: 'rotated@taskstack.test', password: 'correct horse battery', name: 'Rotated' },
        });
        expect(reply.status).toBe(201);
      },
      minutes(4),
    );

    it(
      'deploy-and-rollback.md: a bad api release goes back to the previous image',
      async () => {
        const good = docker(
          'service',
          'inspect',
          `${STACK}_api`,
          '--format',
          '{{.Spec.TaskTemplate.ContainerSpec.Image}}',
        );
        // A "bad release": the same image under another tag, rolled out like any update.
        docker('tag', good.replace(/@sha256:.*/, ''), `taskstack/api:${TAG}-bad`);
        docker(
          'service',
          'update',
          '--detach=false',
          '--quiet',
          '--image',
          `taskstack/api:${TAG}-bad`,
          `${STACK}_api`,
        );
        const output = await runRunbook('deploy-and-rollback.md', env);
        expect(output).toContain(`${STACK}: rolled back`);
        const now = docker(
          'service',
          'inspect',
          `${STACK}_api`,
          '--format',
          '{{.Spec.TaskTemplate.ContainerSpec.Image}}',
        );
        expect(now).toBe(good);
      },
      minutes(5),
    );

    it(
      'restore-backup.md: data comes back as it was at the backup',
      async () => {
        const credentials = { email: 'restorer@taskstack.test', password: 'correct horse battery' };
        const registered = await api<{ accessToken: string }>(edge, 'POST', '/auth/register', {
          body: { ...credentials, name: 'Restorer' },
        });
        const token = registered.body.accessToken;
        const workspace = (name: string) => api(edge, 'POST', '/workspaces', { token, body: { name } });
        expect((await workspace('before the backup')).status).toBe(201);

        // An instance admin (made by the operator: `npm run stack -- admin create`) asks for a backup; the worker
        // writes it to /backups.
        const operator = { email: 'operator@taskstack.test', password: 'correct horse battery' };
        await createAdmin(new Docker('local'), STACK, operator, log);
        const admin = await api<{ accessToken: string }>(edge, 'POST', '/auth/login', { body: operator });
        expect((await api(edge, 'POST', '/admin/backups', { token: admin.body.accessToken })).status).toBe(
          202,
        );
        await until(
          'a backup file',
          () => {
            const files = docker('exec', containerOf(STACK, 'worker'), 'sh', '-c', 'ls /backups');
            return /\.dump$/m.test(files) ? files : undefined;
          },
          minutes(2),
        );
        expect((await workspace('after the backup')).status).toBe(201);

        const output = await runRunbook('restore-backup.md', env);
        expect(output).toMatch(/restore: done in .* s: taskstack holds/);

        const login = await api<{ accessToken: string }>(edge, 'POST', '/auth/login', { body: credentials });
        const names = await until('the api on the restored database', async () => {
          const reply = await api<{ name: string }[]>(edge, 'GET', '/workspaces', {
            token: login.body.accessToken,
          });
          return reply.status === 200 ? reply.body.map((w) => w.name) : undefined;
        });
        expect(names).toContain('before the backup');
        expect(names).not.toContain('after the backup');
      },
      minutes(6),
    );

    it('the status report shows every service, the backup just taken and the certificate nginx serves', async () => {
      const runner = { run: async (args: string[]) => docker(...args) };
      const edgeTls = { servername: edge.domain, host: '127.0.0.1', port: edge.httpsPort };
      const services = ['api', 'postgres', 'redis', 'worker', 'nginx', 'prometheus', 'alertmanager'];
      // Swarm marks an update completed a moment after its tasks run; the report says "update updating" till then.
      const report = await until('every service healthy in the report', async () => {
        const current = await collectStatusReport(runner, STACK, edgeTls);
        const healthy = current.services.filter((s) => /^healthy/.test(s.health)).map((s) => s.name);
        return services.every((name) => healthy.includes(`${STACK}_${name}`)) ? current : undefined;
      });
      const byName = new Map(report.services.map((s) => [s.name.replace(`${STACK}_`, ''), s]));
      expect(byName.get('api')).toMatchObject({ desired: 3, running: 3, version: TAG });
      expect(Date.now() - report.lastBackup!.getTime()).toBeLessThan(minutes(15));
      expect(report.certificateExpires!.getTime()).toBeGreaterThan(Date.now());
      log(`status report:\n${formatStatusReport(report)}`);
    });
  },
);
