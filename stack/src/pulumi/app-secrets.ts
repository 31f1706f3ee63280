import * as pulumi from '@pulumi/pulumi';
import * as random from '@pulumi/random';

/**
 * The stack's internal secrets (database and Redis passwords, JWT signing key, TOTP and data encryption keys, Grafana's
 * admin password), generated once and kept only in the encrypted Pulumi state. Nobody types them, so nobody can leak
 * them into a stack file.
 */
export class AppSecrets extends pulumi.ComponentResource {
  readonly postgresPassword: pulumi.Output<string>;
  readonly redisPassword: pulumi.Output<string>;
  readonly jwtSecret: pulumi.Output<string>;
  /** Seals two-factor secrets at rest; never rotate it (enrolments would become unreadable). */
  readonly totpEncryptionKey: pulumi.Output<string>;
  /**
   * DATA_ENCRYPTION_KEY of api and worker: seals webhook signing secrets at rest. The `dataEncryptionKeys` config
   * takes its place to rotate it (docs/runbooks/rotate-secret.md).
   */
  readonly dataEncryptionKey: pulumi.Output<string>;
  /** Grafana's `admin` login (used with monitoring on): `pulumi stack output grafanaAdminPassword --show-secrets`. */
  readonly grafanaAdminPassword: pulumi.Output<string>;

  constructor(name: string, opts?: pulumi.ComponentResourceOptions) {
    super('taskstack:app:Secrets', name, {}, opts);
    // Letters and digits only: the values end up inside URLs and config files.
    const password = (key: string, length: number) =>
      new random.RandomPassword(`${name}-${key}`, { length, special: false }, { parent: this }).result;
    this.postgresPassword = pulumi.secret(password('postgres', 32));
    this.redisPassword = pulumi.secret(password('redis', 32));
    this.jwtSecret = pulumi.secret(password('jwt', 48));
    this.totpEncryptionKey = pulumi.secret(password('totp', 48));
    this.dataEncryptionKey = pulumi.secret(password('data-encryption', 48));
    this.grafanaAdminPassword = pulumi.secret(password('grafana', 24));
    this.registerOutputs({});
  }
}
