import { isIPv4, isIPv6 } from 'node:net';
import * as pulumi from '@pulumi/pulumi';
import { z } from 'zod';

/** Droplet regions DigitalOcean offers (the provider's `Region` enum plus newer ones). */
export const DROPLET_REGIONS = [
  'ams3',
  'atl1',
  'blr1',
  'fra1',
  'lon1',
  'nyc1',
  'nyc2',
  'nyc3',
  'sfo2',
  'sfo3',
  'sgp1',
  'syd1',
  'tor1',
] as const;

/** Regions with Spaces object storage; the backup bucket must live in one of them. */
export const SPACES_REGIONS = [
  'ams3',
  'atl1',
  'blr1',
  'fra1',
  'nyc3',
  'sfo2',
  'sfo3',
  'sgp1',
  'syd1',
] as const;

const PLAIN_KEYS = [
  'infrastructure',
  'localSubnet',
  'localHttpsPort',
  'localRegistryPort',
  'region',
  'image',
  'managers',
  'workers',
  'managerSize',
  'workerSize',
  'dbNode',
  'dbVolumeGb',
  'domain',
  'subdomain',
  'acmeEmail',
  'adminSshKeys',
  'adminCidrs',
  'apiReplicas',
  'backupCron',
  'backupKeepDaily',
  'backupKeepWeekly',
  'backupKeepMonthly',
  'backupBucket',
  'uploadsBucket',
  'spacesRegion',
  'mailFrom',
  'adminEmails',
  'registry',
  'registryName',
  'createRegistry',
  'ghcrUser',
  'imageTag',
  'monitoring',
  'oidcIssuer',
  'oidcClientId',
  'oidcDisplayName',
  'oidcAutoProvision',
  'oidcOnly',
] as const;

/** Keys that must only ever be set with `pulumi config set --secret`. */
export const SECRET_KEYS = ['smtpUrl', 'ghcrToken', 'oidcClientSecret', 'dataEncryptionKeys'] as const;

/** Keys whose value is structured (a YAML list/number/boolean in the stack file, JSON in the engine). */
const STRUCTURED_KEYS = new Set<string>([
  'localHttpsPort',
  'localRegistryPort',
  'managers',
  'workers',
  'dbVolumeGb',
  'adminSshKeys',
  'adminCidrs',
  'apiReplicas',
  'backupKeepDaily',
  'backupKeepWeekly',
  'backupKeepMonthly',
  'adminEmails',
  'createRegistry',
  'monitoring',
  'oidcAutoProvision',
  'oidcOnly',
]);

const slug = z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)+$/, 'must be a DigitalOcean slug such as s-2vcpu-4gb');
const hostname = z
  .string()
  .regex(
    /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/,
    'must be a DNS domain such as example.com',
  );
const count = (min: number, max: number) => z.number().int().min(min).max(max);
const sshPublicKey = z
  .string()
  .trim()
  .regex(
    /^(ssh-ed25519|ssh-rsa|ecdsa-sha2-nistp(256|384|521)|sk-ssh-ed25519@openssh\.com) [A-Za-z0-9+/]+=*( .*)?$/,
    'each entry must be an OpenSSH public key line (ssh-ed25519 AAAA… comment)',
  );

/**
 * A CIDR no wider than a /8: SSH must never be open to the world, nor to most of it (`0.0.0.0/1` plus
 * `128.0.0.0/1`, or a handful of /4s, is the whole internet too).
 */
const MIN_ADMIN_PREFIX = 8;
const adminCidr = z.string().superRefine((value, ctx) => {
  const [ip, bits, extra] = value.split('/');
  const max = ip && isIPv4(ip) ? 32 : ip && isIPv6(ip) ? 128 : 0;
  const prefix = Number(bits);
  if (extra !== undefined || !max || !/^\d{1,3}$/.test(bits ?? '') || prefix > max) {
    ctx.addIssue({ code: 'custom', message: `"${value}" is not a CIDR such as 203.0.113.7/32` });
  } else if (prefix === 0) {
    ctx.addIssue({
      code: 'custom',
      message: `"${value}" opens SSH to the whole internet; list admin networks`,
    });
  } else if (prefix < MIN_ADMIN_PREFIX) {
    ctx.addIssue({
      code: 'custom',
      message: `"${value}" is wider than a /${MIN_ADMIN_PREFIX}; list admin networks`,
    });
  }
});

const cronField = String.raw`(\*|\d+(-\d+)?)(\/\d+)?(,(\*|\d+(-\d+)?)(\/\d+)?)*`;
const cron = z
  .string()
  .regex(
    new RegExp(`^${cronField}( ${cronField}){4}$`),
    'must be a 5-field cron expression such as "30 2 * * *"',
  );

/** A /24 IPv4 network for the local stack's Docker network (nodes at .11…, the registry and bucket below). */
const localSubnet = z
  .string()
  .regex(/^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.0\/24$/, 'must be an IPv4 /24 such as 10.213.7.0/24')
  .refine((value) => isIPv4(value.split('/')[0]!), 'must be an IPv4 /24 such as 10.213.7.0/24');
const port = z.number().int().min(1024).max(65535);

