import { findUser, markEmailVerified } from '@taskstack/db/repositories';
import { readVerifyToken } from '../auth/email-verification.js';
import type { AppContext } from '../context.js';
import { badRequest } from '../errors.js';

/** Marks the address a verification link names as proven, if the account still has it; idempotent. */
export async function verifyEmail(ctx: AppContext, token: string): Promise<void> {
  const claim = await readVerifyToken(token, ctx.config.JWT_SECRET);
  const user = claim && (await findUser(ctx.sql, claim.userId));
  if (!claim || !user || user.email.toLowerCase() !== claim.email) {
    throw badRequest('This confirmation link is invalid or has expired. Sign in to get a new one.');
  }
  await markEmailVerified(ctx.sql, user.id, claim.email);
}
