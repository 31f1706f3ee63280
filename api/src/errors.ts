/** An error that becomes an RFC 9457 problem+json response with its status; safe to show to the caller. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    detail?: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(detail ?? title);
  }
}

export const badRequest = (detail: string, extra?: Record<string, unknown>) =>
  new HttpError(400, 'Bad Request', detail, extra);
export const unauthorized = (detail = 'Sign in to continue.') => new HttpError(401, 'Unauthorized', detail);
export const forbidden = (detail = 'Your role in this workspace does not allow this.') =>
  new HttpError(403, 'Forbidden', detail);
/** 404 is also the answer for ids of workspaces the caller is not in, so their existence is never revealed. */
export const notFound = (what = 'Resource') => new HttpError(404, 'Not Found', `${what} not found.`);
export const conflict = (detail: string) => new HttpError(409, 'Conflict', detail);
/** Well-formed input that cannot be used as given (a webhook URL with credentials in it); `path` names the field. */
export const unprocessable = (path: string, message: string) =>
  new HttpError(422, 'Unprocessable Content', `${path} ${message}.`, { errors: [{ path, message }] });
export const payloadTooLarge = (detail: string) => new HttpError(413, 'Payload Too Large', detail);
export const tooManyRequests = (retryAfterSeconds: number) =>
  new HttpError(429, 'Too Many Requests', `Too many attempts. Try again in ${retryAfterSeconds} s.`, {
    retryAfter: retryAfterSeconds,
  });

/**
 * Problem types named so clients can branch on them: sign-in needs its second step, a workspace requires two-factor
 * of a member who has not set it up, or passwords are turned off (OIDC_ONLY).
 */
export const PROBLEM_TYPES = {
  totpRequired: 'urn:taskstack:problem:totp-required',
  totpEnrolmentRequired: 'urn:taskstack:problem:totp-enrolment-required',
  passwordSignInDisabled: 'urn:taskstack:problem:password-sign-in-disabled',
} as const;

/** 403 of a password route when OIDC_ONLY makes the provider the only way in. */
export const passwordSignInDisabled = (provider: string) =>
  new HttpError(403, 'Password sign-in is turned off', `Sign in with ${provider} instead.`, {
    type: PROBLEM_TYPES.passwordSignInDisabled,
  });

/** 401 of a correct password on an account with two-factor: `challenge` is the token for `POST /auth/totp`. */
export const totpRequired = (challenge: string, expiresInSeconds: number) =>
  new HttpError(401, 'Two-factor code required', 'Enter the code from your authenticator app.', {
    type: PROBLEM_TYPES.totpRequired,
    challenge,
    expiresInSeconds,
  });
export const totpEnrolmentRequired = () =>
  new HttpError(
    403,
    'Two-factor sign-in required',
    'This workspace requires two-factor sign-in. Set it up under Account security to continue.',
    { type: PROBLEM_TYPES.totpEnrolmentRequired },
  );