const bucketName = z
  .string()
  .regex(
    /^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/,
    'must be a bucket name: 3-63 lowercase letters, digits, dashes',
  );

const schema = z
  .object({
    /** Where the nodes run: droplets, or containers on this machine (the `local` stack). */
    infrastructure: z
      .enum(['digitalocean', 'local'], { message: 'must be digitalocean or local' })
      .default('digitalocean'),
    localSubnet: localSubnet.default('10.213.7.0/24'),
    localHttpsPort: port.default(8443),
    localRegistryPort: port.default(5055),
    region: z.enum(DROPLET_REGIONS, { message: `must be one of ${DROPLET_REGIONS.join(', ')}` }).optional(),
    image: slug.default('debian-12-x64'),
    managers: z
      .union([z.literal(1), z.literal(3)], { message: 'must be 1 or 3 (swarm managers need a quorum)' })
      .default(1),
    workers: count(0, 20).default(0),
    managerSize: slug.default('s-2vcpu-4gb'),
    workerSize: slug.default('s-2vcpu-4gb'),
    dbNode: z
      .string()
      .regex(/^(manager|worker)-[1-9]\d*$/, 'must name a node such as manager-1 or worker-2')
      .default('manager-1'),
    dbVolumeGb: count(1, 16384).default(20),
    domain: hostname,
    subdomain: z
      .string()
      .regex(/^(@|[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)$/, 'must be "@" or a DNS label such as app')
      .default('@'),
    acmeEmail: z.email({ message: 'must be an email address' }),
    adminSshKeys: z.array(sshPublicKey).min(1, 'must list at least one OpenSSH public key'),
    adminCidrs: z.array(adminCidr).min(1, 'must list at least one admin CIDR such as 203.0.113.7/32'),
    apiReplicas: count(1, 20).default(2),
    backupCron: cron.default('30 2 * * *'),
    backupKeepDaily: count(1, 365).default(7),
    backupKeepWeekly: count(0, 104).default(4),
    backupKeepMonthly: count(0, 120).default(6),
    backupBucket: bucketName,
    uploadsBucket: bucketName,
    spacesRegion: z
      .enum(SPACES_REGIONS, { message: `must be one of ${SPACES_REGIONS.join(', ')}` })
      .optional(),
    mailFrom: z.string().min(3, 'must be a sender such as "taskstack <noreply@example.com>"'),
    adminEmails: z.array(z.email({ message: 'each entry must be an email address' })).default([]),
    registry: z.enum(['docr', 'ghcr'], { message: 'must be docr or ghcr' }).default('docr'),
    registryName: z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]{1,61}$/, 'must be a registry name / GHCR owner (lowercase)')
      .optional(),
    createRegistry: z.boolean().default(false),
    ghcrUser: z.string().min(1).optional(),
    imageTag: z
      .string()
      .regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/, 'must be a Docker tag')
      .optional(),
    monitoring: z.boolean({ message: 'must be true or false' }).default(false),
    smtpUrl: z.string().regex(/^smtps?:\/\/[^\s]+$/, 'must be an smtp:// or smtps:// URL'),
    ghcrToken: z.string().min(1).optional(),
    oidcIssuer: z
      .url({ message: 'must be the provider’s issuer URL, e.g. https://id.example.com/realms/team' })
      .refine((url) => url.startsWith('https://'), 'must be an https:// URL')
      .optional(),
    oidcClientId: z.string().min(1).optional(),
    oidcDisplayName: z.string().trim().min(1).max(40, 'must be at most 40 characters').optional(),
    oidcAutoProvision: z.boolean({ message: 'must be true or false' }).default(false),
    oidcOnly: z.boolean({ message: 'must be true or false' }).default(false),
    oidcClientSecret: z.string().min(1).optional(),
    // The api's and worker's DATA_ENCRYPTION_KEY, in its format: the sealing key first, older keys after it.
    dataEncryptionKeys: z
      .string()
      .regex(
        /^[^,\s]{32,}(,[^,\s]{32,})*$/,
        'must be one key, or NEW,OLD while rotating: each at least 32 characters without spaces or commas (e.g. `openssl rand -base64 32`)',
      )
      .optional(),
  })
  .superRefine((c, ctx) => {
    const [role, n] = c.dbNode.split('-');
    if (Number(n) > (role === 'manager' ? c.managers : c.workers)) {
      ctx.addIssue({
        code: 'custom',
        path: ['dbNode'],
        message: `${c.dbNode} is not one of this stack's nodes`,
      });
    }
    const onDigitalOcean = c.infrastructure === 'digitalocean';
    for (const key of ['region', 'registryName'] as const) {
      if (onDigitalOcean && c[key] === undefined) {
        ctx.addIssue({ code: 'custom', path: [key], message: 'required' });
      }
    }
    if (
      onDigitalOcean &&
      c.region &&
      !c.spacesRegion &&
      !(SPACES_REGIONS as readonly string[]).includes(c.region)
    ) {
      ctx.addIssue({
        code: 'custom',
        path: ['spacesRegion'],
        message: `required: ${c.region} has no Spaces`,
      });
    }
    // Apart, so that the api's key (uploads) never reaches the backups.
    if (c.uploadsBucket === c.backupBucket) {
      ctx.addIssue({ code: 'custom', path: ['uploadsBucket'], message: 'must differ from backupBucket' });
    }
    if (c.monitoring && c.adminEmails.length === 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['adminEmails'],
        message: 'required when monitoring is on (alerts are mailed there)',
      });
    }
    const provider = c.oidcIssuer !== undefined;
    for (const key of ['oidcClientId', 'oidcClientSecret'] as const) {
      if (provider && c[key] === undefined) {
        ctx.addIssue({ code: 'custom', path: [key], message: 'required when oidcIssuer is set' });
      } else if (!provider && c[key] !== undefined) {
        ctx.addIssue({ code: 'custom', path: [key], message: 'is set but oidcIssuer is not' });
      }
    }
    if (c.oidcOnly && !provider) {
      ctx.addIssue({
        code: 'custom',
        path: ['oidcOnly'],
        message: 'needs oidcIssuer (otherwise nobody could sign in)',
      });
    }
    if (c.registry === 'ghcr' && (!c.ghcrUser || !c.ghcrToken)) {
      const missing = c.ghcrUser ? 'ghcrToken' : 'ghcrUser';
      ctx.addIssue({ code: 'custom', path: [missing], message: 'required when registry is ghcr' });
    }
  });

