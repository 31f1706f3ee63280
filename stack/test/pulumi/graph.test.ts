import { describe, expect, it } from 'vitest';
import type { Taskstack } from '../../src/pulumi/program.js';
import { runStack, valueOf, type Recorded, type StackRun } from './harness.js';

const T = {
  droplet: 'digitalocean:index/droplet:Droplet',
  volume: 'digitalocean:index/volume:Volume',
  attachment: 'digitalocean:index/volumeAttachment:VolumeAttachment',
  reservedIp: 'digitalocean:index/reservedIp:ReservedIp',
  assignment: 'digitalocean:index/reservedIpAssignment:ReservedIpAssignment',
  record: 'digitalocean:index/dnsRecord:DnsRecord',
  bucket: 'digitalocean:index/spacesBucket:SpacesBucket',
  spacesKey: 'digitalocean:index/spacesKey:SpacesKey',
  remote: 'command:remote:Command',
  image: 'docker:index/image:Image',
  sshKey: 'digitalocean:index/sshKey:SshKey',
};

type Run = StackRun<Taskstack>;
const run = (stack: string) => runStack(stack);

/** The id the mocks gave a droplet, as attachments take it (a number). */
const dropletId = (r: Run, name: string) => Number(r.ids.get(name));

const connectionHost = (command: Recorded) => (command.inputs.connection as { host: string }).host;

