import * as digitalocean from '@pulumi/digitalocean';
import * as pulumi from '@pulumi/pulumi';
import * as tls from '@pulumi/tls';

export interface SshKeysArgs {
  /** Prefix of the key's name in the DigitalOcean account, e.g. `taskstack-prod`. */
  prefix: string;
  /** Admins' OpenSSH public keys; they can log in as the deploy user on every node. */
  adminKeys: string[];
}

/**
 * The SSH keys of a stack. Pulumi generates its own key (private half only in the encrypted state) and registers
 * it with DigitalOcean, which installs it at first boot. Admin keys are not registered: DigitalOcean refuses the
 * same public key twice in an account, and staging and prod share admins. Pulumi installs them over SSH instead,
 * which also makes them changeable without replacing a droplet.
 */
export class SshKeys extends pulumi.ComponentResource {
  /** DigitalOcean key fingerprints, for a droplet's first boot. */
  readonly fingerprints: pulumi.Output<string[]>;
  /** The deploy user's authorized_keys content (admins + Pulumi). */
  readonly authorizedKeys: pulumi.Output<string>;
  /** Pulumi's private key (OpenSSH format), a secret. */
  readonly privateKey: pulumi.Output<string>;

  constructor(name: string, args: SshKeysArgs, opts?: pulumi.ComponentResourceOptions) {
    super('taskstack:do:SshKeys', name, {}, opts);
    const deployKey = new tls.PrivateKey(`${name}-pulumi`, { algorithm: 'ED25519' }, { parent: this });
    const registered = new digitalocean.SshKey(
      `${name}-pulumi`,
      { name: `${args.prefix}-pulumi`, publicKey: deployKey.publicKeyOpenssh },
      { parent: this },
    );
    this.fingerprints = pulumi.all([registered.fingerprint]);
    this.authorizedKeys = deployKey.publicKeyOpenssh.apply(
      (pulumiKey) => [...args.adminKeys, pulumiKey].map((line) => line.trim()).join('\n') + '\n',
    );
    this.privateKey = pulumi.secret(deployKey.privateKeyOpenssh);
    this.registerOutputs({ fingerprints: this.fingerprints });
  }
}