type Parsed = z.output<typeof schema>;

/** The validated stack configuration; secret values are Outputs so they stay encrypted in state. */
export type StackConfig = Omit<
  Parsed,
  'smtpUrl' | 'ghcrToken' | 'oidcClientSecret' | 'dataEncryptionKeys' | 'spacesRegion'
> & {
  project: string;
  /** Defaults to `region` (validated to have Spaces); absent on the local stack. */
  spacesRegion?: (typeof SPACES_REGIONS)[number];
  stack: string;
  smtpUrl: pulumi.Output<string>;
  ghcrToken?: pulumi.Output<string>;
  /** The OpenID Connect client's secret, with oidcIssuer. */
  oidcClientSecret?: pulumi.Output<string>;
  /** Set to rotate the data encryption key (docs/runbooks/rotate-secret.md); unset, the generated key is used. */
  dataEncryptionKeys?: pulumi.Output<string>;
};

/**
 * Thrown before any resource exists; its message has one line per bad key, naming the key. A RunError, so Pulumi
 * prints just the message, without a stack trace.
 */
export class StackConfigError extends pulumi.RunError {
  override name = 'StackConfigError';
}

/**
 * Whether a key was set with `--secret`. The SDK exports this at runtime but marks it internal; the program needs
 * it to refuse secrets that were set as plaintext in a stack file.
 */
const isConfigSecret = (pulumi.runtime as unknown as { isConfigSecret(key: string): boolean }).isConfigSecret;

/** Reads the raw values, decoding structured ones, and notes which keys are secret or misused as plaintext. */
function readRaw(project: string): { raw: Record<string, unknown>; problems: string[] } {
  const raw: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const key of [...PLAIN_KEYS, ...SECRET_KEYS]) {
    const full = `${project}:${key}`;
    const value = pulumi.runtime.getConfig(full);
    if (value === undefined) continue;
    const isSecret = isConfigSecret(full);
    if ((SECRET_KEYS as readonly string[]).includes(key) && !isSecret) {
      problems.push(`${full}: must be set with \`pulumi config set --secret ${key}\`, not as plaintext`);
    }
    if (!STRUCTURED_KEYS.has(key)) {
      raw[key] = value;
      continue;
    }
    try {
      raw[key] = JSON.parse(value);
    } catch {
      raw[key] = value;
    }
  }
  return { raw, problems };
}

/** Validates the whole stack configuration at once, so an operator sees every mistake before anything is created. */
export function loadStackConfig(): StackConfig {
  const project = pulumi.getProject();
  const { raw, problems } = readRaw(project);
  const result = schema.safeParse(raw);
  if (!result.success) {
    for (const issue of result.error.issues) {
      const key = String(issue.path[0] ?? '');
      // Secret values never appear in messages: zod's message for them is about shape only.
      const message = issue.code === 'invalid_type' && issue.input === undefined ? 'required' : issue.message;
      problems.push(`${project}:${key}: ${message}`);
    }
  }
  if (problems.length > 0 || !result.success) {
    throw new StackConfigError(
      `invalid Pulumi config for stack ${pulumi.getStack()}:\n${problems.join('\n')}`,
    );
  }
  const { smtpUrl, ghcrToken, oidcClientSecret, dataEncryptionKeys, spacesRegion, ...plain } = result.data;
  const secret = (value: string | undefined) => (value === undefined ? undefined : pulumi.secret(value));
  return {
    ...plain,
    project,
    stack: pulumi.getStack(),
    spacesRegion: spacesRegion ?? (plain.region as StackConfig['spacesRegion']),
    smtpUrl: pulumi.secret(smtpUrl),
    ghcrToken: secret(ghcrToken),
    oidcClientSecret: secret(oidcClientSecret),
    dataEncryptionKeys: secret(dataEncryptionKeys),
  };
}
