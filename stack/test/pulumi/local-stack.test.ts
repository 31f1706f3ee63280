import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseStackSettings } from '../../src/definition/settings.js';
import { userDataPath } from '../../src/pulumi/droplets.js';
import { firewallRules } from '../../src/pulumi/local/firewall.js';
import { runStack, valueOf, type Recorded } from './harness.js';

const T = {
  container: 'docker:index/container:Container',
  network: 'docker:index/network:Network',
  volume: 'docker:index/volume:Volume',
  image: 'docker:index/image:Image',
  remote: 'command:remote:Command',
};

const run = () => runStack('local');
const hostOf = (command: Recorded) => (command.inputs.connection as { host: string }).host;
const uploads = (container: Recorded) =>
  Object.fromEntries(
    (container.inputs.uploads as { file: string; content: string }[]).map((u) => [u.file, u.content]),
  );
/** Node containers by name (registration order depends on when their inputs resolve). */
const nodeContainers = (containers: Recorded[]) =>
  containers
    .filter((c) => /-(manager|worker)-\d+$/.test(String(c.inputs.name)))
    .sort((a, b) => String(a.inputs.name).localeCompare(String(b.inputs.name)));

describe('local stack: the production topology as containers on this machine', () => {
  it('creates no DigitalOcean resource, only Docker and SSH steps', async () => {
    const r = await run();
    expect(r.error).toBeUndefined();
    expect(r.resources.filter((x) => x.type.startsWith('digitalocean:'))).toEqual([]);
    expect(r.ofType(T.network).map((n) => n.inputs)).toEqual([
      expect.objectContaining({
        name: 'tsl-local',
        ipamConfigs: [{ subnet: '10.213.7.0/24', gateway: '10.213.7.1' }],
      }),
    ]);
  });

  it('boots three nodes from the node image with the droplets’ own user-data, each at its own address', async () => {
    const r = await run();
    const nodes = nodeContainers(r.ofType(T.container));
    expect(
      nodes.map((n) => [
        n.inputs.name,
        (n.inputs.networksAdvanced as { ipv4Address: string }[])[0]!.ipv4Address,
      ]),
    ).toEqual([
      ['tsl-local-manager-1', '10.213.7.11'],
      ['tsl-local-worker-1', '10.213.7.21'],
      ['tsl-local-worker-2', '10.213.7.22'],
    ]);
    const userData = readFileSync(userDataPath, 'utf8');
    for (const node of nodes) {
      expect(node.inputs.image).toBe('tsl-local-node:latest');
      const files = uploads(node);
      expect(files['/var/lib/cloud/seed/nocloud/user-data']).toBe(userData);
      // Pulumi's key reaches root as DigitalOcean's metadata puts it there; first boot hands it to deploy.
      expect(files['/var/lib/cloud/seed/nocloud/meta-data']).toContain(
        `local-hostname: ${String(node.inputs.name)}\npublic-keys:\n  - ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIMockPulumiDeployKey`,
      );
      expect(node.inputs).toMatchObject({
        capabilities: { adds: ['ALL'], drops: ['SYS_RESOURCE'] },
        securityOpts: ['seccomp=unconfined', 'apparmor=unconfined', 'systempaths=unconfined'],
        cgroupnsMode: 'host',
        tmpfs: { '/run': 'rw', '/var/lib/docker': 'rw,exec' },
      });
      expect(node.inputs.privileged).toBeUndefined();
    }
    // Every SSH step goes to a node's own address, never to the host.
    const hosts = new Set(r.ofType(T.remote).map(hostOf));
    expect([...hosts].sort()).toEqual(['10.213.7.11', '10.213.7.21', '10.213.7.22']);
  });

  it('mounts the data volume on dbNode only, where the droplet’s block volume is mounted', async () => {
    const r = await run();
    const nodes = nodeContainers(r.ofType(T.container));
    const dataMounts = nodes.map((n) =>
      (n.inputs.volumes as { volumeName?: string; containerPath: string }[]).filter((v) => v.volumeName),
    );
    expect(dataMounts).toEqual([
      [],
      [{ volumeName: 'tsl-local-data', containerPath: '/var/lib/docker/volumes' }],
      [],
    ]);
    const mountScript = readFileSync(
      new URL('../../src/pulumi/scripts/mount-volume.sh', import.meta.url),
      'utf8',
    );
    expect(mountScript).toContain('target=/var/lib/docker/volumes');
  });

  it('publishes HTTPS of manager-1 on 127.0.0.1 only, and no other node port', async () => {
    const r = await run();
    const published = nodeContainers(r.ofType(T.container)).map((n) => n.inputs.ports);
    expect(published).toEqual([
      [{ internal: 443, external: 8443, ip: '127.0.0.1', protocol: 'tcp' }],
      [],
      [],
    ]);
    expect(r.outputs.url).toBe('https://app.taskstack.localhost:8443');
    expect(await valueOf(r.outputs.publicIp)).toBe('127.0.0.1');
  });

  it('enforces the cloud firewall’s own rules in every node before it joins the swarm', async () => {
    const r = await run();
    const rules = firewallRules(['10.213.7.11', '10.213.7.21', '10.213.7.22'], ['10.213.7.1/32']);
    const nodeSources = '10.213.7.11/32,10.213.7.21/32,10.213.7.22/32';
    expect(rules.split(' ')).toEqual([
      'tcp:22:10.213.7.1/32',
      'tcp:80:any',
      'tcp:443:any',
      `tcp:2377:${nodeSources}`,
      `tcp:7946:${nodeSources}`,
      `udp:7946:${nodeSources}`,
      `udp:4789:${nodeSources}`,
    ]);
    const steps = r
      .ofType(T.remote)
      .filter((c) => c.name.startsWith('firewall-'))
      .sort((a, b) => a.name.localeCompare(b.name));
    expect(steps.map((s) => [s.name, hostOf(s)])).toEqual([
      ['firewall-manager-1', '10.213.7.11'],
      ['firewall-worker-1', '10.213.7.21'],
      ['firewall-worker-2', '10.213.7.22'],
    ]);
    for (const step of steps) expect(String(step.inputs.create)).toContain(`export RULES='${rules}'`);
  });

  it('forms the swarm, labels and deploys with the same components as DigitalOcean', async () => {
    const r = await run();
    expect(String(r.named('swarm-init').inputs.create)).toContain("ADVERTISE_ADDR='10.213.7.11'");
    for (const worker of ['worker-1', 'worker-2']) {
      const join = r.named(`swarm-join-${worker}`);
      expect(String(join.inputs.create)).toContain("MANAGER_ADDR='10.213.7.11'");
    }
    expect(
      r
        .ofType(T.remote)
        .filter((c) => c.name.startsWith('swarm-label-'))
        .map((c) => c.name)
        .sort(),
    ).toEqual(['swarm-label-manager-1-taskstack.edge', 'swarm-label-worker-1-taskstack.stateful']);
    const images = r.ofType(T.image).map((i) => String(i.inputs.imageName));
    expect(images).toContain('tsl-local-node:latest');
    expect(images.filter((name) => name.startsWith('127.0.0.1:5055/taskstack/'))).toHaveLength(5);
    const stdin = JSON.parse(String(r.named('deploy').inputs.stdin)) as { host: string; settings: unknown };
    expect(stdin.host).toBe('10.213.7.11');
    expect(parseStackSettings(stdin.settings)).toMatchObject({
      domain: 'app.taskstack.localhost',
      acme: { enabled: false },
      images: { registry: '127.0.0.1:5055/' },
      storage: {
        driver: 's3',
        endpoint: 'http://10.213.7.3:9000',
        forcePathStyle: true,
        bucket: 'taskstack-local-uploads',
        backupBucket: 'taskstack-local',
      },
    });
  });

  it('runs the registry and the bucket on the stack network, the registry reachable from this machine on loopback', async () => {
    const r = await run();
    const byName = (name: string) => r.ofType(T.container).find((c) => c.inputs.name === name)!;
    expect(byName('tsl-local-registry').inputs).toMatchObject({
      command: ['/usr/bin/docker-registry', 'serve', '/etc/docker/registry/config.yml'],
      networksAdvanced: [{ ipv4Address: '10.213.7.2' }],
      ports: [{ internal: 5000, external: 5055, ip: '127.0.0.1' }],
    });
    expect(byName('tsl-local-s3').inputs).toMatchObject({
      networksAdvanced: [{ ipv4Address: '10.213.7.3' }],
    });
    // No Docker Hub here: the stack's Redis image goes into the registry, the nodes' mirror (Postgres is ours).
    expect(
      r
        .ofType('docker:index/registryImage:RegistryImage')
        .map((i) => i.inputs.name)
        .sort(),
    ).toEqual(['127.0.0.1:5055/library/redis:8-trixie']);
    for (const node of nodeContainers(r.ofType(T.container))) {
      expect(uploads(node)['/etc/taskstack-local/registry.env']).toBe(
        'LISTEN_PORT=5055\nUPSTREAM=10.213.7.2:5000\nMIRROR=http://127.0.0.1:5055\n',
      );
    }
  });
});

describe('local stack config', () => {
  it('needs no DigitalOcean setting (region, registry name)', async () => {
    const r = await runStack('local');
    expect(r.error).toBeUndefined();
    const file = readFileSync(new URL('../../../Pulumi.local.yaml', import.meta.url), 'utf8');
    expect(file).not.toMatch(/taskstack:(region|registryName):/);
  });
});
