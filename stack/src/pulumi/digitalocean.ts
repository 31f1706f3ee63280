import * as digitalocean from '@pulumi/digitalocean';
import * as pulumi from '@pulumi/pulumi';
import { PrivateBucket } from './buckets.js';
import type { StackConfig } from './config.js';
import { PublicAddress } from './dns.js';
import { Droplets, type DropletNode } from './droplets.js';
import { Firewall } from './firewall.js';
import type { Infrastructure } from './infrastructure.js';
import { Registry } from './registry.js';
import type { SshKeys } from './ssh-keys.js';
import { BACKUP_PREFIX, backupExpiryDays } from './stack-settings.js';
import { DataVolume } from './storage.js';

/**
 * The stack on DigitalOcean: droplets in a VPC behind a cloud firewall, the data volume on `dbNode`, a reserved IP
 * and an A record on manager-1, Spaces buckets for uploads and backups (a key each) and DOCR (or GHCR).
 */
export function digitalOceanInfrastructure(config: StackConfig, keys: SshKeys): Infrastructure {
  const prefix = `${config.project}-${config.stack}`;
  const region = config.region!;
  // Validation guarantees both on DigitalOcean (a Spaces region: given, or the droplets' when it has Spaces).
  const spacesRegion = config.spacesRegion!;
  const registered = new digitalocean.SshKey('ssh-pulumi', {
    name: `${prefix}-pulumi`,
    publicKey: keys.publicKey,
  });
  const droplets = new Droplets('nodes', {
    prefix,
    region,
    image: config.image,
    managers: { count: config.managers, size: config.managerSize },
    workers: { count: config.workers, size: config.workerSize },
    sshKeyFingerprints: pulumi.all([registered.fingerprint]),
    authorizedKeys: keys.authorizedKeys,
    privateKey: keys.privateKey,
  });
  const node = (id: string): DropletNode => {
    const found = droplets.nodes.find((candidate) => candidate.id === id);
    if (!found) throw new Error(`no node ${id}`);
    return found;
  };
  const dbNode = node(config.dbNode);

  new Firewall('firewall', {
    name: prefix,
    clusterTag: droplets.clusterTag.name,
    adminCidrs: config.adminCidrs,
  });
  // nginx publishes 80/443 in host mode on the edge node (manager-1), and the reserved IP points there.
  const address = new PublicAddress('address', {
    region,
    droplet: node('manager-1').droplet,
    domain: config.domain,
    subdomain: config.subdomain,
  });
  const uploads = new PrivateBucket('uploads', { name: config.uploadsBucket, region: spacesRegion });
  const backups = new PrivateBucket('backups', {
    name: config.backupBucket,
    region: spacesRegion,
    expire: { prefix: BACKUP_PREFIX, days: backupExpiryDays(config) },
  });
  const registry = new Registry(
    'registry',
    config.registry === 'ghcr'
      ? {
          kind: 'ghcr',
          owner: config.registryName!,
          username: config.ghcrUser ?? '',
          token: config.ghcrToken!,
        }
      : {
          kind: 'docr',
          name: config.registryName!,
          create: config.createRegistry,
          region: spacesRegion,
        },
  );
  const volume = new DataVolume('data', {
    name: `${prefix}-data`,
    region,
    sizeGb: config.dbVolumeGb,
    node: dbNode,
    privateKey: keys.privateKey,
  });

  return {
    nodes: droplets.nodes,
    prepare: { [dbNode.id]: [volume.mounted] },
    hostname: address.hostname,
    url: `https://${address.hostname}`,
    publicIp: address.ip,
    acme: true,
    registry,
    objectStore: { endpoint: uploads.endpoint, region: spacesRegion, forcePathStyle: false },
    uploads: {
      name: uploads.bucket.name,
      accessKeyId: uploads.accessKeyId,
      secretAccessKey: uploads.secretAccessKey,
    },
    backups: {
      name: backups.bucket.name,
      accessKeyId: backups.accessKeyId,
      secretAccessKey: backups.secretAccessKey,
    },
  };
}
