import { freePort, SmtpSink } from '@taskstack/devservices';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { renderAlertmanagerConfig } from '@taskstack/stack/definition/monitoring';
import { parseStackSettings } from '@taskstack/stack/definition/settings';

// Debian's prometheus-alertmanager (scripts/setup.sh installs it); the stack's image runs trixie's build of the same.
const ALERTMANAGER = '/usr/bin/prometheus-alertmanager';

const settings = parseStackSettings({
  domain: 'app.example.com',
  acmeEmail: 'ops@example.com',
  imageTag: 't',
  adminEmails: ['ops@example.com'],
  mailFrom: 'taskstack alerts <alerts@example.com>',
  monitoring: true,
});

describe.skipIf(!existsSync(ALERTMANAGER))('Alertmanager with the rendered configuration', () => {
  let sink: SmtpSink;
  let alertmanager: ChildProcess;
  let url: string;
  const dir = mkdtempSync(join(tmpdir(), 'taskstack-alertmanager-'));

  beforeAll(async () => {
    sink = await SmtpSink.start();
    const config = join(dir, 'alertmanager.yml');
    // The rendered configuration with one change: the first notification of a group is sent after 1 s, not 30 s.
    const rendered = parse(renderAlertmanagerConfig(settings, sink.url));
    rendered.route.group_wait = '1s';
    writeFileSync(config, stringify(rendered), { mode: 0o600 });
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    alertmanager = spawn(
      ALERTMANAGER,
      [
        `--config.file=${config}`,
        `--storage.path=${dir}`,
        `--web.listen-address=127.0.0.1:${port}`,
        '--cluster.listen-address=',
      ],
      { stdio: 'ignore' },
    );
    for (let i = 0; i < 100; i++) {
      if (
        await fetch(`${url}/-/ready`).then(
          (r) => r.ok,
          () => false,
        )
      )
        return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error('alertmanager did not become ready');
  });

  afterAll(async () => {
    alertmanager?.kill();
    await sink?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('passes amtool check-config', () => {
    const config = join(dir, 'check.yml');
    writeFileSync(config, renderAlertmanagerConfig(settings, 'smtp://user:secret@smtp.example.com:587'));
    const result = spawnSync('amtool', ['check-config', config], { encoding: 'utf8' });
    expect(result.stdout + result.stderr).toMatch(/SUCCESS/);
    expect(result.status).toBe(0);
  });

  it('delivers a test alert to the admins by email', async () => {
    const alert = [
      {
        labels: { alertname: 'TaskstackTestAlert', severity: 'warning' },
        annotations: { summary: 'a test alert from the monitoring tests' },
      },
    ];
    const response = await fetch(`${url}/api/v2/alerts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(alert),
    });
    expect(response.status).toBe(200);
    const mail = await sink.waitFor((m) => m.subject.includes('TaskstackTestAlert'), 15_000);
    expect(mail.to).toEqual(['ops@example.com']);
    expect(mail.from).toContain('alerts@example.com');
    expect(mail.text + mail.html).toContain('a test alert from the monitoring tests');
  });
});
