import * as digitalocean from '@pulumi/digitalocean';
import * as pulumi from '@pulumi/pulumi';

export interface BackupBucketArgs {
  /** Bucket name (globally unique per Spaces region). */
  name: string;
  /** A region with Spaces. */
  region: string;
  /** Key prefix the worker writes backups under; the expiry rule applies only there (uploads live beside it). */
  backupPrefix: string;
  /** Backups older than this are expired by Spaces itself, a backstop behind the worker's own pruning. */
  expireAfterDays: number;
}

/**
 * A private Spaces bucket for backups (and uploads), with lifecycle rules, and an access key limited to this one
 * bucket that the stack's api and worker use.
 */
export class BackupBucket extends pulumi.ComponentResource {
  readonly bucket: digitalocean.SpacesBucket;
  /** `https://<region>.digitaloceanspaces.com`, what S3 clients take as their endpoint. */
  readonly endpoint: string;
  readonly accessKeyId: pulumi.Output<string>;
  readonly secretAccessKey: pulumi.Output<string>;

  constructor(name: string, args: BackupBucketArgs, opts?: pulumi.ComponentResourceOptions) {
    super('taskstack:do:BackupBucket', name, {}, opts);
    this.bucket = new digitalocean.SpacesBucket(
      name,
      {
        name: args.name,
        region: args.region,
        acl: 'private',
        lifecycleRules: [
          {
            enabled: true,
            prefix: args.backupPrefix,
            expiration: { days: args.expireAfterDays },
          },
          // Interrupted multipart uploads (a backup cut off mid-way) would otherwise be billed forever.
          { enabled: true, abortIncompleteMultipartUploadDays: 1 },
        ],
      },
      { parent: this, protect: true },
    );
    const key = new digitalocean.SpacesKey(
      `${name}-key`,
      { name: `${args.name}-rw`, grants: [{ bucket: this.bucket.name, permission: 'readwrite' }] },
      { parent: this, additionalSecretOutputs: ['secretKey'] },
    );
    this.endpoint = `https://${args.region}.digitaloceanspaces.com`;
    this.accessKeyId = key.accessKey;
    this.secretAccessKey = pulumi.secret(key.secretKey);
    this.registerOutputs({ bucket: this.bucket.name });
  }
}
