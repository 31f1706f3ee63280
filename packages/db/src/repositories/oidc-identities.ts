import { rowsOf, type Queryable } from '../sql.js';

/** The OIDC identities repository: which user an (issuer, subject) pair of an OpenID Connect provider signs in. */

/** The user linked to the provider's account, noting the sign-in; undefined when none is linked yet. */
export async function useOidcIdentity(
  db: Queryable,
  issuer: string,
  subject: string,
): Promise<string | undefined> {
  const [row] = await rowsOf<{ user_id: string }>(
    db,
    `UPDATE oidc_identities SET last_used_at = now() WHERE issuer = $1 AND subject = $2 RETURNING user_id`,
    [issuer, subject],
  );
  return row?.user_id;
}

/**
 * Links the provider's account to a user. False when it is linked already (two first sign-ins at once): the
 * caller then reads which user won.
 */
export async function linkOidcIdentity(
  db: Queryable,
  identity: { issuer: string; subject: string; userId: string; email: string | null },
): Promise<boolean> {
  const rows = await rowsOf(
    db,
    `INSERT INTO oidc_identities (issuer, subject, user_id, email) VALUES ($1, $2, $3, $4)
      ON CONFLICT DO NOTHING RETURNING user_id`,
    [identity.issuer, identity.subject, identity.userId, identity.email],
  );
  return rows.length === 1;
}
