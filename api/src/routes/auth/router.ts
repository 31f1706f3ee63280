import { findUser, findUserByEmail } from '@taskstack/db/repositories';
import type { Request, RequestHandler, Response } from 'express';
import { requestPasswordReset, resetPassword } from '../../commands/password-reset.js';
import { registerUser } from '../../commands/register-user.js';
import { challengeUser, completeChallenge, sessionOrChallenge } from '../../commands/sign-in.js';
import { issueSession, revokeSessionOf, rotateSession, type Session } from '../../commands/sessions.js';
import { sessionClient } from '../../auth/session-client.js';
import { verifyEmail } from '../../commands/verify-email.js';
import { verifyPassword } from '../../auth/passwords.js';
import { clearRefreshCookie, readRefreshCookie, setRefreshCookie } from '../../auth/refresh-cookie.js';
import type { AppContext } from '../../context.js';
import { passwordSignInDisabled, totpRequired, unauthorized } from '../../errors.js';
import { GrowingDelay } from '../../middlewares/growing-delay.js';
import { clientIp, consume, createLimiter, limitPerIp } from '../../middlewares/rate-limit.js';
import { presentUser } from '../../presenters/user.js';
import { defineRoutes, type RouteGroup } from '../define.js';
import { AUTH_DELAYS, AUTH_LIMITS } from './limits.js';
import {
  acceptedResponse,
  authMethodsResponse,
  forgotBody,
  loginBody,
  refreshResponse,
  registerBody,
  resetBody,
  sessionResponse,
  totpChallengeBody,
  totpRequiredProblem,
  verifyEmailBody,
} from './schema.js';

const cookieNote = 'Sets the httpOnly refresh cookie (`Path=/api/v1/auth`).';

