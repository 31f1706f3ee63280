import {
  findUser,
  findUserByEmail,
  insertUser,
  linkOidcIdentity,
  markEmailVerified,
  useOidcIdentity,
  type UserRecord,
} from '@taskstack/db/repositories';
import type { OidcIdentity } from '../auth/oidc-client.js';
import { NO_PASSWORD } from '../auth/passwords.js';
import type { AppContext } from '../context.js';

/** Why a proven identity gets no account here; the sign-in page explains each. */
export type OidcRefusal = 'no-email' | 'unverified-email' | 'no-account';

export type OidcAccount = { outcome: 'user'; user: UserRecord } | { outcome: 'refused'; reason: OidcRefusal };

type AccountContext = Pick<AppContext, 'config' | 'sql'>;

/**
 * The account a provider's identity signs in to. An identity linked before finds its user whatever its address
 * says now. Otherwise the address decides, and only when the provider says it verified it: anyone can type any
 * address into some provider, and linking on an unverified one would hand them that person's account. A verified
 * address links to its account (and confirms it), or — with OIDC_AUTO_PROVISION — gets a new one without a
 * password.
 */
export async function accountForOidc(ctx: AccountContext, identity: OidcIdentity): Promise<OidcAccount> {
  const linked = await linkedUser(ctx, identity);
  if (linked) return { outcome: 'user', user: linked };
  if (!identity.email) return { outcome: 'refused', reason: 'no-email' };
  if (!identity.emailVerified) return { outcome: 'refused', reason: 'unverified-email' };
  let user = await findUserByEmail(ctx.sql, identity.email);
  if (!user) {
    if (!ctx.config.OIDC_AUTO_PROVISION) return { outcome: 'refused', reason: 'no-account' };
    user =
      (await insertUser(ctx.sql, {
        email: identity.email,
        name: (identity.name ?? identity.email.split('@')[0]!).slice(0, 100),
        passwordHash: NO_PASSWORD,
        emailVerifiedAt: new Date(),
      })) ??
      // The same person's second tab signed up a moment ago.
      (await findUserByEmail(ctx.sql, identity.email))!;
  } else {
    await markEmailVerified(ctx.sql, user.id, identity.email);
  }
  const won = await linkOidcIdentity(ctx.sql, {
    issuer: identity.issuer,
    subject: identity.subject,
    userId: user.id,
    email: identity.email,
  });
  // Two first sign-ins at once: the identity belongs to whichever user the other one linked.
  const owner = won ? await findUser(ctx.sql, user.id) : await linkedUser(ctx, identity);
  return { outcome: 'user', user: owner! };
}

async function linkedUser(ctx: AccountContext, identity: OidcIdentity): Promise<UserRecord | undefined> {
  const userId = await useOidcIdentity(ctx.sql, identity.issuer, identity.subject);
  return userId ? findUser(ctx.sql, userId) : undefined;
}
