/**
 * What an operator chooses about one deployment of the stack. The same settings render the same compose file, so the
 * local swarm and the droplets run identical definitions; Pulumi builds these settings from its stack config.
 */
import { z } from 'zod';

/** A Docker memory size such as `256M` or `1G`. */
const memory = z.string().regex(/^\d+[KMG]$/, 'a size like 256M or 1G');

/** A cron expression with five fields, as BullMQ's job schedulers take it. */
const cron = z.string().regex(/^(\S+\s+){4}\S+$/, 'a five-field cron expression');

/** A Docker image tag. */
const imageTag = z.string().regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/, 'a Docker image tag');

/** A Docker node label key, e.g. `taskstack.stateful`. */
const labelKey = z.string().regex(/^[a-z0-9][a-z0-9._-]*$/, 'lowercase letters, digits, . _ -');

export const stackSettingsSchema = z.object({
  /** Name of the swarm stack; prefixes every service, network, volume, secret and config. */
  name: z
    .string()
    .regex(/^[a-z][a-z0-9-]{0,30}$/, 'lowercase letters, digits and -, starting with a letter')
    .default('taskstack'),
  /** Host name users open; certificates are issued for it. */
  domain: z
    .string()
    .regex(
      /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,62}$/,
      'a lowercase DNS name',
    ),
  /** Contact address given to the ACME CA (expiry warnings). */
  acmeEmail: z.email(),
  acme: z
    .object({
      /** ACME directory; Let's Encrypt production unless a test CA (Pebble) or staging is wanted. */
      directoryUrl: z.url().default('https://acme-v02.api.letsencrypt.org/directory'),
      /** Whether to request certificates at all; off keeps the self-signed certificate (air-gapped demos). */
      enabled: z.boolean().default(true),
      /** How often the renewer asks certbot to renew (certbot only renews within 30 days of expiry). */
      renewIntervalSeconds: z.number().int().min(60).default(43_200),
      /** The CA's certificate is publicly trusted; false for test CAs, which also turns off OCSP stapling. */
      publicCa: z.boolean().default(true),
      /** PEM of a test CA's HTTPS certificate for the renewer to trust (Pebble); absent for public CAs. */
      caCertificate: z.string().includes('-----BEGIN CERTIFICATE-----').optional(),
    })
    .prefault({}),
  /** How many API tasks serve behind nginx. */
  apiReplicas: z.number().int().min(1).max(20).default(2),
  /** Tag of our own images (the deployer uses the git sha). */
  imageTag,
  images: z
    .object({
      /** Registry prefix with trailing slash (e.g. `registry.digitalocean.com/acme/`); empty for local images. */
      registry: z
        .string()
        .regex(/^([a-z0-9.-]+(:\d+)?(\/[a-z0-9._-]+)*\/)?$/, 'empty or a registry path ending in /')
        .default(''),
      api: z.string().default('taskstack/api'),
      worker: z.string().default('taskstack/worker'),
      nginx: z.string().default('taskstack/nginx'),
      renewer: z.string().default('taskstack/renewer'),
      /** The official postgres:17-trixie plus pgBackRest (postgres/Dockerfile): WAL archiving, restores to a moment. */
      postgres: z.string().default('taskstack/postgres'),
      /** Prometheus, Alertmanager and the exporters (Debian packages), used when `monitoring` is on. */
      monitoring: z.string().default('taskstack/monitoring'),
      /**
       * Per-image tags overriding `imageTag`; the deployer keeps a service on its running tag when the rebuilt image
       * is identical, so a deploy restarts only what changed (nginx restarts drop connections: host ports).
       */
      tags: z
        .object({
          api: imageTag,
          worker: imageTag,
          nginx: imageTag,
          renewer: imageTag,
          monitoring: imageTag,
          postgres: imageTag,
        })
        .partial()
        .default({}),
      /** Third-party images, pinned by major like our Dockerfiles' bases. */
      redis: z.string().default('redis:8-trixie'),
      /** Grafana has no Debian package: its official image is used as is, so it needs a reachable registry. */
      grafana: z.string().default('grafana/grafana:11.5.2'),
    })
    .prefault({}),
  /**
   * Adds the monitoring services (stack/src/definition/monitoring.ts): Prometheus with the alert rules, Alertmanager
   * mailing `adminEmails`, the exporters, and Grafana behind nginx at `/grafana/`.
   */
  monitoring: z.boolean().default(false),
  /** Grafana as part of monitoring; off where its image cannot be pulled (the deployer turns it off there itself). */
  grafana: z.boolean().default(true),
  backup: z
    .object({
      cron: cron.default('30 2 * * *'),
      verifyCron: cron.default('0 4 * * 0'),
      keepDaily: z.number().int().min(1).default(7),
      keepWeekly: z.number().int().min(0).default(4),
      keepMonthly: z.number().int().min(0).default(6),
      /**
       * Point-in-time recovery: Postgres archives WAL with pgBackRest into the `pgbackrest` volume, the worker takes
       * full and differential backups, journals and drills (worker/README.md). Any moment of the last
       * `pitrRetentionDays` can be restored.
       */
      pointInTime: z.boolean().default(true),
      pitrRetentionDays: z.number().int().min(1).max(3650).default(14),
    })
    .prefault({}),
  placement: z
    .object({
      /** Node label (value `true`) of the node that holds Postgres, Redis, backups and local uploads. */
      statefulLabel: labelKey.default('taskstack.stateful'),
      /** Node label (value `true`) of the node whose ports 80/443 DNS points at; nginx and the renewer run there. */
      edgeLabel: labelKey.default('taskstack.edge'),
    })
    .prefault({}),
  /** Memory limits per task; the defaults keep the whole stack under 1.5 GB on a 2 GB droplet. */
  memory: z
    .object({
      postgres: memory.default('512M'),
      redis: memory.default('192M'),
      api: memory.default('256M'),
      worker: memory.default('256M'),
      migrate: memory.default('256M'),
      nginx: memory.default('64M'),
      renewer: memory.default('128M'),
      prometheus: memory.default('256M'),
    })
    .prefault({}),
  /** Host ports nginx publishes (mode host). */
  ports: z
    .object({
      http: z.number().int().min(1).max(65535).default(80),
      https: z.number().int().min(1).max(65535).default(443),
    })
    .prefault({}),
  /** Upload limit shared by the API (MAX_UPLOAD_BYTES) and nginx (client_max_body_size). */
  maxUploadBytes: z
    .number()
    .int()
    .min(1024)
    .default(25 * 1024 * 1024),
  /**
   * Largest workspace import (a zip of an export with its attachments, a Trello JSON, a CSV), shared by the API
   * (IMPORT_MAX_BYTES) and nginx's import location; larger than an attachment.
   */
  maxImportBytes: z
    .number()
    .int()
    .min(1024)
    .default(100 * 1024 * 1024),
  /**
   * nginx rate limits per client address (requests per minute, burst); over them clients get 429. The API's defaults
   * let a team of 20 behind one office address work (5 requests/s sustained, twice that allowed, bursts of 200 for
   * many page loads at once); each user's own limit is the API's. Credential routes stay at a few a minute.
   */
  rateLimits: z
    .object({
      apiPerMinute: z.number().int().min(1).default(600),
      apiBurst: z.number().int().min(0).default(200),
      authPerMinute: z.number().int().min(1).default(5),
      authBurst: z.number().int().min(0).default(10),
    })
    .prefault({}),
  adminEmails: z.array(z.email()).default([]),
  /**
   * Sign-in with an OpenID Connect provider (api/README.md): the api gets the OIDC_* settings, and the client's
   * secret as the Docker secret `oidc_client_secret`. Absent: passwords only.
   */
  oidc: z
    .object({
      issuer: z.url().refine((url) => url.startsWith('https://'), 'must be an https:// URL'),
      clientId: z.string().min(1),
      /** The sign-in button reads "Sign in with …" (the API's default when absent). */
      displayName: z.string().min(1).max(40).optional(),
      autoProvision: z.boolean().default(false),
      /** No sign-in, sign-up or reset by password. */
      only: z.boolean().default(false),
    })
    .optional(),
  mailFrom: z.string().default('taskstack <no-reply@localhost>'),
  storage: z
    .discriminatedUnion('driver', [
      z.object({ driver: z.literal('local') }),
      z.object({
        driver: z.literal('s3'),
        endpoint: z.url(),
        region: z.string().default('us-east-1'),
        /** Uploads (api and worker). */
        bucket: z.string().min(1),
        forcePathStyle: z.boolean().default(false),
        /** The backups' own bucket, reached with a key only the worker holds (secrets backup_s3_*). */
        backupBucket: z.string().min(1),
        backupPrefix: z.string().default('backups/'),
        /**
         * With point-in-time recovery, pgBackRest keeps a second repository under `pitr/` in the backups' bucket
         * (WAL and backups alike), so losing the node's volume still leaves every moment restorable. pgBackRest
         * speaks only TLS to S3: an https endpoint is needed.
         */
        pointInTimeCopy: z.boolean().default(true),
      }),
    ])
    .default({ driver: 'local' }),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace']).default('info'),
  /** How long swarm watches a freshly updated task before it counts the update as good (or rolls back). */
  updateMonitorSeconds: z.number().int().min(5).max(600).default(20),
  /**
   * Version suffix of each Docker secret (secrets are immutable; a new value gets a new name). The deployer sets these
   * to content hashes; anything rendering by hand may leave the default `v1`.
   */
  secretVersions: z.record(z.string(), z.string().regex(/^[a-z0-9]{1,16}$/)).default({}),
});

