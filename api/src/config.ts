import {
  checkServerTls,
  coreFields,
  dataEncryptionKey,
  emailList,
  loadConfig,
  port,
  s3Fields,
  serverTlsFields,
  storageFields,
} from '@taskstack/config';
import { z } from 'zod';
import { checkOidcFields, oidcFields } from './auth/oidc-config.js';

export const apiConfigSchema = z
  .object({
    ...coreFields,
    ...s3Fields,
    PORT: port(3000),
    /** HTTPS on PORT with this certificate and key instead of HTTP (the stack: nginx and Prometheus verify it). */
    ...serverTlsFields,
    /** HMAC key for access tokens; rotating it invalidates them, and clients renew with their refresh token. */
    JWT_SECRET: z.string().min(32, 'must be at least 32 characters (e.g. `openssl rand -base64 48`)'),
    /**
     * Deprecated: TOTP secrets are sealed with DATA_ENCRYPTION_KEY now. Read only to open those sealed before (under
     * this key or, unset, JWT_SECRET), which start-up re-seals; once it has, neither is needed for two-factor.
     */
    TOTP_ENCRYPTION_KEY: z.string().min(32, 'must be at least 32 characters').optional(),
    /** Encrypts webhook signing and TOTP secrets in the database (the worker holds the same keys, to sign). */
    DATA_ENCRYPTION_KEY: dataEncryptionKey,
    ADMIN_EMAILS: emailList,
    MAX_UPLOAD_BYTES: z.coerce
      .number()
      .int()
      .positive()
      .default(10 * 1024 * 1024),
    /**
     * Largest file an import accepts (a zip of an export with its attachments, a Trello JSON, a CSV…); 413 over it.
     * Behind nginx the upload also has to fit its client_max_body_size.
     */
    IMPORT_MAX_BYTES: z.coerce
      .number()
      .int()
      .positive()
      .default(100 * 1024 * 1024),
    ...storageFields,
    /** Origin allowed by CORS; same-origin deployments (nginx in front) need none. */
    CORS_ORIGIN: z.url().optional(),
    /**
     * Requests one signed-in user may make per minute, over all authenticated routes and replicas (0: no limit).
     * A backstop against one runaway client or stolen token, far above what a person's web app sends.
     */
    USER_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(0).default(600),
    /** Hops of reverse proxies whose X-Forwarded-For is trusted (1 behind nginx), so rate limits see client IPs. */
    TRUST_PROXY: z.coerce.number().int().min(0).max(5).default(0),
    /**
     * Seconds the API keeps serving after SIGTERM, answering /ready with 503, before it stops accepting. A proxy that
     * cached this task's address (nginx re-resolves `api` every 5 s) still reaches it meanwhile instead of failing.
     */
    SHUTDOWN_DRAIN_SECONDS: z.coerce.number().int().min(0).max(30).default(0),
    ...oidcFields,
  })
  .superRefine((config, ctx) => {
    if (config.STORAGE_DRIVER === 's3' && !config.S3_BUCKET) {
      ctx.addIssue({ code: 'custom', path: ['S3_BUCKET'], message: 'is required when STORAGE_DRIVER=s3' });
    }
    checkServerTls(config, ctx);
    checkOidcFields(config, ctx);
  });
export type ApiConfig = z.infer<typeof apiConfigSchema>;

/** Reads and validates the API's environment once; throws ConfigError listing every bad variable. */
export function loadApiConfig(env: NodeJS.ProcessEnv = process.env): ApiConfig {
  return loadConfig(apiConfigSchema, env);
}
