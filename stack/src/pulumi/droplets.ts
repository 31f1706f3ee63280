import { readFileSync } from 'node:fs';
import * as command from '@pulumi/command';
import * as digitalocean from '@pulumi/digitalocean';
import * as pulumi from '@pulumi/pulumi';
import type { NodeRole, StackNode } from './infrastructure.js';
import { connection, script } from './remote.js';

/** The one cloud-config every node boots with (see the file's header for why it never varies). */
export const userDataPath = new URL('../../cloud-init/user-data.yaml', import.meta.url);

export interface NodeGroup {
  /** How many droplets of this role. */
  count: number;
  /** Droplet size slug, e.g. `s-2vcpu-4gb`. */
  size: string;
}

export interface DropletsArgs {
  /** Prefix of droplet, VPC and tag names, e.g. `taskstack-prod`. */
  prefix: string;
  /** DigitalOcean region slug. */
  region: string;
  /** Base image slug (Debian 12: the engine matches the local swarm tests). */
  image: string;
  managers: NodeGroup;
  workers: NodeGroup;
  /** Fingerprints of the keys DigitalOcean puts on each droplet at first boot. */
  sshKeyFingerprints: pulumi.Input<string[]>;
  /** The deploy user's authorized_keys, kept current over SSH. */
  authorizedKeys: pulumi.Input<string>;
  /** Pulumi's own private key for the SSH steps. */
  privateKey: pulumi.Input<string>;
}

/** A node that is a droplet (the data volume and the reserved IP attach to it). */
export interface DropletNode extends StackNode {
  droplet: digitalocean.Droplet;
}

/**
 * The stack's droplets in their own VPC, all with the same user-data, tagged so the firewall applies to exactly
 * them. Settings that DigitalOcean can only apply by replacing a droplet (keys, image, user-data) are ignored
 * after creation, so a config change never destroys a node; keys are maintained over SSH instead.
 */
export class Droplets extends pulumi.ComponentResource {
  readonly vpc: digitalocean.Vpc;
  /** Tag on every node of this stack; the firewall and swarm-port rules select by it. */
  readonly clusterTag: digitalocean.Tag;
  readonly nodes: DropletNode[];

  constructor(name: string, args: DropletsArgs, opts?: pulumi.ComponentResourceOptions) {
    super('taskstack:do:Droplets', name, {}, opts);
    const userData = readFileSync(userDataPath, 'utf8');
    this.vpc = new digitalocean.Vpc(
      `${name}-vpc`,
      { name: `${args.prefix}-vpc`, region: args.region },
      { parent: this },
    );
    this.clusterTag = new digitalocean.Tag(`${name}-cluster`, { name: args.prefix }, { parent: this });
    const roleTags = {
      manager: new digitalocean.Tag(`${name}-manager`, { name: `${args.prefix}-manager` }, { parent: this }),
      worker: new digitalocean.Tag(`${name}-worker`, { name: `${args.prefix}-worker` }, { parent: this }),
    };
    const plan: [NodeRole, NodeGroup][] = [
      ['manager', args.managers],
      ['worker', args.workers],
    ];
    this.nodes = plan.flatMap(([role, group]) =>
      Array.from({ length: group.count }, (_, i) => {
        const id = `${role}-${i + 1}`;
        const hostname = `${args.prefix}-${id}`;
        const droplet = new digitalocean.Droplet(
          `${name}-${id}`,
          {
            name: hostname,
            region: args.region,
            size: group.size,
            image: args.image,
            vpcUuid: this.vpc.id,
            tags: [this.clusterTag.name, roleTags[role].name],
            sshKeys: args.sshKeyFingerprints,
            userData,
            monitoring: true,
            ipv6: true,
          },
          { parent: this, ignoreChanges: ['sshKeys', 'image', 'userData'] },
        );
        const ready = new command.remote.Command(
          `${name}-${id}-ready`,
          {
            connection: connection(droplet.ipv4Address, args.privateKey),
            create: script('node-ready'),
            stdin: args.authorizedKeys,
          },
          { parent: this },
        );
        const hostKey = ready.stdout.apply((out) => out.trim().split('\n').pop() ?? '');
        return {
          id,
          role,
          hostname,
          droplet,
          host: droplet.ipv4Address,
          privateAddress: droplet.ipv4AddressPrivate,
          ready,
          hostKey,
        };
      }),
    );
    this.registerOutputs({ nodes: this.nodes.map((node) => node.droplet.urn) });
  }
}
