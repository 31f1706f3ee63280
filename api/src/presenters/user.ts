import type { UserRecord } from '@taskstack/db/repositories';
import { z } from 'zod';
import '../openapi/registry.js';
import { isInstanceAdmin } from '../auth/instance-admin.js';
import type { ApiConfig } from '../config.js';

export const userSchema = z
  .object({
    id: z.uuid(),
    email: z.email(),
    name: z.string(),
    isInstanceAdmin: z.boolean(),
    /** Whether the account has followed the link in its welcome email. */
    emailVerified: z.boolean(),
    createdAt: z.string(),
  })
  .openapi('User');

/** A user as the account owner (and instance admins) see it. */
export function presentUser(
  user: Pick<UserRecord, 'id' | 'email' | 'name' | 'isInstanceAdmin' | 'emailVerifiedAt' | 'createdAt'>,
  config: ApiConfig,
): z.infer<typeof userSchema> {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    isInstanceAdmin: isInstanceAdmin(user, config),
    emailVerified: user.emailVerifiedAt != null,
    createdAt: user.createdAt.toISOString(),
  };
}

/** A user in the instance admin's list: also whether two-factor sign-in is on (what a lost-device reset undoes). */
export const adminUserSchema = userSchema
  .extend({ twoFactor: z.boolean().describe('Two-factor sign-in (TOTP) is set up and confirmed') })
  .openapi('AdminUser');

export function presentAdminUser(
  user: Parameters<typeof presentUser>[0] & { twoFactor: boolean },
  config: ApiConfig,
): z.infer<typeof adminUserSchema> {
  return { ...presentUser(user, config), twoFactor: user.twoFactor };
}