/** Registration, sign-in, token refresh and password reset. */
export function authRoutes(ctx: AppContext): RouteGroup {
  const { routes, route } = defineRoutes(ctx);
  const limiter = (name: keyof typeof AUTH_LIMITS) =>
    createLimiter(ctx.redis, ctx.config.REDIS_PREFIX, AUTH_LIMITS[name]);
  const perIp = (name: keyof typeof AUTH_LIMITS) => limitPerIp(limiter(name));
  const delay = (name: keyof typeof AUTH_DELAYS) =>
    new GrowingDelay(ctx.redis, ctx.config.REDIS_PREFIX, AUTH_DELAYS[name]);
  const loginFailures = delay('loginFailures');
  const forgotRequests = delay('forgotRequests');
  const accountFrom = (req: Request, email: string) => `${email.toLowerCase()}|${clientIp(req)}`;
  const registerPerAccount = limiter('registerPerAccount');
  const totpPerUser = limiter('totpPerUser');
  const tags = ['auth'];
  const disabledNote = {
    description: 'Password sign-in is turned off (OIDC_ONLY): sign in with the provider',
  };
  /** With OIDC_ONLY the provider is the only way in: every password route answers 403 before reading its input. */
  const passwordsOnly: RequestHandler = (_req, _res, next) => {
    next(ctx.config.OIDC_ONLY ? passwordSignInDisabled(ctx.config.OIDC_DISPLAY_NAME) : undefined);
  };

  const signedIn = (res: Response, session: Session) => {
    setRefreshCookie(res, session.refreshToken);
    return session.accessToken;
  };

  route(
    {
      method: 'get',
      path: '/auth/methods',
      summary: 'How one signs in here: passwords, an OpenID Connect provider, or both',
      tags,
      auth: 'public',
      responses: {
        200: { description: 'The sign-in page shows what this says', schema: authMethodsResponse },
      },
    },
    async () => ({
      password: !ctx.config.OIDC_ONLY,
      oidc: ctx.config.OIDC_ISSUER ? { displayName: ctx.config.OIDC_DISPLAY_NAME } : null,
    }),
  );

  route(
    {
      method: 'post',
      path: '/auth/register',
      summary: 'Create an account and sign in',
      tags,
      auth: 'public',
      guard: passwordsOnly,
      rateLimit: perIp('registerPerIp'),
      request: { body: registerBody },
      responses: {
        201: { description: `Signed in. ${cookieNote}`, schema: sessionResponse },
        403: disabledNote,
        409: { description: 'Email already registered' },
      },
    },
    async ({ body, req, res }) => {
      await consume(registerPerAccount, body.email);
      const user = await registerUser(ctx, body);
      const accessToken = signedIn(res, await issueSession(ctx, user.id, sessionClient(req)));
      return { user: presentUser(user, ctx.config), accessToken };
    },
  );

  route(
    {
      method: 'post',
      path: '/auth/login',
      summary: 'Sign in',
      tags,
      auth: 'public',
      guard: passwordsOnly,
      rateLimit: perIp('loginPerIp'),
      request: { body: loginBody },
      responses: {
        200: { description: `Signed in. ${cookieNote}`, schema: sessionResponse },
        401: {
          description:
            'Wrong email or password; or, for an account with two-factor sign-in, a `totp-required` problem whose ' +
            '`challenge` goes to `POST /auth/totp` with a code',
          schema: totpRequiredProblem,
        },
        403: disabledNote,
      },
    },
    async ({ body, req, res }) => {
      const attempt = accountFrom(req, body.email);
      await loginFailures.ensureNotWaiting(attempt);
      const user = await findUserByEmail(ctx.sql, body.email);
      // Unknown emails still pay for a hash, and fail like a wrong password, so neither reveals an account.
      const valid = await verifyPassword(user?.passwordHash, body.password);
      if (!user || !valid) {
        await loginFailures.record(attempt);
        throw unauthorized('Email or password is incorrect.');
      }
      await loginFailures.reset(attempt);
      const signIn = await sessionOrChallenge(ctx, user.id, sessionClient(req));
      if (signIn.outcome === 'challenge') throw totpRequired(signIn.challenge, signIn.expiresInSeconds);
      return { user: presentUser(user, ctx.config), accessToken: signedIn(res, signIn.session) };
    },
  );

  route(
    {
      method: 'post',
      path: '/auth/totp',
      summary: 'Second step of signing in with two-factor: the challenge of the first step and a code',
      description:
        'A code from the authenticator app works once; a recovery code is spent. Limited per address and per account.',
      tags,
      auth: 'public',
      rateLimit: perIp('totpPerIp'),
      request: { body: totpChallengeBody },
      responses: {
        200: { description: `Signed in. ${cookieNote}`, schema: sessionResponse },
        401: { description: 'Wrong or already used code, or an expired challenge' },
        429: { description: 'Too many codes tried for this account; see Retry-After' },
      },
    },
    async ({ body, req, res }) => {
      const userId = await challengeUser(ctx, body.challenge);
      if (!userId) throw unauthorized('This sign-in has expired. Enter your password again.');
      await consume(totpPerUser, userId);
      const user = await findUser(ctx.sql, userId);
      const session =
        user && (await completeChallenge(ctx, body.challenge, userId, body.code, sessionClient(req)));
      if (!session) throw unauthorized('That code is not right, or was already used.');
      // Only failures in a row count: someone who signs in often never runs into the limit.
      await totpPerUser.delete(userId);
      return { user: presentUser(user, ctx.config), accessToken: signedIn(res, session) };
    },
  );

  route(
    {
      method: 'post',
      path: '/auth/refresh',
      summary: 'Exchange the refresh cookie for a new access token and a rotated cookie',
      tags,
      auth: 'public',
      responses: {
        200: { description: cookieNote, schema: refreshResponse },
        401: {
          description: 'Missing, expired or revoked refresh token; a reused one revokes its whole session',
        },
      },
    },
    async ({ req, res }) => {
      const token = readRefreshCookie(req);
      if (!token) throw unauthorized('No session. Sign in again.');
      const result = await rotateSession(ctx, token, sessionClient(req));
      if (result.outcome !== 'rotated') {
        if (result.outcome === 'reused') {
          req.log.warn({ userId: result.userId }, 'refresh token reused: session revoked');
        }
        clearRefreshCookie(res);
        throw unauthorized('Your session has ended. Sign in again.');
      }
      return { accessToken: signedIn(res, result.session) };
    },
  );

  route(
    {
      method: 'post',
      path: '/auth/logout',
      summary: 'End the session of the refresh cookie',
      tags,
      auth: 'public',
      responses: { 204: { description: 'Signed out' } },
    },
    async ({ req, res }) => {
      const token = readRefreshCookie(req);
      if (token) await revokeSessionOf(ctx, token);
      clearRefreshCookie(res);
    },
  );

  route(
    {
      method: 'post',
      path: '/auth/password/forgot',
      summary: 'Email a password-reset link (answers the same whether or not the account exists)',
      tags,
      auth: 'public',
      guard: passwordsOnly,
      rateLimit: perIp('forgotPerIp'),
      request: { body: forgotBody },
      responses: { 202: { description: 'Accepted', schema: acceptedResponse }, 403: disabledNote },
    },
    async ({ body, req, res }) => {
      const request = accountFrom(req, body.email);
      await forgotRequests.ensureNotWaiting(request);
      await forgotRequests.record(request);
      // Answer first, then look the account up: the response time says nothing about whether it exists.
      res.status(202).json({ status: 'accepted' });
      await requestPasswordReset(ctx, body.email).catch((error: unknown) => {
        req.log.error({ err: error }, 'password reset email could not be enqueued');
      });
    },
  );

  route(
    {
      method: 'post',
      path: '/auth/password/reset',
      summary: 'Set a new password with a reset token; ends every session',
      tags,
      auth: 'public',
      guard: passwordsOnly,
      rateLimit: perIp('resetPerIp'),
      request: { body: resetBody },
      responses: { 204: { description: 'Password changed' }, 403: disabledNote },
      transaction: true,
    },
    async ({ body, transaction }) => {
      await resetPassword(ctx, body.token, body.password, transaction!);
    },
  );

  route(
    {
      method: 'post',
      path: '/auth/email/verify',
      summary: 'Confirm the email address with the token of the welcome email link',
      tags,
      auth: 'public',
      rateLimit: perIp('verifyEmailPerIp'),
      request: { body: verifyEmailBody },
      responses: {
        204: { description: 'Address confirmed' },
        400: { description: 'Invalid or expired link' },
      },
    },
    async ({ body }) => {
      await verifyEmail(ctx, body.token);
    },
  );

  return routes;
}
