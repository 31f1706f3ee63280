import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { userDataPath } from '../../src/pulumi/droplets.js';
import { runStack } from './harness.js';

const dir = mkdtempSync(join(tmpdir(), 'taskstack-cloud-init-'));
const userData = readFileSync(userDataPath, 'utf8');

/** `cloud-init schema` from Debian's cloud-init: exit status and its report. */
function schema(text: string, name: string) {
  const file = join(dir, name);
  writeFileSync(file, text);
  const result = spawnSync('cloud-init', ['schema', '--config-file', file], { encoding: 'utf8' });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

/** shellcheck of one script; returns its findings (empty when clean). */
function shellcheck(script: string, name: string): string {
  const file = join(dir, name);
  writeFileSync(file, script);
  const result = spawnSync('shellcheck', ['--shell=sh', '--severity=style', file], { encoding: 'utf8' });
  return result.status === 0 ? '' : result.stdout;
}

describe('cloud-init user-data', () => {
  it('passes `cloud-init schema`', () => {
    expect(userData.startsWith('#cloud-config\n')).toBe(true);
    const result = schema(userData, 'user-data.yaml');
    expect(result.output).toContain('Valid cloud-config');
    expect(result.status).toBe(0);
  });

  it('is checked for real: a broken variant fails the schema', () => {
    const broken = userData
      .replace('ssh_pwauth: false', 'ssh_pwauth: sometimes')
      .replace(/size: \d+/, 'size: yes');
    const result = schema(broken, 'broken.yaml');
    expect(result.status).not.toBe(0);
    expect(result.output).toMatch(/ssh_pwauth|swap\.size/);
  });

  it('installs Docker and unattended upgrades, forbids passwords and root over SSH, adds swap and the deploy user', () => {
    const config = parse(userData) as {
      packages: string[];
      ssh_pwauth: boolean;
      users: { name: string; lock_passwd: boolean }[];
      swap: { filename: string; size: number };
      write_files: { path: string; content: string }[];
    };
    expect(config.packages).toEqual(expect.arrayContaining(['docker.io', 'unattended-upgrades']));
    expect(config.ssh_pwauth).toBe(false);
    expect(config.users).toEqual([expect.objectContaining({ name: 'deploy', lock_passwd: true })]);
    expect(config.swap.size).toBeGreaterThan(0);
    const file = (path: string) => config.write_files.find((f) => f.path === path)?.content ?? '';
    const sshd = file('/etc/ssh/sshd_config.d/10-taskstack.conf');
    for (const line of ['PasswordAuthentication no', 'PermitRootLogin no', 'AllowUsers deploy']) {
      expect(sshd).toContain(line);
    }
    expect(file('/etc/apt/apt.conf.d/20auto-upgrades')).toContain('APT::Periodic::Unattended-Upgrade "1";');
    // Joined to the docker group once the package has created it (cloud-init creates users before packages).
    expect(file('/usr/local/sbin/taskstack-first-boot')).toContain('usermod -aG docker deploy');
  });

  it("sets no-new-privileges for every container in the engine's daemon.json (swarm services cannot set it)", () => {
    const config = parse(userData) as { write_files: { path: string; content: string }[] };
    const daemon = config.write_files.find((f) => f.path === '/etc/docker/daemon.json')?.content ?? '{}';
    expect(JSON.parse(daemon)).toMatchObject({ 'no-new-privileges': true });
  });

  it('has shell that passes shellcheck (every script it writes, and its runcmd)', () => {
    const config = parse(userData) as {
      write_files: { path: string; content: string }[];
      runcmd: string[][];
    };
    const scripts = config.write_files.filter((f) => f.content.startsWith('#!/bin/sh'));
    expect(scripts.length).toBeGreaterThan(0);
    for (const script of scripts) expect(shellcheck(script.content, 'first-boot.sh')).toBe('');
    const runcmd = `#!/bin/sh\n${config.runcmd.map((argv) => argv.join(' ')).join('\n')}\n`;
    expect(shellcheck(runcmd, 'runcmd.sh')).toBe('');
  });
});

describe('remote commands', () => {
  it('run exactly shell that passes shellcheck, with their variables filled in', async () => {
    const r = await runStack('prod');
    const commands = r.ofType('command:remote:Command');
    expect(commands.length).toBeGreaterThan(10);
    for (const command of commands) {
      for (const phase of ['create', 'delete'] as const) {
        const script = command.inputs[phase];
        if (typeof script !== 'string') continue;
        expect({ name: `${command.name} ${phase}`, findings: shellcheck(script, 'remote.sh') }).toEqual({
          name: `${command.name} ${phase}`,
          findings: '',
        });
      }
    }
  });

  it('shellcheck is a real check: it flags an unquoted variable', () => {
    expect(shellcheck('#!/bin/sh\nrm $1\n', 'bad.sh')).toContain('SC2086');
    expect(execFileSync('shellcheck', ['--version'], { encoding: 'utf8' })).toContain('ShellCheck');
  });
});
