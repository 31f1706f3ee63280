/**
 * The shell Pulumi runs on the droplets to form the swarm (init, join, labels, leave), run for real: two containers,
 * each a Debian "node" with its own dockerd, the scripts composed exactly as the program composes them.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBaseImages, repoRoot } from '../../src/deployer/images.js';
import { script, type ScriptName } from '../../src/pulumi/remote.js';
import { valueOf } from './harness.js';

const IMAGE = 'taskstack/swarm-node:test';
const id = randomBytes(3).toString('hex');
const nodes = [`tsn-${id}-1`, `tsn-${id}-2`] as const;
const network = `tsn-${id}`;

const engine = spawnSync('docker', ['info', '--format', '{{.ServerVersion}}'], {
  encoding: 'utf8',
  timeout: 20_000,
});
const skipReason = engine.status === 0 ? undefined : 'no Docker engine reachable';

const docker = (...args: string[]) =>
  execFileSync('docker', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();

/** Runs a remote script on a node the way the command provider does: the composed text through a shell. */
async function run(node: string, name: ScriptName, vars: Record<string, string>, stdin = '') {
  const text = await valueOf(script(name, vars));
  const result = spawnSync('docker', ['exec', '-i', node, 'sh', '-c', text], {
    input: stdin,
    encoding: 'utf8',
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const inNode = (node: string, ...args: string[]) => docker('exec', node, 'docker', ...args);

describe.skipIf(skipReason)(
  `swarm scripts on real engines${skipReason ? ` (skipped: ${skipReason})` : ''}`,
  () => {
    const address: Record<string, string> = {};

    beforeAll(async () => {
      // Only Debian is needed; the shared builder makes it (and the other bases) when this machine has none.
      if (spawnSync('docker', ['image', 'inspect', 'debian:trixie-slim']).status !== 0) ensureBaseImages();
      const here = `${repoRoot}stack/test/pulumi`;
      docker('build', '-q', '-t', IMAGE, '-f', `${here}/swarm-node.Dockerfile`, here);
      docker('network', 'create', network);
      for (const node of nodes) {
        // The options the architecture notes give for a dockerd inside a container (no --privileged here).
        docker(
          ...['run', '-d', '--name', node, '--hostname', node, '--network', network],
          ...['--cap-add', 'ALL', '--cap-drop', 'SYS_RESOURCE', '--security-opt', 'seccomp=unconfined'],
          ...['--security-opt', 'apparmor=unconfined', '--security-opt', 'systempaths=unconfined'],
          ...['--cgroupns', 'host', '-v', '/sys/fs/cgroup:/sys/fs/cgroup:rw'],
          ...[
            '--tmpfs',
            '/run',
            '--tmpfs',
            '/var/lib/docker:exec',
            IMAGE,
            'dockerd',
            '--storage-driver',
            'vfs',
          ],
        );
      }
      for (const node of nodes) {
        const deadline = Date.now() + 60_000;
        while (spawnSync('docker', ['exec', node, 'docker', 'info'], { timeout: 5000 }).status !== 0) {
          if (Date.now() > deadline) throw new Error(`dockerd in ${node} did not start`);
          await new Promise((resolve) => setTimeout(resolve, 500));
        }
        address[node] = docker('exec', node, 'hostname', '-i').split(' ')[0]!;
      }
    }, 600_000);

    afterAll(() => {
      for (const node of nodes) spawnSync('docker', ['rm', '-f', node]);
      spawnSync('docker', ['network', 'rm', network]);
    });

    it('initialises once, joins with the token from stdin, labels, unlabels and leaves', async () => {
      const [leader, other] = nodes;
      const init = await run(leader, 'swarm-init', { ADVERTISE_ADDR: address[leader]! });
      expect(init.status, init.stderr).toBe(0);
      const [managerToken, workerToken, ...rest] = init.stdout.trim().split('\n');
      expect(managerToken).toMatch(/^SWMTKN-1-/);
      expect(workerToken).toMatch(/^SWMTKN-1-/);
      expect(rest).toEqual([]);
      // A rerun (Pulumi retrying) changes nothing and prints the same tokens.
      expect((await run(leader, 'swarm-init', { ADVERTISE_ADDR: address[leader]! })).stdout).toBe(
        init.stdout,
      );

      const joinVars = { ADVERTISE_ADDR: address[other]!, MANAGER_ADDR: address[leader]! };
      // Without a newline, as Pulumi sends it (stdin: the token output as is).
      const join = await run(other, 'swarm-join', joinVars, workerToken);
      expect(join.status, join.stderr).toBe(0);
      expect((await run(other, 'swarm-join', joinVars, `${workerToken}\n`)).status).toBe(0);
      expect(
        inNode(leader, 'node', 'ls', '--format', '{{.Hostname}} {{.Status}}').split('\n').sort(),
      ).toEqual([`${leader} Ready`, `${other} Ready`]);

      const labelVars = { NODE: other, LABELS: 'taskstack.stateful=true' };
      expect((await run(leader, 'label-node', labelVars)).status).toBe(0);
      const labels = () =>
        JSON.parse(inNode(leader, 'node', 'inspect', other, '--format', '{{json .Spec.Labels}}'));
      expect(labels()).toEqual({ 'taskstack.stateful': 'true' });
      expect((await run(leader, 'unlabel-node', labelVars)).status).toBe(0);
      expect(labels()).toEqual({});

      expect((await run(other, 'swarm-leave', {})).status).toBe(0);
      expect(inNode(other, 'info', '--format', '{{.Swarm.LocalNodeState}}')).toBe('inactive');
    }, 120_000);

    it('refuses to join without the variables it needs', async () => {
      const join = await run(nodes[1], 'swarm-join', { MANAGER_ADDR: '10.0.0.1' }, 'token\n');
      expect(join.status).not.toBe(0);
      expect(join.stderr).toContain('ADVERTISE_ADDR');
    });
  },
);
