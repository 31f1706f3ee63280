/**
 * What the sign-in page says when a sign-in with the provider came back without a session: the API sends the
 * browser to `/signin?oidc_error=CODE` (api/src/routes/oidc/schema.ts lists the codes).
 */
export const OIDC_ERROR_MESSAGES: Record<string, string> = {
  unavailable: 'The sign-in provider cannot be reached right now. Try again in a moment.',
  expired: 'That sign-in took too long or was already used. Please start again.',
  denied: 'Sign-in was cancelled at the provider.',
  failed:
    'The provider’s answer could not be verified, so you were not signed in. Start again; if it keeps happening, tell your administrator.',
  'no-email': 'The provider did not share an email address, which is needed to find your account.',
  'unverified-email':
    'Your provider has not verified your email address, so it cannot be matched to an account here. Verify it at the provider, then try again.',
  'no-account':
    'There is no account for your email address here. Ask an administrator to invite you, then sign in again.',
};

/** The message for an `oidc_error` query value; unknown codes get a generic one rather than the raw text. */
export function oidcErrorMessage(code: unknown): string | undefined {
  if (typeof code !== 'string' || code === '') return undefined;
  return OIDC_ERROR_MESSAGES[code] ?? 'Signing in with the provider did not work. Please start again.';
}
