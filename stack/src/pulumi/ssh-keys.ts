import * as pulumi from '@pulumi/pulumi';
import * as tls from '@pulumi/tls';

export interface SshKeysArgs {
  /** Admins' OpenSSH public keys; they can log in as the deploy user on every node. */
  adminKeys: string[];
}

/**
 * The SSH keys of a stack. Pulumi generates its own key (private half only in the encrypted state); the
 * infrastructure puts it on each node at first boot. Admin keys are installed over SSH by the first step on each
 * node instead, which makes them changeable without replacing a machine (and DigitalOcean refuses the same public
 * key twice in an account, while staging and prod share admins).
 */
export class SshKeys extends pulumi.ComponentResource {
  /** Pulumi's public key (OpenSSH format), for a node's first boot. */
  readonly publicKey: pulumi.Output<string>;
  /** The deploy user's authorized_keys content (admins + Pulumi). */
  readonly authorizedKeys: pulumi.Output<string>;
  /** Pulumi's private key (OpenSSH format), a secret. */
  readonly privateKey: pulumi.Output<string>;

  constructor(name: string, args: SshKeysArgs, opts?: pulumi.ComponentResourceOptions) {
    super('taskstack:do:SshKeys', name, {}, opts);
    const deployKey = new tls.PrivateKey(`${name}-pulumi`, { algorithm: 'ED25519' }, { parent: this });
    this.publicKey = deployKey.publicKeyOpenssh;
    this.authorizedKeys = deployKey.publicKeyOpenssh.apply(
      (pulumiKey) => [...args.adminKeys, pulumiKey].map((line) => line.trim()).join('\n') + '\n',
    );
    this.privateKey = pulumi.secret(deployKey.privateKeyOpenssh);
    this.registerOutputs({ publicKey: this.publicKey });
  }
}
