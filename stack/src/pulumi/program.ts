import * as pulumi from '@pulumi/pulumi';
import { gitImageTag } from '../deployer/images.js';
import { AppSecrets } from './app-secrets.js';
import { BackupBucket } from './backups.js';
import { loadStackConfig, type StackConfig } from './config.js';
import { Deployment } from './deploy.js';
import { PublicAddress } from './dns.js';
import { Droplets, type StackNode } from './droplets.js';
import { Firewall } from './firewall.js';
import { Images } from './images.js';
import { Registry } from './registry.js';
import { SshKeys } from './ssh-keys.js';
import { BACKUP_PREFIX, backupExpiryDays, stackSettingsFor } from './stack-settings.js';
import { DataVolume } from './storage.js';
import { Swarm } from './swarm.js';

/** What `pulumi stack output` shows an operator. */
export interface StackOutputs {
  url: string;
  publicIp: pulumi.Output<string>;
  nodes: pulumi.Output<Record<string, string>>;
  ssh: pulumi.Output<string>;
  backupBucket: pulumi.Output<string>;
  backupEndpoint: string;
  imageTag: string;
  /** Grafana at `<url>/grafana/` (user `admin`) when monitoring is on. */
  grafana?: { url: string; adminPassword: pulumi.Output<string> };
}

/** The outputs, and the deployment step (tests compare its stack file with what the deployer renders). */
export interface Taskstack extends StackOutputs {
  deployment: Deployment;
}

/**
 * The whole deployment of one stack. The config is validated first (a bad value throws before anything is
 * constructed); everything after is derived from it.
 */
export function taskstack(config: StackConfig = loadStackConfig()): Taskstack {
  const prefix = `${config.project}-${config.stack}`;
  const region = config.region;

  const keys = new SshKeys('ssh', { prefix, adminKeys: config.adminSshKeys });
  const privateKey = keys.privateKey;
  const droplets = new Droplets('nodes', {
    prefix,
    region,
    image: config.image,
    managers: { count: config.managers, size: config.managerSize },
    workers: { count: config.workers, size: config.workerSize },
    sshKeyFingerprints: keys.fingerprints,
    authorizedKeys: keys.authorizedKeys,
    privateKey,
  });
  const node = (id: string): StackNode => {
    const found = droplets.nodes.find((candidate) => candidate.id === id);
    if (!found) throw new Error(`no node ${id}`);
    return found;
  };
  const dbNode = node(config.dbNode);
  // nginx publishes 80/443 in host mode on the edge node, and the reserved IP points there.
  const edgeNode = node('manager-1');

  new Firewall('firewall', {
    name: prefix,
    clusterTag: droplets.clusterTag.name,
    adminCidrs: config.adminCidrs,
  });
  const address = new PublicAddress('address', {
    region,
    droplet: edgeNode.droplet,
    domain: config.domain,
    subdomain: config.subdomain,
  });
  const backups = new BackupBucket('backups', {
    name: config.backupBucket,
    region: config.spacesRegion,
    backupPrefix: BACKUP_PREFIX,
    expireAfterDays: backupExpiryDays(config),
  });
  const registry = new Registry(
    'registry',
    config.registry === 'ghcr'
      ? {
          kind: 'ghcr',
          owner: config.registryName,
          username: config.ghcrUser ?? '',
          token: config.ghcrToken!,
        }
      : {
          kind: 'docr',
          name: config.registryName,
          create: config.createRegistry,
          region: config.spacesRegion,
        },
  );
  const imageTag = config.imageTag ?? gitImageTag();
  const settings = stackSettingsFor(config, {
    hostname: address.hostname,
    registryPrefix: registry.prefix,
    imageTag,
    s3Endpoint: backups.endpoint,
  });

  const volume = new DataVolume('data', {
    name: `${prefix}-data`,
    region,
    sizeGb: config.dbVolumeGb,
    node: dbNode,
    privateKey,
  });
  const labels: Record<string, string[]> = {};
  const label = (id: string, key: string) => (labels[id] ??= []).push(`${key}=true`);
  label(dbNode.id, settings.placement.statefulLabel);
  label(edgeNode.id, settings.placement.edgeLabel);
  const swarm = new Swarm('swarm', {
    nodes: droplets.nodes,
    privateKey,
    labels,
    prepare: { [dbNode.id]: [volume.mounted] },
  });

  const images = new Images('images', { settings, login: registry.push });
  const secrets = new AppSecrets('secrets');
  const deployment = new Deployment(
    'deploy',
    {
      settings,
      host: swarm.leader.droplet.ipv4Address,
      hostKey: swarm.leader.hostKey,
      privateKey,
      registry: registry.pull,
      imageDigests: images.digests,
      secrets: {
        postgresPassword: secrets.postgresPassword,
        redisPassword: secrets.redisPassword,
        jwtSecret: secrets.jwtSecret,
        grafanaAdminPassword: secrets.grafanaAdminPassword,
        smtpUrl: config.smtpUrl,
        s3AccessKeyId: backups.accessKeyId,
        s3SecretAccessKey: backups.secretAccessKey,
      },
    },
    { dependsOn: swarm.members },
  );

  return {
    url: `https://${address.hostname}`,
    publicIp: address.ip,
    nodes: pulumi
      .all(droplets.nodes.map((n) => n.droplet.ipv4Address))
      .apply((ips) => Object.fromEntries(droplets.nodes.map((n, i) => [n.hostname, ips[i]!]))),
    ssh: pulumi.interpolate`ssh deploy@${swarm.leader.droplet.ipv4Address}`,
    backupBucket: backups.bucket.name,
    backupEndpoint: backups.endpoint,
    imageTag,
    ...(settings.monitoring && {
      grafana: { url: `https://${address.hostname}/grafana/`, adminPassword: secrets.grafanaAdminPassword },
    }),
    deployment,
  };
}