/** Settings as written by the operator (defaults optional). */
export type StackSettingsInput = z.input<typeof stackSettingsSchema>;
/** Settings with every default applied; what rendering and deploying take. */
export type StackSettings = z.output<typeof stackSettingsSchema>;

/** Validates operator input once, so every later step can trust the settings. */
export function parseStackSettings(input: unknown): StackSettings {
  const result = stackSettingsSchema
    .refine((s) => !s.monitoring || s.adminEmails.length > 0, {
      path: ['adminEmails'],
      message: 'monitoring needs at least one address for its alerts',
    })
    .refine(
      (s) =>
        s.storage.driver !== 's3' ||
        !s.storage.pointInTimeCopy ||
        !s.backup.pointInTime ||
        s.storage.endpoint.startsWith('https://'),
      {
        path: ['storage', 'pointInTimeCopy'],
        message: 'needs an https storage.endpoint (pgBackRest uses S3 over TLS only)',
      },
    )
    .safeParse(input);
  if (!result.success) {
    const lines = result.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`);
    throw new StackSettingsError(lines);
  }
  return result.data;
}

/** Invalid settings, one line per problem, so the CLI prints them without a stack trace. */
export class StackSettingsError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid stack settings:\n  ${problems.join('\n  ')}`);
    this.name = 'StackSettingsError';
  }
}

/** Our images, built from this repository (the deployer and Pulumi build them; the stack runs them). */
export type OwnImage = 'api' | 'worker' | 'nginx' | 'renewer' | 'monitoring' | 'postgres';

/** Full reference of one of our images for these settings. */
export const imageRef = (settings: StackSettings, image: OwnImage): string =>
  `${settings.images.registry}${settings.images[image]}:${settings.images.tags[image] ?? settings.imageTag}`;
