import { z } from 'zod';
import '../../openapi/registry.js';

/** Where the app goes after signing in: a path of this app only, never another site (`//host`, `/\host`). */
export const returnPath = z
  .string()
  .max(2000)
  .refine((path) => path.startsWith('/') && !/^\/[/\\]/.test(path), 'must be a path of this app');

export const oidcStartQuery = z
  .object({ redirect: returnPath.optional().describe('Path of the app to open after signing in') })
  .strict();

/**
 * What the provider sends back (RFC 6749 §4.1.2, RFC 9207's `iss`). Providers add parameters of their own
 * (`session_state`, `scope`, `authuser`…), so unknown ones are let through to the client library.
 */
export const oidcCallbackQuery = z.looseObject({
  code: z.string().max(4096).optional(),
  state: z.string().max(1024).optional(),
  iss: z.string().max(2048).optional(),
  error: z.string().max(256).optional(),
  error_description: z.string().max(2048).optional(),
});

/** Why a sign-in with the provider did not end signed in, as the sign-in page's `oidc_error` says it. */
export const OIDC_ERRORS = [
  /** The provider could not be reached or answered nonsense to discovery. */
  'unavailable',
  /** No sign-in in flight in this browser: it expired, was used already (a replay), or never started here. */
  'expired',
  /** The person cancelled at the provider, or it refused them. */
  'denied',
  /** A check failed: state, PKCE, the id_token's signature, issuer, audience, expiry or nonce. */
  'failed',
  'no-email',
  'unverified-email',
  'no-account',
] as const;
export type OidcError = (typeof OIDC_ERRORS)[number];
