import * as docker from '@pulumi/docker';
import * as pulumi from '@pulumi/pulumi';
import { parseStackSettings } from '../../definition/settings.js';
import { repoRoot } from '../../deployer/images.js';
import type { StackConfig } from '../config.js';
import type { Infrastructure } from '../infrastructure.js';
import type { RegistryLogin } from '../registry.js';
import type { SshKeys } from '../ssh-keys.js';
import { localAddresses } from './addresses.js';
import { LocalFirewall } from './firewall.js';
import { LocalNodes } from './nodes.js';
import { LocalBucket, LocalRegistry, S3RVER_KEY } from './services.js';

/** Port nginx serves HTTPS on inside the edge node (the stack's host-mode published port). */
const HTTPS_PORT = 443;

/**
 * The stack on this machine (`infrastructure: local`): node containers on their own Docker network in place of
 * droplets, the firewall's rules in each node's iptables, a Docker volume on `dbNode` in place of the block volume,
 * Debian's docker-registry in place of DOCR, s3rver in place of Spaces, and 127.0.0.1:localHttpsPort in place of
 * the reserved IP and DNS (`*.localhost` resolves to loopback). Everything else is the DigitalOcean stacks' code.
 */
export function localInfrastructure(config: StackConfig, keys: SshKeys): Infrastructure {
  const prefix = `tsl-${config.stack}`;
  const addresses = localAddresses(config.localSubnet);
  const network = new docker.Network('network', {
    name: prefix,
    driver: 'bridge',
    ipamConfigs: [{ subnet: config.localSubnet, gateway: addresses.gateway }],
  });
  const image = new docker.Image('node-image', {
    imageName: `${prefix}-node:latest`,
    build: { context: `${repoRoot}stack/images/local-node`, platform: 'linux/amd64' },
    skipPush: true,
  });
  const registry = new LocalRegistry('registry', {
    name: `${prefix}-registry`,
    network,
    address: addresses.registry,
    port: config.localRegistryPort,
  });
  const bucket = new LocalBucket('bucket', {
    name: `${prefix}-s3`,
    network,
    address: addresses.bucket,
    buckets: [config.uploadsBucket, config.backupBucket],
  });

  // The Docker Hub image the stack runs as is (Redis: the definition's default), put into the registry under
  // library/, where the nodes' dockerd looks first (its registry mirror): no Hub is reachable from here. Postgres is
  // one of our images (the official one plus pgBackRest), built and pushed like the others.
  const { redis } = parseStackSettings({
    domain: 'mirror.invalid',
    acmeEmail: config.acmeEmail,
    imageTag: 'defaults',
  }).images;
  const registryServer = `127.0.0.1:${config.localRegistryPort}`;
  const mirrored = [redis].map((source) => {
    const tagged = new docker.Tag(`mirror-${source.split(':')[0]}`, {
      sourceImage: source,
      targetImage: `${registryServer}/library/${source}`,
    });
    return new docker.RegistryImage(
      `mirror-${source.split(':')[0]}`,
      { name: tagged.targetImage, keepRemotely: false },
      { dependsOn: [registry] },
    );
  });

  const plan = [
    ...Array.from({ length: config.managers }, (_, i) => ({
      id: `manager-${i + 1}`,
      role: 'manager' as const,
    })),
    ...Array.from({ length: config.workers }, (_, i) => ({ id: `worker-${i + 1}`, role: 'worker' as const })),
  ].map((node) => ({ ...node, address: addresses.node(node.id) }));
  const nodes = new LocalNodes(
    'nodes',
    {
      prefix,
      network,
      image: image.imageName,
      plan,
      dbNode: config.dbNode,
      published: [{ internal: HTTPS_PORT, external: config.localHttpsPort }],
      publicKey: keys.publicKey,
      authorizedKeys: keys.authorizedKeys,
      privateKey: keys.privateKey,
      registryEnv: `LISTEN_PORT=${config.localRegistryPort}\nUPSTREAM=${addresses.registry}:5000\nMIRROR=http://${registryServer}\n`,
    },
    { dependsOn: [registry, bucket, ...mirrored] },
  );
  const firewall = new LocalFirewall('firewall', {
    nodes: nodes.nodes,
    nodeAddresses: plan.map((node) => node.address),
    adminCidrs: config.adminCidrs,
    privateKey: keys.privateKey,
  });

  // The registry takes any login (loopback, plain HTTP); the deployer still logs in as it does against DOCR.
  const login: RegistryLogin = {
    server: registryServer,
    // Derived from the registry container so that pushes (Images) wait until the registry runs.
    username: registry.container.id.apply(() => 'taskstack'),
    password: pulumi.secret('local-registry-no-auth'),
  };
  const hostname = config.subdomain === '@' ? config.domain : `${config.subdomain}.${config.domain}`;
  return {
    nodes: nodes.nodes,
    prepare: Object.fromEntries(Object.entries(firewall.applied).map(([id, step]) => [id, [step]])),
    hostname,
    url: `https://${hostname}:${config.localHttpsPort}`,
    publicIp: pulumi.output('127.0.0.1'),
    acme: false,
    registry: { prefix: `${login.server}/`, push: login, pull: login },
    objectStore: { endpoint: bucket.endpoint, region: 'us-east-1', forcePathStyle: true },
    // s3rver takes one key for every bucket: the split of keys is DigitalOcean's (Spaces keys per bucket).
    uploads: {
      name: pulumi.output(config.uploadsBucket),
      accessKeyId: pulumi.output(S3RVER_KEY),
      secretAccessKey: pulumi.secret(S3RVER_KEY),
    },
    backups: {
      name: pulumi.output(config.backupBucket),
      accessKeyId: pulumi.output(S3RVER_KEY),
      secretAccessKey: pulumi.secret(S3RVER_KEY),
    },
  };
}