describe('staging: one droplet', () => {
  it('creates one manager droplet of the configured size, region, image and tags, in the stack VPC', async () => {
    const r = await run('staging');
    expect(r.error).toBeUndefined();
    const droplets = r.ofType(T.droplet);
    expect(droplets.map((d) => d.inputs.name)).toEqual(['taskstack-staging-manager-1']);
    expect(droplets[0]!.inputs).toMatchObject({
      region: 'fra1',
      size: 's-2vcpu-4gb',
      image: 'debian-12-x64',
      tags: ['taskstack-staging', 'taskstack-staging-manager'],
      vpcUuid: 'nodes-vpc-id',
    });
    expect(r.named('nodes-vpc').inputs).toMatchObject({ name: 'taskstack-staging-vpc', region: 'fra1' });
    // A swarm of one: init, no joins.
    expect(r.ofType(T.remote).map((c) => c.name)).toEqual(
      expect.arrayContaining(['swarm-init', 'nodes-manager-1-ready', 'data-mount']),
    );
    expect(r.ofType(T.remote).some((c) => c.name.startsWith('swarm-join'))).toBe(false);
    // Only Pulumi's own key is registered with DigitalOcean (admin keys may already be, from another stack);
    // the admins' keys reach the deploy user over SSH, with Pulumi's.
    expect(r.ofType(T.sshKey).map((k) => k.inputs.name)).toEqual(['taskstack-staging-pulumi']);
    expect(droplets[0]!.inputs.sshKeys).toEqual(['aa:bb:ssh-pulumi']);
    const authorized = String(r.named('nodes-manager-1-ready').inputs.stdin).trim().split('\n');
    expect(authorized).toEqual([
      expect.stringMatching(/^ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIExample.* admin@example.com$/),
      expect.stringMatching(/MockPulumiDeployKey/),
    ]);
  });

  it('puts the data volume, both placement labels and the reserved IP on the single node', async () => {
    const r = await run('staging');
    expect(r.ofType(T.volume)).toHaveLength(1);
    expect(r.named('data').inputs).toMatchObject({ region: 'fra1', size: 10, initialFilesystemType: 'ext4' });
    const managerId = r.ofType(T.droplet)[0]!;
    const attachment = r.ofType(T.attachment)[0]!;
    expect(attachment.inputs.volumeId).toBe('data-id');
    expect(attachment.inputs.dropletId).toBe(dropletId(r, managerId.name));
    const labels = r.ofType(T.remote).filter((c) => c.name.startsWith('swarm-label-'));
    expect(labels.map((c) => c.name).sort()).toEqual([
      'swarm-label-manager-1-taskstack.edge',
      'swarm-label-manager-1-taskstack.stateful',
    ]);
    expect(r.ofType(T.assignment)[0]!.inputs.dropletId).toBe(dropletId(r, managerId.name));
  });

  it('points the DNS A record at the reserved IP and reports URL, IPs, SSH and bucket', async () => {
    const r = await run('staging');
    const reserved = r.ofType(T.reservedIp)[0]!;
    expect(reserved.inputs).toEqual({ region: 'fra1' });
    expect(r.ofType(T.record)).toHaveLength(1);
    expect(r.ofType(T.record)[0]!.inputs).toMatchObject({
      domain: 'example.com',
      type: 'A',
      name: 'staging',
      value: '198.51.100.77',
    });
    expect(r.ofType(T.assignment)[0]!.inputs.ipAddress).toBe('198.51.100.77');
    expect(r.outputs.url).toBe('https://staging.example.com');
    expect(await valueOf(r.outputs.publicIp)).toBe('198.51.100.77');
    const ip = (await valueOf(r.outputs.nodes))['taskstack-staging-manager-1'];
    expect(await valueOf(r.outputs.ssh)).toBe(`ssh deploy@${ip}`);
    expect(await valueOf(r.outputs.backupBucket)).toBe('example-taskstack-staging-backups');
    expect(r.outputs.backupEndpoint).toBe('https://fra1.digitaloceanspaces.com');
  });

  it('creates private buckets for uploads and for backups (expiry covering the retention), a key for each alone', async () => {
    const r = await run('staging');
    const [uploads, backups] = r.ofType(T.bucket);
    expect(uploads!.inputs).toMatchObject({
      name: 'example-taskstack-staging-uploads',
      region: 'fra1',
      acl: 'private',
    });
    expect(uploads!.inputs.lifecycleRules).toEqual([
      { enabled: true, abortIncompleteMultipartUploadDays: 1 },
    ]);
    expect(backups!.inputs).toMatchObject({
      name: 'example-taskstack-staging-backups',
      region: 'fra1',
      acl: 'private',
    });
    // keepMonthly 1 → 31 days kept; Spaces expires a month later.
    expect(backups!.inputs.lifecycleRules).toEqual([
      { enabled: true, prefix: 'backups/', expiration: { days: 62 } },
      { enabled: true, abortIncompleteMultipartUploadDays: 1 },
    ]);
    expect(r.ofType(T.spacesKey).map((key) => key.inputs.grants)).toEqual([
      [{ bucket: 'example-taskstack-staging-uploads', permission: 'readwrite' }],
      [{ bucket: 'example-taskstack-staging-backups', permission: 'readwrite' }],
    ]);
  });

  it('builds and pushes api, worker, nginx, renewer and postgres images tagged with the image tag', async () => {
    const r = await run('staging');
    expect(r.ofType(T.image).map((i) => i.inputs.imageName)).toEqual([
      'registry.digitalocean.com/example-taskstack/taskstack/api:abc123def456',
      'registry.digitalocean.com/example-taskstack/taskstack/worker:abc123def456',
      'registry.digitalocean.com/example-taskstack/taskstack/nginx:abc123def456',
      'registry.digitalocean.com/example-taskstack/taskstack/renewer:abc123def456',
      'registry.digitalocean.com/example-taskstack/taskstack/postgres:abc123def456',
    ]);
    expect(r.named('registry').inputs).toMatchObject({
      name: 'example-taskstack',
      subscriptionTierSlug: 'basic',
    });
  });

  it('never lets a later change replace a droplet or drop the data volume', async () => {
    const r = await run('staging');
    expect(r.options.get('nodes-manager-1')?.ignoreChanges).toEqual(['sshKeys', 'image', 'userData']);
    expect(r.options.get('data')?.protect).toBe(true);
    expect(r.options.get('backups')?.protect).toBe(true);
  });
});

