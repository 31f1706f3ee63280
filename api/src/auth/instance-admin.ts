import type { User } from '@taskstack/db';
import type { ApiConfig } from '../config.js';

/** Instance admins are the first registered user (stored flag) plus anyone listed in ADMIN_EMAILS (checked live). */
export function isInstanceAdmin(user: Pick<User, 'email' | 'isInstanceAdmin'>, config: ApiConfig): boolean {
  return user.isInstanceAdmin || config.ADMIN_EMAILS.includes(user.email.toLowerCase());
}
