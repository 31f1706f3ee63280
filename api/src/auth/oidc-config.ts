import { z } from 'zod';

const flag = z
  .enum(['true', 'false'], { message: 'must be true or false' })
  .default('false')
  .transform((value) => value === 'true');

/**
 * Sign-in with an OpenID Connect provider (Keycloak, Authentik, Google, GitLab…). Unset OIDC_ISSUER: only
 * passwords. The client is confidential (a secret, usually a Docker secret through OIDC_CLIENT_SECRET_FILE).
 */
export const oidcFields = {
  /** The provider's issuer URL; its `/.well-known/openid-configuration` tells the rest. */
  OIDC_ISSUER: z
    .url({ message: 'must be the provider’s issuer URL, e.g. https://id.example.com/realms/team' })
    .optional(),
  OIDC_CLIENT_ID: z.string().min(1).max(255).optional(),
  OIDC_CLIENT_SECRET: z.string().min(1).max(1024).optional(),
  /** What the sign-in button says after "Sign in with". */
  OIDC_DISPLAY_NAME: z.string().trim().min(1).max(40).default('single sign-on'),
  /** Whether a first sign-in with a verified address that has no account here creates one. */
  OIDC_AUTO_PROVISION: flag,
  /** Turns off sign-in, sign-up and reset by password: the provider is the only way in. */
  OIDC_ONLY: flag,
};

type OidcSettings = {
  OIDC_ISSUER?: string | undefined;
  OIDC_CLIENT_ID?: string | undefined;
  OIDC_CLIENT_SECRET?: string | undefined;
  OIDC_ONLY: boolean;
};

/** Loopback issuers may use http (tests, a provider on the same host); any other needs TLS. */
const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/** The rules between the OIDC settings, one problem per setting, as the config loader reports them. */
export function checkOidcFields(config: OidcSettings, ctx: z.RefinementCtx): void {
  const issue = (key: keyof OidcSettings, message: string) =>
    ctx.addIssue({ code: 'custom', path: [key], message });
  if (!config.OIDC_ISSUER) {
    if (config.OIDC_ONLY) issue('OIDC_ONLY', 'needs OIDC_ISSUER (otherwise nobody could sign in)');
    if (config.OIDC_CLIENT_ID) issue('OIDC_CLIENT_ID', 'is set but OIDC_ISSUER is not');
    return;
  }
  const url = new URL(config.OIDC_ISSUER);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK.has(url.hostname))) {
    issue('OIDC_ISSUER', 'must be an https:// URL (http only for localhost)');
  }
  if (!config.OIDC_CLIENT_ID) issue('OIDC_CLIENT_ID', 'is required when OIDC_ISSUER is set');
  if (!config.OIDC_CLIENT_SECRET) {
    issue('OIDC_CLIENT_SECRET', 'is required when OIDC_ISSUER is set (or OIDC_CLIENT_SECRET_FILE)');
  }
}
