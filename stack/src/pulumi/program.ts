import * as pulumi from '@pulumi/pulumi';
import { gitImageTag } from '../deployer/images.js';
import { AppSecrets } from './app-secrets.js';
import { loadStackConfig, type StackConfig } from './config.js';
import { Deployment } from './deploy.js';
import { digitalOceanInfrastructure } from './digitalocean.js';
import { Images } from './images.js';
import { nodeById } from './infrastructure.js';
import { localInfrastructure } from './local/infrastructure.js';
import { ApiTls, MonitoringTls, PostgresTls, RedisTls } from './server-tls.js';
import { SshKeys } from './ssh-keys.js';
import { stackSettingsFor } from './stack-settings.js';
import { Swarm } from './swarm.js';

/** What `pulumi stack output` shows an operator. */
export interface StackOutputs {
  url: string;
  publicIp: pulumi.Output<string>;
  nodes: pulumi.Output<Record<string, string>>;
  ssh: pulumi.Output<string>;
  uploadsBucket: pulumi.Output<string>;
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
 * constructed); everything after is derived from it. Only the infrastructure differs between DigitalOcean and the
 * `local` stack; the swarm, the images, the secrets and the deployment are the same code for both.
 */
export function taskstack(config: StackConfig = loadStackConfig()): Taskstack {
  const keys = new SshKeys('ssh', { adminKeys: config.adminSshKeys });
  const privateKey = keys.privateKey;
  const infra =
    config.infrastructure === 'local'
      ? localInfrastructure(config, keys)
      : digitalOceanInfrastructure(config, keys);
  const imageTag = config.imageTag ?? gitImageTag();
  const settings = stackSettingsFor(config, {
    hostname: infra.hostname,
    registryPrefix: infra.registry.prefix,
    imageTag,
    acme: infra.acme,
    objectStore: infra.objectStore,
  });

  const labels: Record<string, string[]> = {};
  const label = (id: string, key: string) => (labels[id] ??= []).push(`${key}=true`);
  label(config.dbNode, settings.placement.statefulLabel);
  // nginx publishes 80/443 in host mode on manager-1, where the public address points.
  label(nodeById(infra.nodes, 'manager-1').id, settings.placement.edgeLabel);
  const swarm = new Swarm('swarm', { nodes: infra.nodes, privateKey, labels, prepare: infra.prepare });

  const images = new Images('images', { settings, login: infra.registry.push });
  const secrets = new AppSecrets('secrets');
  const postgresTls = new PostgresTls('postgres-tls');
  const redisTls = new RedisTls('redis-tls');
  const apiTls = new ApiTls('api-tls');
  // Made whether or not monitoring is on, like Grafana's password: the deployer gives them out only with it on.
  const monitoringTls = new MonitoringTls('monitoring-tls');
  const deployment = new Deployment(
    'deploy',
    {
      settings,
      host: swarm.leader.host,
      hostKey: swarm.leader.hostKey,
      privateKey,
      registry: infra.registry.pull,
      imageDigests: images.digests,
      secrets: {
        postgresPassword: secrets.postgresPassword,
        postgresCaCertificate: postgresTls.caCertificate,
        postgresServerCertificate: postgresTls.serverCertificate,
        postgresServerKey: postgresTls.serverKey,
        redisPassword: secrets.redisPassword,
        redisCaCertificate: redisTls.caCertificate,
        redisServerCertificate: redisTls.serverCertificate,
        redisServerKey: redisTls.serverKey,
        apiCaCertificate: apiTls.caCertificate,
        apiServerCertificate: apiTls.serverCertificate,
        apiServerKey: apiTls.serverKey,
        monitoringTls: monitoringTls.tls,
        jwtSecret: secrets.jwtSecret,
        totpEncryptionKey: secrets.totpEncryptionKey,
        dataEncryptionKey: config.dataEncryptionKeys ?? secrets.dataEncryptionKey,
        grafanaAdminPassword: secrets.grafanaAdminPassword,
        smtpUrl: config.smtpUrl,
        oidcClientSecret: config.oidcClientSecret ?? '',
        s3AccessKeyId: infra.uploads.accessKeyId,
        s3SecretAccessKey: infra.uploads.secretAccessKey,
        backupS3AccessKeyId: infra.backups.accessKeyId,
        backupS3SecretAccessKey: infra.backups.secretAccessKey,
      },
    },
    { dependsOn: swarm.members },
  );

  return {
    url: infra.url,
    publicIp: infra.publicIp,
    nodes: pulumi
      .all(infra.nodes.map((n) => n.host))
      .apply((ips) => Object.fromEntries(infra.nodes.map((n, i) => [n.hostname, ips[i]!]))),
    ssh: pulumi.interpolate`ssh deploy@${swarm.leader.host}`,
    uploadsBucket: infra.uploads.name,
    backupBucket: infra.backups.name,
    backupEndpoint: infra.objectStore.endpoint,
    imageTag,
    ...(settings.monitoring && {
      grafana: { url: `${infra.url}/grafana/`, adminPassword: secrets.grafanaAdminPassword },
    }),
    deployment,
  };
}
