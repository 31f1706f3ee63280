import { rowsOf, type Queryable, type Row } from '../sql.js';

/**
 * The users repository: accounts, and the single-use password-reset tokens that belong to them. Emails are unique
 * ignoring case (the index is on lower(email)), so every lookup by email compares lower-cased.
 */
export type UserRecord = {
  id: string;
  email: string;
  name: string;
  passwordHash: string;
  isInstanceAdmin: boolean;
  emailVerifiedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
};

const COLUMNS =
  'u.id, u.email, u.name, u.password_hash, u.is_instance_admin, u.email_verified_at, u.created_at, u.updated_at';

const userFromRow = (row: Row): UserRecord => ({
  id: row.id as string,
  email: row.email as string,
  name: row.name as string,
  passwordHash: row.password_hash as string,
  isInstanceAdmin: row.is_instance_admin as boolean,
  emailVerifiedAt: row.email_verified_at as Date | null,
  createdAt: row.created_at as Date,
  updatedAt: row.updated_at as Date,
});

export async function findUser(db: Queryable, id: string): Promise<UserRecord | undefined> {
  const [row] = await rowsOf(db, `SELECT ${COLUMNS} FROM users u WHERE u.id = $1`, [id]);
  return row && userFromRow(row);
}

/** A user by email, ignoring case. */
export async function findUserByEmail(db: Queryable, email: string): Promise<UserRecord | undefined> {
  const [row] = await rowsOf(db, `SELECT ${COLUMNS} FROM users u WHERE lower(u.email) = lower($1)`, [email]);
  return row && userFromRow(row);
}

/** Creates an account; undefined when the email (ignoring case) has one already. */
export async function insertUser(
  db: Queryable,
  user: {
    email: string;
    name: string;
    passwordHash: string;
    isInstanceAdmin?: boolean;
    emailVerifiedAt?: Date | null;
  },
): Promise<UserRecord | undefined> {
  const [row] = await rowsOf(
    db,
    `INSERT INTO users AS u (email, name, password_hash, is_instance_admin, email_verified_at)
      VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING RETURNING ${COLUMNS}`,
    [user.email, user.name, user.passwordHash, user.isInstanceAdmin ?? false, user.emailVerifiedAt ?? null],
  );
  return row && userFromRow(row);
}

export async function setPasswordHash(db: Queryable, userId: string, passwordHash: string): Promise<void> {
  await db.query(`UPDATE users SET password_hash = $2, updated_at = now() WHERE id = $1`, [
    userId,
    passwordHash,
  ]);
}

/** Marks the address confirmed if the account still has `email` (ignoring case) and was not confirmed yet. */
export async function markEmailVerified(db: Queryable, userId: string, email: string): Promise<void> {
  await db.query(
    `UPDATE users SET email_verified_at = now(), updated_at = now()
      WHERE id = $1 AND email_verified_at IS NULL AND lower(email) = $2`,
    [userId, email],
  );
}

/**
 * A page of accounts, oldest first, after the keyset `after` ([created_at as Postgres prints it, id]); each row
 * carries its `cursorAt` as text, since a JavaScript date would drop the microseconds.
 */
export async function usersPage(
  db: Queryable,
  after: [string, string] | undefined,
  limit: number,
): Promise<(UserRecord & { cursorAt: string; twoFactor: boolean })[]> {
  const rows = await rowsOf(
    db,
    `SELECT ${COLUMNS}, CAST(u.created_at AS text) AS cursor_at,
        EXISTS (SELECT 1 FROM user_totp t WHERE t.user_id = u.id AND t.confirmed_at IS NOT NULL) AS two_factor
      FROM users u
      ${after ? 'WHERE (u.created_at, u.id) > (CAST($2 AS timestamptz), CAST($3 AS uuid))' : ''}
      ORDER BY u.created_at, u.id LIMIT $1`,
    after ? [limit, after[0], after[1]] : [limit],
  );
  return rows.map((row) => ({
    ...userFromRow(row),
    cursorAt: row.cursor_at as string,
    twoFactor: row.two_factor as boolean,
  }));
}

/** Stores the hash of a new password-reset token; its id names the email job. */
export async function insertPasswordReset(
  db: Queryable,
  reset: { userId: string; tokenHash: string; expiresAt: Date },
): Promise<string> {
  const [row] = await rowsOf<{ id: string }>(
    db,
    `INSERT INTO password_reset_tokens (user_id, token_hash, expires_at) VALUES ($1, $2, $3) RETURNING id`,
    [reset.userId, reset.tokenHash, reset.expiresAt],
  );
  return row!.id;
}

/**
 * Marks an unused, unexpired reset token used in the statement that checks it, so two uses cannot both take it;
 * the account it resets, or undefined.
 */
export async function claimPasswordReset(db: Queryable, tokenHash: string): Promise<string | undefined> {
  const [row] = await rowsOf<{ user_id: string }>(
    db,
    `UPDATE password_reset_tokens SET used_at = $2, updated_at = now()
      WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2 RETURNING user_id`,
    [tokenHash, new Date()],
  );
  return row?.user_id;
}

/** Ends every other reset link of the account. */
export async function usePasswordResetsOf(db: Queryable, userId: string): Promise<void> {
  await db.query(
    `UPDATE password_reset_tokens SET used_at = now(), updated_at = now() WHERE user_id = $1 AND used_at IS NULL`,
    [userId],
  );
}
