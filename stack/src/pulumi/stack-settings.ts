import { parseStackSettings, type StackSettings } from '../definition/settings.js';
import type { StackConfig } from './config.js';
import type { ObjectStore } from './infrastructure.js';

/** Key prefix of backups inside their bucket, which the bucket's expiry rule applies to. */
export const BACKUP_PREFIX = 'backups/';

export interface DeployTarget {
  /** Fully qualified host name users open. */
  hostname: string;
  /** Registry prefix with trailing slash. */
  registryPrefix: string;
  imageTag: string;
  /** Certificates from ACME, or nginx's self-signed one. */
  acme: boolean;
  /** Where the uploads' and the backups' buckets are. */
  objectStore: ObjectStore;
}

/**
 * The stack settings a Pulumi stack deploys, derived only from its config, so they can be rendered (and compared
 * with what the local e2e test deploys) without any cloud.
 */
export function stackSettingsFor(config: StackConfig, target: DeployTarget): StackSettings {
  return parseStackSettings({
    domain: target.hostname,
    acmeEmail: config.acmeEmail,
    acme: { enabled: target.acme },
    apiReplicas: config.apiReplicas,
    imageTag: target.imageTag,
    images: { registry: target.registryPrefix },
    backup: {
      cron: config.backupCron,
      keepDaily: config.backupKeepDaily,
      keepWeekly: config.backupKeepWeekly,
      keepMonthly: config.backupKeepMonthly,
    },
    adminEmails: config.adminEmails,
    ...(config.oidcIssuer && {
      oidc: {
        issuer: config.oidcIssuer,
        clientId: config.oidcClientId,
        displayName: config.oidcDisplayName,
        autoProvision: config.oidcAutoProvision,
        only: config.oidcOnly,
      },
    }),
    monitoring: config.monitoring,
    mailFrom: config.mailFrom,
    // An object store, not a node's disk: with S3 the api replicas can run on any node of the swarm.
    storage: {
      driver: 's3',
      endpoint: target.objectStore.endpoint,
      region: target.objectStore.region,
      forcePathStyle: target.objectStore.forcePathStyle,
      bucket: config.uploadsBucket,
      backupBucket: config.backupBucket,
      backupPrefix: BACKUP_PREFIX,
      // pgBackRest's copy in the bucket needs TLS, which the local stack's s3rver does not speak.
      pointInTimeCopy: target.objectStore.endpoint.startsWith('https://'),
    },
  });
}

/** Days after which Spaces expires a backup: past the longest retention the worker keeps (monthly), plus slack. */
export function backupExpiryDays(config: StackConfig): number {
  return Math.max(config.backupKeepDaily, config.backupKeepWeekly * 7, config.backupKeepMonthly * 31) + 31;
}
