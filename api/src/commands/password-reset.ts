import { PasswordResetToken, User } from '@taskstack/db';
import { Op } from 'sequelize';
import { hashOpaqueToken, newOpaqueToken } from '../auth/opaque-token.js';
import { hashPassword } from '../auth/passwords.js';
import type { AppContext } from '../context.js';
import { badRequest } from '../errors.js';
import { findUserByEmail } from './register-user.js';
import { revokeAllSessions } from './sessions.js';

/** Reset links work for one hour. */
export const RESET_TOKEN_TTL_MS = 3600 * 1000;

/** Absolute link into the web app, which serves these paths. */
export const appLink = (ctx: AppContext, path: string) =>
  `${ctx.config.PUBLIC_URL.replace(/\/+$/, '')}${path}`;

/** Emails a single-use reset link when an account has this email; silently does nothing otherwise. */
export async function requestPasswordReset(ctx: AppContext, email: string): Promise<void> {
  const user = await findUserByEmail(email);
  if (!user) return;
  const { token, hash } = newOpaqueToken();
  const row = await PasswordResetToken.create({
    userId: user.id,
    tokenHash: hash,
    expiresAt: new Date(Date.now() + RESET_TOKEN_TTL_MS),
  });
  await ctx.emails.send(
    'password-reset',
    { to: user.email, name: user.name, resetUrl: appLink(ctx, `/reset-password?token=${token}`) },
    `password-reset-${row.id}`,
  );
}

/**
 * Sets a new password from a reset token. Claiming the token and changing the password happen in one
 * transaction, so a token works once; every other reset link and every session of the account end with it.
 */
export async function resetPassword(ctx: AppContext, token: string, password: string): Promise<void> {
  await ctx.sequelize.transaction(async (transaction) => {
    const [count, rows] = await PasswordResetToken.update(
      { usedAt: new Date() },
      {
        where: { tokenHash: hashOpaqueToken(token), usedAt: null, expiresAt: { [Op.gt]: new Date() } },
        returning: true,
        transaction,
      },
    );
    const claimed = count === 1 ? rows[0] : undefined;
    if (!claimed) throw badRequest('This reset link is invalid or has expired. Ask for a new one.');
    await User.update(
      { passwordHash: await hashPassword(password) },
      { where: { id: claimed.userId }, transaction },
    );
    await PasswordResetToken.update(
      { usedAt: new Date() },
      { where: { userId: claimed.userId, usedAt: null }, transaction },
    );
    await revokeAllSessions(ctx, claimed.userId, transaction);
  });
}
