import type { Queryable } from '@taskstack/db';
import { insertUser } from '@taskstack/db/repositories';
import { hashPassword } from '../auth/passwords.js';

/** The address already has an account: an operator made a typo, or means someone who signed up already. */
export class AccountExistsError extends Error {
  constructor(readonly email: string) {
    super(`an account with ${email} exists already`);
    this.name = 'AccountExistsError';
  }
}

/**
 * Creates an instance admin on an operator's say-so (`npm run admin -- create`, or the stack's one-off job): the
 * only way to the stored admin flag, so nobody becomes admin by signing up first on a fresh install. The operator
 * vouches for the address, so it counts as confirmed (invitations to it bind, ADMIN_EMAILS applies). Inputs are
 * validated by the caller (the CLI) with the sign-up rules.
 */
export async function createInstanceAdmin(
  db: Queryable,
  input: { email: string; name: string; password: string },
) {
  const user = await insertUser(db, {
    email: input.email.toLowerCase(),
    name: input.name,
    passwordHash: await hashPassword(input.password),
    isInstanceAdmin: true,
    emailVerifiedAt: new Date(),
  });
  if (!user) throw new AccountExistsError(input.email);
  return user;
}
