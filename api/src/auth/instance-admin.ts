import type { User } from '@taskstack/db';
import type { ApiConfig } from '../config.js';

/**
 * Instance admins are the accounts an operator made admins (stored flag, `npm run admin -- create`) plus anyone
 * listed in ADMIN_EMAILS (checked live) once they have proven the address: otherwise whoever signs up first with a
 * listed address would be admin.
 */
export function isInstanceAdmin(
  user: Pick<User, 'email' | 'isInstanceAdmin' | 'emailVerifiedAt'>,
  config: ApiConfig,
): boolean {
  if (user.isInstanceAdmin) return true;
  return user.emailVerifiedAt != null && config.ADMIN_EMAILS.includes(user.email.toLowerCase());
}
