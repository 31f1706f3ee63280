import { createHash } from 'node:crypto';
import * as command from '@pulumi/command';
import * as pulumi from '@pulumi/pulumi';
import { renderStack } from '../definition/render.js';
import type { StackSettings } from '../definition/settings.js';
import { repoRoot } from '../deployer/images.js';
import { withSecretVersions, type SecretInputs } from '../deployer/secrets.js';
import type { RemoteDeployRequest } from './deploy-remote.js';
import type { RegistryLogin } from './registry.js';
import { DEPLOY_USER } from './remote.js';

// Each value a string, but the monitoring servers' TLS: one object (a CA and every server's certificate and key).
type Secret<T> = { [K in keyof T]-?: pulumi.Input<NonNullable<T[K]>> };

export interface DeploymentArgs {
  /** The stack settings derived from the Pulumi config. */
  settings: StackSettings;
  /** Public address of the swarm manager the deployer talks to. */
  host: pulumi.Input<string>;
  /** That node's SSH host key, pinned for the deployer's SSH connection. */
  hostKey: pulumi.Input<string>;
  /** Pulumi's private key for that SSH hop. */
  privateKey: pulumi.Input<string>;
  /** The login the nodes pull our images with. */
  registry: RegistryLogin;
  /** Pushed image digests; a new digest redeploys even under an unchanged tag. */
  imageDigests: Record<string, pulumi.Input<string>>;
  /** Every secret value of the stack (Pulumi secrets). */
  secrets: Secret<SecretInputs>;
}

/**
 * The compose file the deployer renders on a first deploy of these settings with these secrets: the deployer names
 * each Docker secret by a hash of its value (see deployer/secrets.ts), and the file refers to those names.
 */
export function deployedStackFile(settings: StackSettings, secrets: SecretInputs): string {
  return renderStack(withSecretVersions(settings, secrets).settings);
}

/**
 * Runs the stack's deployer — the same `deploy()` the local e2e test runs — from this machine against the swarm
 * manager over SSH (stack/src/pulumi/deploy-remote.ts). It reruns when the stack file, a secret or an image digest
 * changes. The request, secrets included, reaches the deployer on stdin and is stored only encrypted.
 */
export class Deployment extends pulumi.ComponentResource {
  /** The compose file the deployer is given (a secret: it names secrets by hashes of their values). */
  readonly stackFile: pulumi.Output<string>;
  readonly command: command.local.Command;

  constructor(name: string, args: DeploymentArgs, opts?: pulumi.ComponentResourceOptions) {
    super('taskstack:do:Deployment', name, {}, opts);
    const secrets = pulumi.output(args.secrets).apply((values): SecretInputs => ({ ...values }));
    this.stackFile = pulumi.secret(secrets.apply((values) => deployedStackFile(args.settings, values)));
    const { server, username, password } = args.registry;
    const request = pulumi
      .all([args.host, args.hostKey, args.privateKey, username, password, secrets])
      .apply(([host, hostKey, privateKey, user, pass, values]): RemoteDeployRequest => ({
        user: DEPLOY_USER,
        host,
        hostKey,
        privateKey,
        registry: { server, username: user, password: pass },
        settings: args.settings,
        secrets: values as RemoteDeployRequest['secrets'],
      }));
    this.command = new command.local.Command(
      name,
      {
        dir: repoRoot,
        create: 'node --conditions=@taskstack/source --import tsx stack/src/pulumi/deploy-main.ts',
        stdin: pulumi.secret(request.apply((r) => JSON.stringify(r))),
        triggers: [
          this.stackFile.apply((file) => createHash('sha256').update(file).digest('hex')),
          args.imageDigests,
        ],
      },
      // The deployer's output (service names, hashes of secrets, on failure a service's last log lines) is kept in
      // the state only encrypted.
      { parent: this, additionalSecretOutputs: ['stdout', 'stderr'] },
    );
    this.registerOutputs({});
  }
}
