import { rowsOf, type Queryable, type Row } from '../sql.js';

/**
 * The sessions repository: refresh tokens, stored as hashes. A session is a family of tokens, each used once to
 * get the next; revoking the family ends the session. The `sessions` rows describe each family for the sessions
 * screen: the device and address it was last seen from.
 */
export type RefreshTokenRecord = {
  id: string;
  familyId: string;
  userId: string;
  usedAt: Date | null;
  revokedAt: Date | null;
};

const COLUMNS = 'id, family_id, user_id, used_at, revoked_at';

const tokenFromRow = (row: Row): RefreshTokenRecord => ({
  id: row.id as string,
  familyId: row.family_id as string,
  userId: row.user_id as string,
  usedAt: row.used_at as Date | null,
  revokedAt: row.revoked_at as Date | null,
});

export async function insertRefreshToken(
  db: Queryable,
  token: { familyId: string; userId: string; tokenHash: string; expiresAt: Date },
): Promise<void> {
  await db.query(
    `INSERT INTO refresh_tokens (family_id, user_id, token_hash, expires_at) VALUES ($1, $2, $3, $4)`,
    [token.familyId, token.userId, token.tokenHash, token.expiresAt],
  );
}

/**
 * Marks a live, unused token used in the statement that checks it, so two concurrent uses cannot both take it;
 * the token, or undefined when it was not live and unused.
 */
export async function claimRefreshToken(
  db: Queryable,
  tokenHash: string,
): Promise<RefreshTokenRecord | undefined> {
  const rows = await rowsOf(
    db,
    `UPDATE refresh_tokens SET used_at = $2, updated_at = now()
      WHERE token_hash = $1 AND used_at IS NULL AND revoked_at IS NULL AND expires_at > $2
      RETURNING ${COLUMNS}`,
    [tokenHash, new Date()],
  );
  return rows.length === 1 ? tokenFromRow(rows[0]!) : undefined;
}

export async function findRefreshToken(
  db: Queryable,
  tokenHash: string,
): Promise<RefreshTokenRecord | undefined> {
  const [row] = await rowsOf(db, `SELECT ${COLUMNS} FROM refresh_tokens WHERE token_hash = $1`, [tokenHash]);
  return row && tokenFromRow(row);
}

/** Whether the token was used after `since` and is still live (neither revoked nor expired). */
export async function usedSinceAndLive(db: Queryable, id: string, since: Date): Promise<boolean> {
  const rows = await rowsOf(
    db,
    `SELECT 1 FROM refresh_tokens
      WHERE id = $1 AND used_at > $2 AND revoked_at IS NULL AND expires_at > $3`,
    [id, since, new Date()],
  );
  return rows.length > 0;
}

/** Revokes every token of a family still live. */
export async function revokeRefreshFamily(db: Queryable, familyId: string): Promise<void> {
  await db.query(
    `UPDATE refresh_tokens SET revoked_at = $2, updated_at = now() WHERE family_id = $1 AND revoked_at IS NULL`,
    [familyId, new Date()],
  );
}

/** Revokes every unexpired token of a user; the families (sessions) they belonged to. */
export async function revokeRefreshTokensOf(db: Queryable, userId: string): Promise<string[]> {
  const now = new Date();
  const rows = await rowsOf<{ family_id: string }>(
    db,
    `UPDATE refresh_tokens SET revoked_at = $2, updated_at = now()
      WHERE user_id = $1 AND revoked_at IS NULL AND expires_at > $2 RETURNING family_id`,
    [userId, now],
  );
  return rows.map((row) => row.family_id);
}

/** Revokes every live token of one of the user's families; false when they have no such live session. */
export async function revokeUserRefreshFamily(
  db: Queryable,
  userId: string,
  familyId: string,
): Promise<boolean> {
  const { rowCount } = await db.query(
    `UPDATE refresh_tokens SET revoked_at = $3, updated_at = now()
      WHERE family_id = $1 AND user_id = $2 AND revoked_at IS NULL AND expires_at > $3`,
    [familyId, userId, new Date()],
  );
  return (rowCount ?? 0) > 0;
}

export type SessionClient = { userAgent: string; ipAddress: string };

export type SessionRecord = SessionClient & { id: string; createdAt: Date; lastSeenAt: Date };

/** Notes that session `id` was started or refreshed from `client` just now. */
export async function recordSessionSeen(
  db: Queryable,
  id: string,
  userId: string,
  client: SessionClient,
): Promise<void> {
  await db.query(
    `INSERT INTO sessions (id, user_id, user_agent, ip_address) VALUES ($1, $2, $3, $4)
     ON CONFLICT (id) DO UPDATE
       SET user_agent = EXCLUDED.user_agent, ip_address = EXCLUDED.ip_address, last_seen_at = now()`,
    [id, userId, client.userAgent, client.ipAddress],
  );
}

/**
 * A user's sessions that still work — their family holds a refresh token neither used, revoked nor expired — most
 * recently seen first.
 */
export async function liveSessionsOf(db: Queryable, userId: string): Promise<SessionRecord[]> {
  const rows = await rowsOf<{
    id: string;
    user_agent: string;
    ip_address: string;
    created_at: Date;
    last_seen_at: Date;
  }>(
    db,
    `SELECT s.id, s.user_agent, s.ip_address, s.created_at, s.last_seen_at FROM sessions s
      WHERE s.user_id = $1 AND EXISTS (
        SELECT 1 FROM refresh_tokens r WHERE r.family_id = s.id AND r.user_id = s.user_id
          AND r.used_at IS NULL AND r.revoked_at IS NULL AND r.expires_at > now())
      ORDER BY s.last_seen_at DESC, s.id`,
    [userId],
  );
  return rows.map((row) => ({
    id: row.id,
    userAgent: row.user_agent,
    ipAddress: row.ip_address,
    createdAt: row.created_at,
    lastSeenAt: row.last_seen_at,
  }));
}
