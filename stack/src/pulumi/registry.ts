import * as digitalocean from '@pulumi/digitalocean';
import * as pulumi from '@pulumi/pulumi';

export type RegistryArgs =
  | {
      kind: 'docr';
      /** Name of the DigitalOcean Container Registry (one per account, shared by the stacks). */
      name: string;
      /** Create the registry here (true on exactly one stack), or use one that exists. */
      create: boolean;
      region: string;
    }
  | {
      kind: 'ghcr';
      /** GitHub user or organisation owning the packages. */
      owner: string;
      username: string;
      /** A token with write:packages (and read:packages for the nodes), a Pulumi secret. */
      token: pulumi.Output<string>;
    };

/** Login for a registry: what `docker login` takes. */
export interface RegistryLogin {
  server: string;
  username: pulumi.Output<string>;
  password: pulumi.Output<string>;
}

const DOCR_SERVER = 'registry.digitalocean.com';

/** Reads the user and password out of a docker config.json (`auths[server].auth` is base64 `user:password`). */
export function loginFromDockerConfig(
  dockerConfig: string,
  server: string,
): { username: string; password: string } {
  const auth = (JSON.parse(dockerConfig) as { auths?: Record<string, { auth?: string }> }).auths?.[server]
    ?.auth;
  const decoded = Buffer.from(auth ?? '', 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (!auth || colon < 1) throw new Error(`the registry credentials hold no login for ${server}`);
  return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/**
 * Where the stack's images are pushed and pulled from: DOCR (credentials minted by DigitalOcean for this stack: a
 * read-write pair for pushing from this machine, a read-only pair the nodes pull with) or GHCR (one token the
 * operator set as a secret).
 */
export class Registry extends pulumi.ComponentResource {
  /** Image name prefix with trailing slash, as the stack settings take it (`registry.digitalocean.com/acme/`). */
  readonly prefix: string;
  /** Login that may push (used by the image builds on this machine). */
  readonly push: RegistryLogin;
  /** Login that may only pull (handed to the swarm with the deploy). */
  readonly pull: RegistryLogin;

  constructor(name: string, args: RegistryArgs, opts?: pulumi.ComponentResourceOptions) {
    super('taskstack:do:Registry', name, {}, opts);
    if (args.kind === 'ghcr') {
      this.prefix = `ghcr.io/${args.owner}/`;
      this.push = { server: 'ghcr.io', username: pulumi.output(args.username), password: args.token };
      this.pull = this.push;
    } else {
      const registry = args.create
        ? new digitalocean.ContainerRegistry(
            name,
            { name: args.name, subscriptionTierSlug: 'basic', region: args.region },
            { parent: this, protect: true },
          )
        : undefined;
      const login = (suffix: string, write: boolean): RegistryLogin => {
        const credentials = new digitalocean.ContainerRegistryDockerCredentials(
          `${name}-${suffix}`,
          { registryName: registry ? registry.name : args.name, write },
          { parent: this, additionalSecretOutputs: ['dockerCredentials'] },
        );
        const parsed = pulumi.secret(
          credentials.dockerCredentials.apply((c) => loginFromDockerConfig(c, DOCR_SERVER)),
        );
        return {
          server: DOCR_SERVER,
          username: parsed.apply((l) => l.username),
          password: pulumi.secret(parsed.apply((l) => l.password)),
        };
      };
      this.prefix = `${DOCR_SERVER}/${args.name}/`;
      this.push = login('push', true);
      this.pull = login('pull', false);
    }
    this.registerOutputs({ prefix: this.prefix });
  }
}
