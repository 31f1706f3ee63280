import * as command from '@pulumi/command';
import * as digitalocean from '@pulumi/digitalocean';
import * as pulumi from '@pulumi/pulumi';
import type { DropletNode } from './droplets.js';
import { connection, script } from './remote.js';

export interface DataVolumeArgs {
  /** Volume name in the account (also its device name on the droplet). */
  name: string;
  region: string;
  sizeGb: number;
  /** The node Postgres (and the stack's other stateful services) are pinned to. */
  node: DropletNode;
  /** Pulumi's private key for the SSH step that mounts the volume. */
  privateKey: pulumi.Input<string>;
}

/**
 * A block-storage volume holding the stateful node's Docker volumes (Postgres data above all). It is protected
 * (`pulumi destroy` refuses until it is unprotected) and independent of the droplet: replacing the droplet
 * re-attaches the same disk.
 */
export class DataVolume extends pulumi.ComponentResource {
  readonly volume: digitalocean.Volume;
  readonly attachment: digitalocean.VolumeAttachment;
  /** The mount step; the node must not join the swarm (or run Postgres) before it. */
  readonly mounted: command.remote.Command;

  constructor(name: string, args: DataVolumeArgs, opts?: pulumi.ComponentResourceOptions) {
    super('taskstack:do:DataVolume', name, {}, opts);
    this.volume = new digitalocean.Volume(
      name,
      {
        name: args.name,
        region: args.region,
        size: args.sizeGb,
        initialFilesystemType: 'ext4',
        description: 'taskstack stateful data (Postgres, Redis, backups)',
      },
      { parent: this, protect: true },
    );
    this.attachment = new digitalocean.VolumeAttachment(
      `${name}-attachment`,
      { dropletId: args.node.droplet.id.apply(Number), volumeId: this.volume.id },
      { parent: this },
    );
    this.mounted = new command.remote.Command(
      `${name}-mount`,
      {
        connection: connection(args.node.droplet.ipv4Address, args.privateKey),
        create: script('mount-volume', { VOLUME_NAME: args.name }),
      },
      { parent: this, dependsOn: [this.attachment, args.node.ready] },
    );
    this.registerOutputs({ volumeId: this.volume.id });
  }
}
