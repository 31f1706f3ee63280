import { Router, type Request, type Response } from 'express';
import { revokeSessionOf, rotateSession, issueSession, type Session } from '../../commands/sessions.js';
import { findUserByEmail, registerUser } from '../../commands/register-user.js';
import { requestPasswordReset, resetPassword } from '../../commands/password-reset.js';
import { verifyEmail } from '../../commands/verify-email.js';
import { verifyPassword } from '../../auth/passwords.js';
import { clearRefreshCookie, readRefreshCookie, setRefreshCookie } from '../../auth/refresh-cookie.js';
import type { AppContext } from '../../context.js';
import { unauthorized } from '../../errors.js';
import { GrowingDelay } from '../../middlewares/growing-delay.js';
import { clientIp, consume, createLimiter, limitPerIp } from '../../middlewares/rate-limit.js';
import { validate } from '../../middlewares/validate.js';
import { documentRoute } from '../../openapi/registry.js';
import { jsonBody, jsonResponse } from '../../openapi/json.js';
import { presentUser } from '../../presenters/user.js';
import { AUTH_DELAYS, AUTH_LIMITS } from './limits.js';
import {
  acceptedResponse,
  forgotBody,
  loginBody,
  refreshResponse,
  registerBody,
  resetBody,
  sessionResponse,
  verifyEmailBody,
} from './schema.js';

const cookieNote = 'Sets the httpOnly refresh cookie (`Path=/api/v1/auth`).';
documentRoute({
  method: 'post',
  path: '/auth/register',
  tags: ['auth'],
  public: true,
  summary: 'Create an account and sign in',
  request: jsonBody(registerBody),
  responses: {
    201: jsonResponse(`Signed in. ${cookieNote}`, sessionResponse),
    409: { description: 'Email already registered' },
  },
});
documentRoute({
  method: 'post',
  path: '/auth/login',
  tags: ['auth'],
  public: true,
  summary: 'Sign in',
  request: jsonBody(loginBody),
  responses: {
    200: jsonResponse(`Signed in. ${cookieNote}`, sessionResponse),
    401: { description: 'Wrong email or password' },
  },
});
documentRoute({
  method: 'post',
  path: '/auth/refresh',
  tags: ['auth'],
  public: true,
  summary: 'Exchange the refresh cookie for a new access token and a rotated cookie',
  responses: {
    200: jsonResponse(cookieNote, refreshResponse),
    401: { description: 'Missing, expired or revoked refresh token; a reused one revokes its whole session' },
  },
});
documentRoute({
  method: 'post',
  path: '/auth/logout',
  tags: ['auth'],
  public: true,
  summary: 'End the session of the refresh cookie',
  responses: { 204: { description: 'Signed out' } },
});
documentRoute({
  method: 'post',
  path: '/auth/password/forgot',
  tags: ['auth'],
  public: true,
  summary: 'Email a password-reset link (answers the same whether or not the account exists)',
  request: jsonBody(forgotBody),
  responses: { 202: jsonResponse('Accepted', acceptedResponse) },
});
documentRoute({
  method: 'post',
  path: '/auth/password/reset',
  tags: ['auth'],
  public: true,
  summary: 'Set a new password with a reset token; ends every session',
  request: jsonBody(resetBody),
  responses: { 204: { description: 'Password changed' } },
});

documentRoute({
  method: 'post',
  path: '/auth/email/verify',
  tags: ['auth'],
  public: true,
  summary: 'Confirm the email address with the token of the welcome email link',
  request: jsonBody(verifyEmailBody),
  responses: {
    204: { description: 'Address confirmed' },
    400: { description: 'Invalid or expired link' },
  },
});

