import { createPrivateKey, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { z } from 'zod';

/** A URL whose scheme is one of `protocols`, so a Redis URL in DATABASE_URL is caught at start-up. */
export const urlWith = (...protocols: string[]) =>
  z.string().refine(
    (value) => {
      try {
        return protocols.includes(new URL(value).protocol.replace(/:$/, ''));
      } catch {
        return false;
      }
    },
    { message: `must be a URL starting with ${protocols.map((p) => `${p}://`).join(' or ')}` },
  );

/**
 * What the PEM file `file` holds as `parse` reads it (a certificate, a private key), or why it cannot be used:
 * unreadable, or no PEM `what` in it. Every TLS file a process is given goes through here at start-up.
 */
function readPemFile<T>(
  file: string,
  what: string,
  parse: (pem: string) => T,
): { value: T } | { problem: string } {
  let pem: string;
  try {
    pem = readFileSync(file, 'utf8');
  } catch (error) {
    return { problem: `cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? 'error'})` };
  }
  try {
    return { value: parse(pem) };
  } catch {
    return { problem: `${file} holds no PEM ${what}` };
  }
}

const certificateFile = (file: string) => readPemFile(file, 'certificate', (pem) => new X509Certificate(pem));

/** Why `file` cannot be the CA a server is verified against (unreadable, or no PEM certificate), or undefined. */
function caFileProblem(file: string): string | undefined {
  const ca = certificateFile(file);
  return 'problem' in ca ? ca.problem : undefined;
}

/**
 * A Postgres URL. Where the server is on another machine, libpq's `sslmode=verify-full&sslrootcert=<CA file>` make
 * every client verify the server's certificate and name: node-postgres reads them (pools, probes), and pg_dump and
 * pg_restore get them as PGSSLMODE and PGSSLROOTCERT. The CA file is read here, so a missing or wrong one stops
 * start-up with a line naming the setting; verify-full is required with it because libpq's default (`prefer`) would
 * fall back to an unencrypted connection where node-postgres would not.
 */
export const databaseUrl = urlWith('postgres', 'postgresql').superRefine((value, ctx) => {
  const params = URL.canParse(value) ? new URL(value).searchParams : undefined;
  const rootCert = params?.get('sslrootcert');
  if (!params || !rootCert) return;
  if (params.get('sslmode') !== 'verify-full') {
    ctx.addIssue({ code: 'custom', message: 'sslrootcert needs sslmode=verify-full' });
    return;
  }
  const problem = caFileProblem(rootCert);
  if (problem) ctx.addIssue({ code: 'custom', message: `sslrootcert: ${problem}` });
});

/** The REDIS_URL parameter naming the CA file a `rediss://` server is verified against (redis-cli's --cacert). */
const REDIS_CA_PARAM = 'cacert';

/**
 * A Redis URL. `rediss://` connects over TLS and verifies the server's certificate and name (never skipped), against
 * the CA file `?cacert=<file>` names (the stack's own CA; @taskstack/queues hands it to ioredis), or else Node's
 * public CAs. The file is read here, so a missing or wrong one stops start-up with a line naming the setting;
 * `cacert` with `redis://` is refused rather than ignored, as that URL would connect in plain text.
 */
export const redisUrl = urlWith('redis', 'rediss').superRefine((value, ctx) => {
  const url = URL.canParse(value) ? new URL(value) : undefined;
  const caFile = url?.searchParams.get(REDIS_CA_PARAM);
  if (!url || !caFile) return;
  if (url.protocol !== 'rediss:') {
    ctx.addIssue({ code: 'custom', message: `${REDIS_CA_PARAM} needs rediss://` });
    return;
  }
  const problem = caFileProblem(caFile);
  if (problem) ctx.addIssue({ code: 'custom', message: `${REDIS_CA_PARAM}: ${problem}` });
});

/**
 * The certificate and key (paths of PEM files, not `_FILE` forms of other keys) a server of ours serves HTTPS with,
 * both or neither: the stack's api and the worker's metrics, whose clients (nginx, Prometheus) may be on other nodes,
 * across overlay networks that are not encrypted. Without them the server speaks plain HTTP.
 */
export const serverTlsFields = {
  TLS_CERT_FILE: z.string().optional(),
  TLS_KEY_FILE: z.string().optional(),
};

type ServerTlsSettings = { TLS_CERT_FILE?: string | undefined; TLS_KEY_FILE?: string | undefined };

/**
 * Reads the files the TLS settings name, so a missing or unreadable one, one without PEM, or a key that is not the
 * certificate's stops start-up with a line naming the setting instead of the first TLS handshake failing.
 */
export function checkServerTls(config: ServerTlsSettings, ctx: z.RefinementCtx): void {
  const issue = (key: keyof ServerTlsSettings, message: string) =>
    ctx.addIssue({ code: 'custom', path: [key], message });
  const { TLS_CERT_FILE: certFile, TLS_KEY_FILE: keyFile } = config;
  if (!certFile && !keyFile) return;
  if (!certFile) return issue('TLS_CERT_FILE', 'is required with TLS_KEY_FILE');
  if (!keyFile) return issue('TLS_KEY_FILE', 'is required with TLS_CERT_FILE');
  const certificate = certificateFile(certFile);
  const key = readPemFile(keyFile, 'private key', (pem) => createPrivateKey(pem));
  if ('problem' in certificate) issue('TLS_CERT_FILE', certificate.problem);
  if ('problem' in key) issue('TLS_KEY_FILE', key.problem);
  if ('value' in certificate && 'value' in key && !certificate.value.checkPrivateKey(key.value))
    issue('TLS_KEY_FILE', `${keyFile} is not the key of the certificate in TLS_CERT_FILE`);
}

/** The options of `https.createServer` for checked TLS settings; undefined without them (plain HTTP). */
export function serverTlsOptions(config: ServerTlsSettings): { cert: Buffer; key: Buffer } | undefined {
  const { TLS_CERT_FILE: certFile, TLS_KEY_FILE: keyFile } = config;
  return certFile && keyFile ? { cert: readFileSync(certFile), key: readFileSync(keyFile) } : undefined;
}

/** Comma-separated e-mail addresses, e.g. ADMIN_EMAILS. */
export const emailList = z
  .string()
  .default('')
  .transform((value) =>
    value
      .split(',')
      .map((item) => item.trim().toLowerCase())
      .filter(Boolean),
  )
  .pipe(z.array(z.email({ message: 'must be comma-separated e-mail addresses' })));

export const port = (fallback: number) => z.coerce.number().int().min(1).max(65535).default(fallback);

export const logLevel = z
  .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  .default('info');

/** Settings every process that touches the database and queues shares. */
export const coreFields = {
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  LOG_LEVEL: logLevel,
  DATABASE_URL: databaseUrl,
  /**
   * How long start-up keeps trying DATABASE_URL before giving up (0: fail at once, for a typo in development). The
   * stack sets it: its api and worker log in as roles that the migrate job, started alongside, creates.
   */
  DATABASE_WAIT_SECONDS: z.coerce.number().int().min(0).max(600).default(0),
  REDIS_URL: redisUrl,
  /** Prefix of every Redis key the app writes; lets tests and several instances share one Redis. */
  REDIS_PREFIX: z
    .string()
    .regex(/^[a-z0-9_-]+$/i, 'letters, digits, _ and - only')
    .default('taskstack'),
  /**
   * Address the HTTP servers listen on: every interface by default (containers, where nginx and Prometheus reach
   * them over the network); `npm start` sets 127.0.0.1 so a laptop does not serve the demo to its whole network.
   */
  HOST: z
    .union([z.ipv4(), z.ipv6()], { message: 'must be an IP address such as 127.0.0.1 or 0.0.0.0' })
    .default('0.0.0.0'),
  PUBLIC_URL: z
    .url({ message: 'must be the absolute URL users open, e.g. https://tasks.example.com' })
    .default('http://localhost:3000'),
};

/** Settings of S3-compatible object storage (DigitalOcean Spaces), used for attachments and backup copies. */
export const s3Fields = {
  S3_ENDPOINT: z.url().optional(),
  S3_REGION: z.string().default('us-east-1'),
  S3_BUCKET: z.string().optional(),
  S3_ACCESS_KEY_ID: z.string().optional(),
  S3_SECRET_ACCESS_KEY: z.string().optional(),
  S3_FORCE_PATH_STYLE: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
};

/**
 * Where attachment files live: the API stores them, the worker removes those of purged trash (the stack mounts
 * the same volume into both, or both reach the bucket). S3_BUCKET is required with `s3`.
 */
export const storageFields = {
  STORAGE_DRIVER: z.enum(['local', 's3']).default('local'),
  STORAGE_DIR: z.string().default('.data/attachments'),
};

/**
 * DATA_ENCRYPTION_KEY: the keys secrets stored in the database are encrypted with (webhook signing secrets), as
 * comma-separated text, the sealing key first and older ones after it while a rotation completes. Both api and
 * worker need it. Each key is at least 32 characters of random text, e.g. `openssl rand -base64 32`.
 */
export const dataEncryptionKey = z
  .string()
  .transform((value) =>
    value
      .split(',')
      .map((key) => key.trim())
      .filter(Boolean),
  )
  .pipe(
    z
      .array(z.string().min(32, 'each key must be at least 32 characters (e.g. `openssl rand -base64 32`)'))
      .min(1, 'must hold a key'),
  );
