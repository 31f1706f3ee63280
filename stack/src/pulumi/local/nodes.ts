import { readFileSync } from 'node:fs';
import * as command from '@pulumi/command';
import * as docker from '@pulumi/docker';
import * as pulumi from '@pulumi/pulumi';
import { userDataPath } from '../droplets.js';
import type { NodeRole, StackNode } from '../infrastructure.js';
import { connection, script } from '../remote.js';

/** Where the droplets' volume is mounted (stack/src/pulumi/scripts/mount-volume.sh); the local volume goes there. */
export const DATA_MOUNT = '/var/lib/docker/volumes';

export interface LocalNodesArgs {
  /** Prefix of container, network and volume names, e.g. `tsl-local`. */
  prefix: string;
  /** The Docker network the nodes get their own addresses on. */
  network: docker.Network;
  /** The node image (stack/images/local-node). */
  image: pulumi.Input<string>;
  /** Node ids (`manager-1`, `worker-1`, …) with their roles and fixed addresses. */
  plan: { id: string; role: NodeRole; address: string }[];
  /** The node the data volume is mounted on (config `dbNode`). */
  dbNode: string;
  /** Ports of manager-1 (the edge node) published on 127.0.0.1: container port → host port. */
  published: { internal: number; external: number }[];
  /** Pulumi's public key: the NoCloud seed hands it to cloud-init as DigitalOcean's metadata does. */
  publicKey: pulumi.Input<string>;
  /** The deploy user's authorized_keys, installed by the first SSH step as on the droplets. */
  authorizedKeys: pulumi.Input<string>;
  privateKey: pulumi.Input<string>;
  /** Lines of /etc/taskstack-local/registry.env (the node's loopback forward to the stack's registry). */
  registryEnv: pulumi.Input<string>;
}

/** Docker options under which systemd and a nested dockerd run in an unprivileged container (see PULUMI.md). */
const NODE_CONTAINER = {
  capabilities: { adds: ['ALL'], drops: ['SYS_RESOURCE'] },
  securityOpts: ['seccomp=unconfined', 'apparmor=unconfined', 'systempaths=unconfined'],
  cgroupnsMode: 'host',
  tmpfs: { '/run': 'rw', '/var/lib/docker': 'rw,exec' },
};

/**
 * The local stack's machines: one container per node, booted by systemd with the droplets' own cloud-init user-data
 * (NoCloud seed), reached over real SSH with Pulumi's key at its own address, the data volume mounted on `dbNode`
 * where the droplet's block volume is mounted.
 */
export class LocalNodes extends pulumi.ComponentResource {
  readonly nodes: StackNode[];
  /** The data volume (Postgres, Redis, backups); like the droplet's, it outlives the node container. */
  readonly volume: docker.Volume;

  constructor(name: string, args: LocalNodesArgs, opts?: pulumi.ComponentResourceOptions) {
    super('taskstack:local:Nodes', name, {}, opts);
    const userData = readFileSync(userDataPath, 'utf8');
    this.volume = new docker.Volume(`${name}-data`, { name: `${args.prefix}-data` }, { parent: this });
    this.nodes = args.plan.map(({ id, role, address }) => {
      const hostname = `${args.prefix}-${id}`;
      const metaData = pulumi.interpolate`instance-id: ${hostname}\nlocal-hostname: ${hostname}\npublic-keys:\n  - ${args.publicKey}\n`;
      const container = new docker.Container(
        `${name}-${id}`,
        {
          name: hostname,
          hostname,
          image: args.image,
          ...NODE_CONTAINER,
          networksAdvanced: [{ name: args.network.name, ipv4Address: address }],
          volumes: [
            { hostPath: '/sys/fs/cgroup', containerPath: '/sys/fs/cgroup' },
            ...(id === args.dbNode ? [{ volumeName: this.volume.name, containerPath: DATA_MOUNT }] : []),
          ],
          uploads: [
            { file: '/var/lib/cloud/seed/nocloud/user-data', content: userData },
            { file: '/var/lib/cloud/seed/nocloud/meta-data', content: metaData },
            { file: '/etc/taskstack-local/registry.env', content: args.registryEnv },
          ],
          ports:
            id === 'manager-1'
              ? args.published.map((port) => ({ ...port, ip: '127.0.0.1', protocol: 'tcp' }))
              : [],
          // A node stops like a machine shutting down: systemd stops dockerd, which stops its containers.
          stopSignal: 'SIGRTMIN+3',
          destroyGraceSeconds: 30,
          mustRun: true,
        },
        { parent: this },
      );
      const ready = new command.remote.Command(
        `${name}-${id}-ready`,
        {
          connection: connection(address, args.privateKey),
          create: script('node-ready'),
          stdin: args.authorizedKeys,
        },
        { parent: this, dependsOn: [container] },
      );
      const hostKey = ready.stdout.apply((out) => out.trim().split('\n').pop() ?? '');
      const host = container.networksAdvanced.apply(() => address);
      return { id, role, hostname, host, privateAddress: host, ready, hostKey };
    });
    this.registerOutputs({ nodes: this.nodes.map((node) => node.hostname) });
  }
}
