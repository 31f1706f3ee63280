import {
  claimPasswordReset,
  findUserByEmail,
  insertPasswordReset,
  revokeApiTokensOf,
  setPasswordHash,
  usePasswordResetsOf,
} from '@taskstack/db/repositories';
import type { Transaction } from 'sequelize';
import { hashOpaqueToken, newOpaqueToken } from '../auth/opaque-token.js';
import { hashPassword } from '../auth/passwords.js';
import type { AppContext } from '../context.js';
import { badRequest } from '../errors.js';
import { noteSessionsEnded } from '../auth/session-revocations.js';
import { revokeAllSessions } from './sessions.js';

/** Reset links work for one hour. */
export const RESET_TOKEN_TTL_MS = 3600 * 1000;

/** Absolute link into the web app, which serves these paths. */
export const appLink = (ctx: AppContext, path: string) =>
  `${ctx.config.PUBLIC_URL.replace(/\/+$/, '')}${path}`;

/** Emails a single-use reset link when an account has this email; silently does nothing otherwise. */
export async function requestPasswordReset(ctx: AppContext, email: string): Promise<void> {
  const user = await findUserByEmail(ctx.sql, email);
  if (!user) return;
  const { token, hash } = newOpaqueToken();
  const id = await insertPasswordReset(ctx.sql, {
    userId: user.id,
    tokenHash: hash,
    expiresAt: new Date(Date.now() + RESET_TOKEN_TTL_MS),
  });
  await ctx.emails.send(
    'password-reset',
    { to: user.email, name: user.name, resetUrl: appLink(ctx, `/reset-password?token=${token}`) },
    `password-reset-${id}`,
  );
}

/**
 * Sets a new password from a reset token. Claiming the token and changing the password happen in the route's
 * transaction, so a token works once; every other reset link, every session and every API token of the account end
 * with it (a reset is how an account is taken back, and whoever held the old password may have issued a token).
 */
export async function resetPassword(
  ctx: AppContext,
  token: string,
  password: string,
  transaction: Transaction,
): Promise<void> {
  const db = ctx.sql.in(transaction);
  const userId = await claimPasswordReset(db, hashOpaqueToken(token));
  if (!userId) throw badRequest('This reset link is invalid or has expired. Ask for a new one.');
  await setPasswordHash(db, userId, await hashPassword(password));
  await usePasswordResetsOf(db, userId);
  await revokeAllSessions(ctx, db, userId);
  await noteSessionsEnded(ctx, await revokeApiTokensOf(db, userId));
}
