import * as digitalocean from '@pulumi/digitalocean';
import * as pulumi from '@pulumi/pulumi';

export interface PrivateBucketArgs {
  /** Bucket name (globally unique per Spaces region). */
  name: string;
  /** A region with Spaces. */
  region: string;
  /** Objects under `prefix` are expired by Spaces itself after `days` (the backups: a backstop behind the worker's own pruning). */
  expire?: { prefix: string; days: number };
}

/**
 * A private Spaces bucket with an access key limited to it alone. The stack has two, each with its own key: uploads
 * (the api and the worker) and backups (the worker only), so whoever takes the api can neither read nor delete the
 * backups.
 */
export class PrivateBucket extends pulumi.ComponentResource {
  readonly bucket: digitalocean.SpacesBucket;
  /** `https://<region>.digitaloceanspaces.com`, what S3 clients take as their endpoint. */
  readonly endpoint: string;
  readonly accessKeyId: pulumi.Output<string>;
  readonly secretAccessKey: pulumi.Output<string>;

  constructor(name: string, args: PrivateBucketArgs, opts?: pulumi.ComponentResourceOptions) {
    super('taskstack:do:PrivateBucket', name, {}, opts);
    this.bucket = new digitalocean.SpacesBucket(
      name,
      {
        name: args.name,
        region: args.region,
        acl: 'private',
        lifecycleRules: [
          ...(args.expire
            ? [{ enabled: true, prefix: args.expire.prefix, expiration: { days: args.expire.days } }]
            : []),
          // Interrupted multipart uploads (a backup or file cut off mid-way) would otherwise be billed forever.
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