describe('prod: a swarm of 3 managers and 2 workers', () => {
  it('creates the droplets of each role with their sizes and tags', async () => {
    const r = await run('prod');
    expect(r.error).toBeUndefined();
    const droplets = r.ofType(T.droplet).map((d) => d.inputs);
    expect(droplets.map((d) => [d.name, d.size, d.region])).toEqual([
      ['taskstack-prod-manager-1', 's-2vcpu-4gb', 'fra1'],
      ['taskstack-prod-manager-2', 's-2vcpu-4gb', 'fra1'],
      ['taskstack-prod-manager-3', 's-2vcpu-4gb', 'fra1'],
      ['taskstack-prod-worker-1', 's-4vcpu-8gb', 'fra1'],
      ['taskstack-prod-worker-2', 's-4vcpu-8gb', 'fra1'],
    ]);
    for (const d of droplets) expect((d.tags as string[])[0]).toBe('taskstack-prod');
    expect(droplets.filter((d) => (d.tags as string[])[1] === 'taskstack-prod-worker')).toHaveLength(2);
  });

  it('joins every other node to the first manager with the token of its role, over the private network', async () => {
    const r = await run('prod');
    const joins = r.ofType(T.remote).filter((c) => c.name.startsWith('swarm-join-'));
    expect(joins.map((c) => c.name)).toEqual([
      'swarm-join-manager-2',
      'swarm-join-manager-3',
      'swarm-join-worker-1',
      'swarm-join-worker-2',
    ]);
    const nodes = await valueOf(r.outputs.nodes);
    for (const join of joins) {
      const id = join.name.replace('swarm-join-', '');
      expect(connectionHost(join)).toBe(nodes[`taskstack-prod-${id}`]);
      expect(join.inputs.stdin).toBe(
        id.startsWith('manager') ? 'SWMTKN-1-mock-manager-token' : 'SWMTKN-1-mock-worker-token',
      );
      expect(join.inputs.create).toMatch(/export MANAGER_ADDR='10\.20\.0\.\d+'/);
    }
    const init = r.named('swarm-init');
    expect(connectionHost(init)).toBe(nodes['taskstack-prod-manager-1']);
  });

  it('attaches the volume to the db node (worker-1), mounts it there and labels it stateful', async () => {
    const r = await run('prod');
    const worker1 = r.named('nodes-worker-1');
    expect(r.ofType(T.attachment)[0]!.inputs.dropletId).toBe(dropletId(r, worker1.name));
    const nodes = await valueOf(r.outputs.nodes);
    expect(connectionHost(r.named('data-mount'))).toBe(nodes['taskstack-prod-worker-1']);
    expect(r.named('data').inputs).toMatchObject({ size: 100, region: 'fra1' });
    const labels = r.ofType(T.remote).filter((c) => c.name.startsWith('swarm-label-'));
    expect(labels.map((c) => c.name).sort()).toEqual([
      'swarm-label-manager-1-taskstack.edge',
      'swarm-label-worker-1-taskstack.stateful',
    ]);
    expect(r.named('swarm-label-worker-1-taskstack.stateful').inputs.create).toContain(
      "export NODE='taskstack-prod-worker-1'",
    );
    // Labels are set from a manager.
    for (const label of labels) expect(connectionHost(label)).toBe(nodes['taskstack-prod-manager-1']);
  });

  it('points DNS at the reserved IP on the edge node (manager-1)', async () => {
    const r = await run('prod');
    expect(r.ofType(T.record)[0]!.inputs).toMatchObject({ name: 'app', value: '198.51.100.77' });
    expect(r.ofType(T.assignment)[0]!.inputs.dropletId).toBe(dropletId(r, 'nodes-manager-1'));
    expect(r.outputs.url).toBe('https://app.example.com');
  });

  it('uses the registry staging created instead of creating a second one', async () => {
    const r = await run('prod');
    expect(r.ofType('digitalocean:index/containerRegistry:ContainerRegistry')).toHaveLength(0);
    expect(r.named('registry-push').inputs).toMatchObject({ registryName: 'example-taskstack', write: true });
    // The nodes get a login that can only pull.
    expect(r.named('registry-pull').inputs).toMatchObject({
      registryName: 'example-taskstack',
      write: false,
    });
  });
});