/** Registration, sign-in, token refresh and password reset. */
export function authRouter(ctx: AppContext): Router {
  const router = Router();
  const limiter = (name: keyof typeof AUTH_LIMITS) =>
    createLimiter(ctx.redis, ctx.config.REDIS_PREFIX, AUTH_LIMITS[name]);
  const delay = (name: keyof typeof AUTH_DELAYS) =>
    new GrowingDelay(ctx.redis, ctx.config.REDIS_PREFIX, AUTH_DELAYS[name]);
  const loginFailures = delay('loginFailures');
  const forgotRequests = delay('forgotRequests');
  const accountFrom = (req: Request, email: string) => `${email.toLowerCase()}|${clientIp(req)}`;
  const registerPerAccount = limiter('registerPerAccount');

  const signedIn = (res: Response, session: Session) => {
    setRefreshCookie(res, session.refreshToken);
    return session.accessToken;
  };

  router.post(
    '/auth/register',
    limitPerIp(limiter('registerPerIp')),
    validate({ body: registerBody })(async (_req, res, { body }) => {
      await consume(registerPerAccount, body.email);
      const user = await registerUser(ctx, body);
      const accessToken = signedIn(res, await issueSession(ctx, user.id));
      res.status(201).json({ user: presentUser(user, ctx.config), accessToken });
    }),
  );

  router.post(
    '/auth/login',
    limitPerIp(limiter('loginPerIp')),
    validate({ body: loginBody })(async (req, res, { body }) => {
      const attempt = accountFrom(req, body.email);
      await loginFailures.ensureNotWaiting(attempt);
      const user = await findUserByEmail(body.email);
      // Unknown emails still pay for a hash, and fail like a wrong password, so neither reveals an account.
      const valid = await verifyPassword(user?.passwordHash, body.password);
      if (!user || !valid) {
        await loginFailures.record(attempt);
        throw unauthorized('Email or password is incorrect.');
      }
      await loginFailures.reset(attempt);
      const accessToken = signedIn(res, await issueSession(ctx, user.id));
      res.json({ user: presentUser(user, ctx.config), accessToken });
    }),
  );

  router.post(
    '/auth/refresh',
    validate({})(async (req, res) => {
      const token = readRefreshCookie(req);
      if (!token) throw unauthorized('No session. Sign in again.');
      const result = await rotateSession(ctx, token);
      if (result.outcome !== 'rotated') {
        if (result.outcome === 'reused') {
          req.log.warn({ userId: result.userId }, 'refresh token reused: session revoked');
        }
        clearRefreshCookie(res);
        throw unauthorized('Your session has ended. Sign in again.');
      }
      res.json({ accessToken: signedIn(res, result.session) });
    }),
  );

  router.post(
    '/auth/logout',
    validate({})(async (req, res) => {
      const token = readRefreshCookie(req);
      if (token) await revokeSessionOf(ctx, token);
      clearRefreshCookie(res);
      res.status(204).end();
    }),
  );

  router.post(
    '/auth/password/forgot',
    limitPerIp(limiter('forgotPerIp')),
    validate({ body: forgotBody })(async (req, res, { body }) => {
      const request = accountFrom(req, body.email);
      await forgotRequests.ensureNotWaiting(request);
      await forgotRequests.record(request);
      // Answer first, then look the account up: the response time says nothing about whether it exists.
      res.status(202).json({ status: 'accepted' });
      await requestPasswordReset(ctx, body.email).catch((error: unknown) => {
        req.log.error({ err: error }, 'password reset email could not be enqueued');
      });
    }),
  );

  router.post(
    '/auth/password/reset',
    limitPerIp(limiter('resetPerIp')),
    validate({ body: resetBody })(async (_req, res, { body }) => {
      await resetPassword(ctx, body.token, body.password);
      res.status(204).end();
    }),
  );

  router.post(
    '/auth/email/verify',
    limitPerIp(limiter('verifyEmailPerIp')),
    validate({ body: verifyEmailBody })(async (_req, res, { body }) => {
      await verifyEmail(ctx, body.token);
      res.status(204).end();
    }),
  );

  return router;
}
