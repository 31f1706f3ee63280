import * as docker from '@pulumi/docker';
import * as pulumi from '@pulumi/pulumi';
import { repoRoot } from '../../deployer/images.js';

export interface LocalServiceArgs {
  /** Container name. */
  name: string;
  network: docker.Network;
  /** Its fixed address on the stack's network. */
  address: string;
}

/** Where Debian's docker-registry package installs the registry (scripts/setup.sh installs it). */
const REGISTRY_BINARY = '/usr/bin/docker-registry';
const REGISTRY_CONFIG = `version: 0.1
storage:
  filesystem:
    rootdirectory: /var/lib/docker-registry
http:
  addr: :5000
`;

/**
 * The local counterpart of DOCR: Debian's docker-registry on the stack's network, published on 127.0.0.1 so this
 * machine pushes to `127.0.0.1:PORT/…` and every node pulls the same name through its loopback forward. Plain HTTP
 * and no login: Docker allows that only for loopback registries, which is why both sides see it on loopback.
 */
export class LocalRegistry extends pulumi.ComponentResource {
  readonly container: docker.Container;

  constructor(
    name: string,
    args: LocalServiceArgs & { port: number },
    opts?: pulumi.ComponentResourceOptions,
  ) {
    super('taskstack:local:Registry', name, {}, opts);
    this.container = new docker.Container(
      name,
      {
        name: args.name,
        image: 'debian:trixie-slim',
        command: [REGISTRY_BINARY, 'serve', '/etc/docker/registry/config.yml'],
        volumes: [{ hostPath: REGISTRY_BINARY, containerPath: REGISTRY_BINARY, readOnly: true }],
        uploads: [{ file: '/etc/docker/registry/config.yml', content: REGISTRY_CONFIG }],
        networksAdvanced: [{ name: args.network.name, ipv4Address: args.address }],
        ports: [{ internal: 5000, external: args.port, ip: '127.0.0.1', protocol: 'tcp' }],
        mustRun: true,
      },
      { parent: this },
    );
    this.registerOutputs({});
  }
}

/** s3rver's fixed credentials (it accepts no others). */
export const S3RVER_KEY = 'S3RVER';
const S3_PORT = 9000;

/**
 * The local counterpart of the Spaces bucket: s3rver (the S3-compatible server the repository's tests use, from
 * @taskstack/devservices) in a Node container on the stack's network, with the stack's buckets.
 */
export class LocalBucket extends pulumi.ComponentResource {
  readonly container: docker.Container;
  readonly endpoint: string;

  constructor(
    name: string,
    args: LocalServiceArgs & { buckets: string[] },
    opts?: pulumi.ComponentResourceOptions,
  ) {
    super('taskstack:local:Bucket', name, {}, opts);
    this.container = new docker.Container(
      name,
      {
        name: args.name,
        image: 'node:24-trixie-slim',
        command: ['node', '/repo/stack/src/pulumi/local/s3-server.mjs', String(S3_PORT), ...args.buckets],
        // The repository read-only, for s3rver and its dependencies in node_modules.
        volumes: [{ hostPath: repoRoot.replace(/\/$/, ''), containerPath: '/repo', readOnly: true }],
        networksAdvanced: [{ name: args.network.name, ipv4Address: args.address }],
        mustRun: true,
      },
      { parent: this },
    );
    this.endpoint = `http://${args.address}:${S3_PORT}`;
    this.registerOutputs({ endpoint: this.endpoint });
  }
}
