import * as docker from '@pulumi/docker';
import * as pulumi from '@pulumi/pulumi';
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
    bucket: config.backupBucket,
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
      registryEnv: `LISTEN_PORT=${config.localRegistryPort}\nUPSTREAM=${addresses.registry}:5000\n`,
    },
    { dependsOn: [registry, bucket] },
  );
  const firewall = new LocalFirewall('firewall', {
    nodes: nodes.nodes,
    nodeAddresses: plan.map((node) => node.address),
    adminCidrs: config.adminCidrs,
    privateKey: keys.privateKey,
  });

  // The registry takes any login (loopback, plain HTTP); the deployer still logs in as it does against DOCR.
  const login: RegistryLogin = {
    server: `127.0.0.1:${config.localRegistryPort}`,
    username: pulumi.output('taskstack'),
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
    bucket: {
      name: pulumi.output(config.backupBucket),
      endpoint: bucket.endpoint,
      region: 'us-east-1',
      forcePathStyle: true,
      accessKeyId: pulumi.output(S3RVER_KEY),
      secretAccessKey: pulumi.secret(S3RVER_KEY),
    },
  };
}
