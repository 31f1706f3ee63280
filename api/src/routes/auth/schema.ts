import { z } from 'zod';
import '../../openapi/registry.js';
import { userSchema } from '../../presenters/user.js';

/** Emails are compared case-insensitively everywhere, so they are stored and looked up lower-cased. */
export const emailField = z.email().max(254).toLowerCase();
/** Long enough to resist guessing; capped so nobody makes the server hash a megabyte. */
export const newPasswordField = z.string().min(10).max(256);

export const registerBody = z
  .object({ email: emailField, password: newPasswordField, name: z.string().trim().min(1).max(100) })
  .strict()
  .openapi('RegisterBody');
export const loginBody = z
  .object({ email: emailField, password: z.string().min(1).max(256) })
  .strict()
  .openapi('LoginBody');
export const forgotBody = z.object({ email: emailField }).strict().openapi('ForgotPasswordBody');
export const resetBody = z
  .object({ token: z.string().min(1).max(256), password: newPasswordField })
  .strict()
  .openapi('ResetPasswordBody');

export const verifyEmailBody = z
  .object({ token: z.string().min(1).max(1024) })
  .strict()
  .openapi('VerifyEmailBody');

export const sessionResponse = z.object({ user: userSchema, accessToken: z.string() }).openapi('Session');
export const refreshResponse = z.object({ accessToken: z.string() }).openapi('RefreshedSession');
export const acceptedResponse = z.object({ status: z.literal('accepted') });

/** A six-digit code from the authenticator app or a recovery code (`xxxxx-xxxxx`). */
export const totpCodeField = z.string().trim().min(6).max(32);
export const totpChallengeBody = z
  .object({ challenge: z.string().min(1).max(256), code: totpCodeField })
  .strict()
  .openapi('TotpChallengeBody');
export const totpRequiredProblem = z
  .object({
    type: z.literal('urn:taskstack:problem:totp-required'),
    title: z.string(),
    status: z.literal(401),
    detail: z.string(),
    challenge: z.string(),
    expiresInSeconds: z.number().int(),
  })
  .openapi('TotpRequiredProblem');

export const authMethodsResponse = z
  .object({
    /** False with OIDC_ONLY: sign-in, sign-up and reset by password answer 403. */
    password: z.boolean(),
    /** The OpenID Connect provider, when one is configured; its button says "Sign in with {displayName}". */
    oidc: z.object({ displayName: z.string() }).nullable(),
  })
  .openapi('AuthMethods');
