import { findUser } from '@taskstack/db/repositories';
import { confirmEnrolment, disableTotp, startEnrolment, totpStatus } from '../../commands/totp/enrolment.js';
import type { AppContext } from '../../context.js';
import { unauthorized } from '../../errors.js';
import { consume, createLimiter } from '../../middlewares/rate-limit.js';
import { AUTH_LIMITS } from '../auth/limits.js';
import { defineRoutes, type RouteGroup } from '../define.js';
import {
  disableTotpBody,
  recoveryCodesOutput,
  totpCodeBody,
  totpEnrolmentOutput,
  totpStatusOutput,
} from './schema.js';

/**
 * The signed-in user's two-factor sign-in (TOTP): status, enrolment with a QR code, confirmation (which gives the
 * recovery codes) and disabling. From a session only: no API token reaches the `totp` tag.
 */
export function totpRoutes(ctx: AppContext): RouteGroup {
  const { routes, route } = defineRoutes(ctx);
  const tags = ['totp'];
  // The same per-account budget of failures in a row as the sign-in step: a code is a code, wherever it is guessed.
  const perUser = createLimiter(ctx.redis, ctx.config.REDIS_PREFIX, AUTH_LIMITS.totpPerUser);
  const account = async (userId: string) => {
    // A token can outlive its account by up to 15 minutes; a deleted account is signed out.
    const found = await findUser(ctx.sql, userId);
    if (!found) throw unauthorized();
    return found;
  };

  route(
    {
      method: 'get',
      path: '/me/totp',
      summary: 'Whether two-factor sign-in is on, and the recovery codes left',
      tags,
      responses: { 200: { description: 'Status', schema: totpStatusOutput } },
    },
    async ({ user }) => totpStatus(ctx, await account(user.id)),
  );

  route(
    {
      method: 'post',
      path: '/me/totp',
      summary: 'Start setting up two-factor sign-in: a new secret as an otpauth:// URI and QR code',
      description:
        'The secret is shown here only; a new start replaces an unconfirmed one. Confirm with a code.',
      tags,
      responses: {
        201: { description: 'Scan it, then confirm', schema: totpEnrolmentOutput },
        409: { description: 'Two-factor sign-in is already on' },
      },
    },
    async ({ user }) => startEnrolment(ctx, await account(user.id)),
  );

  route(
    {
      method: 'post',
      path: '/me/totp/confirm',
      summary: 'Turn two-factor sign-in on with a first code; answers the recovery codes, shown once',
      tags,
      request: { body: totpCodeBody },
      responses: {
        200: { description: 'On; keep the recovery codes now', schema: recoveryCodesOutput },
        400: { description: 'Wrong code' },
        409: { description: 'No setup in progress' },
        429: { description: 'Too many codes tried; see Retry-After' },
      },
    },
    async ({ user, body }) => {
      await consume(perUser, user.id);
      const recoveryCodes = await confirmEnrolment(ctx, user.id, body.code);
      await perUser.delete(user.id);
      return { recoveryCodes };
    },
  );

  route(
    {
      method: 'post',
      path: '/me/totp/disable',
      summary:
        'Turn two-factor sign-in off, with the password (if the account has one) and a code or recovery code',
      tags,
      request: { body: disableTotpBody },
      responses: {
        204: { description: 'Off; the secret and recovery codes are deleted' },
        400: { description: 'Wrong password or code' },
        409: { description: 'Not on, or the caller owns a workspace that requires it' },
        429: { description: 'Too many codes tried; see Retry-After' },
      },
    },
    async ({ user, body }) => {
      await consume(perUser, user.id);
      await disableTotp(ctx, await account(user.id), body.password, body.code);
    },
  );

  return routes;
}
