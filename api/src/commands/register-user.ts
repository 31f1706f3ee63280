import { insertUser, type UserRecord } from '@taskstack/db/repositories';
import { signVerifyToken } from '../auth/email-verification.js';
import { hashPassword } from '../auth/passwords.js';
import type { AppContext } from '../context.js';
import { conflict } from '../errors.js';
import { appLink } from './password-reset.js';

/**
 * Creates an account and enqueues its welcome email, which carries the link that proves the address. Signing up
 * never makes an instance admin, not even the first account of a fresh install: that takes an operator
 * (`createInstanceAdmin`) or a confirmed address in ADMIN_EMAILS.
 */
export async function registerUser(
  ctx: AppContext,
  input: { email: string; password: string; name: string },
): Promise<UserRecord> {
  const passwordHash = await hashPassword(input.password);
  const user = await insertUser(ctx.sql, { email: input.email, name: input.name, passwordHash });
  if (!user) throw conflict('An account with this email already exists.');
  // The account exists either way: a queue hiccup must not turn a successful sign-up into an error (and a retry
  // into "email taken"), so it is logged instead.
  const verifyToken = await signVerifyToken(user.id, user.email, ctx.config.JWT_SECRET);
  const verifyUrl = appLink(ctx, `/verify-email?token=${verifyToken}`);
  await ctx.emails
    .send('welcome', { to: user.email, name: user.name, verifyUrl }, `welcome-${user.id}`)
    .catch((error) => {
      ctx.logger.error({ err: error, userId: user.id }, 'welcome email could not be enqueued');
    });
  return user;
}
