import { rowsOf, type Queryable } from '../sql.js';

/** The personal API tokens repository: the `api_tokens` rows (never their secrets, only SHA-256 hashes). */
export type ApiTokenScope = 'read' | 'write';

export type ApiTokenRecord = {
  id: string;
  userId: string;
  workspaceId: string;
  name: string;
  scope: ApiTokenScope;
  hint: string;
  expiresAt: Date;
  lastUsedAt: Date | null;
  createdAt: Date;
};

/** A token as its owner lists it: with the name of its workspace. */
export type ApiTokenListing = ApiTokenRecord & { workspaceName: string };

type ApiTokenRow = {
  id: string;
  user_id: string;
  workspace_id: string;
  name: string;
  scope: ApiTokenScope;
  hint: string;
  expires_at: Date;
  last_used_at: Date | null;
  created_at: Date;
};

const COLUMNS = `id, user_id, workspace_id, name, scope, hint, expires_at, last_used_at, created_at`;
/** The same columns of `t` with its workspace's name: never the hash. */
const LISTING = `t.id, t.user_id, t.workspace_id, t.name, t.scope, t.hint, t.expires_at, t.last_used_at, t.created_at,
  w.name AS workspace_name`;

const fromRow = (row: ApiTokenRow): ApiTokenRecord => ({
  id: row.id,
  userId: row.user_id,
  workspaceId: row.workspace_id,
  name: row.name,
  scope: row.scope,
  hint: row.hint,
  expiresAt: row.expires_at,
  lastUsedAt: row.last_used_at,
  createdAt: row.created_at,
});

export type NewApiToken = Pick<
  ApiTokenRecord,
  'userId' | 'workspaceId' | 'name' | 'scope' | 'hint' | 'expiresAt'
> & {
  tokenHash: string;
};

const listing = (row: ApiTokenRow & { workspace_name: string }): ApiTokenListing => ({
  ...fromRow(row),
  workspaceName: row.workspace_name,
});

export async function insertApiToken(db: Queryable, token: NewApiToken): Promise<ApiTokenListing> {
  const [row] = await rowsOf<ApiTokenRow & { workspace_name: string }>(
    db,
    `WITH t AS (
       INSERT INTO api_tokens (user_id, workspace_id, name, scope, token_hash, hint, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ${COLUMNS})
     SELECT ${LISTING} FROM t JOIN workspaces w ON w.id = t.workspace_id`,
    [token.userId, token.workspaceId, token.name, token.scope, token.tokenHash, token.hint, token.expiresAt],
  );
  return listing(row!);
}

/** A user's tokens that still work (neither revoked nor expired), newest first. */
export async function liveApiTokensOf(db: Queryable, userId: string): Promise<ApiTokenListing[]> {
  const rows = await rowsOf<ApiTokenRow & { workspace_name: string }>(
    db,
    `SELECT ${LISTING}
       FROM api_tokens t JOIN workspaces w ON w.id = t.workspace_id
      WHERE t.user_id = $1 AND t.revoked_at IS NULL AND t.expires_at > now()
      ORDER BY t.created_at DESC, t.id`,
    [userId],
  );
  return rows.map(listing);
}

/** How many of a user's tokens still work: their number is capped. */
export async function countLiveApiTokens(db: Queryable, userId: string): Promise<number> {
  const [row] = await rowsOf<{ count: string }>(
    db,
    `SELECT count(*) FROM api_tokens WHERE user_id = $1 AND revoked_at IS NULL AND expires_at > now()`,
    [userId],
  );
  return Number(row!.count);
}

/** The live token whose secret hashes to `tokenHash`, or undefined (unknown, revoked or expired). */
export async function findLiveApiToken(
  db: Queryable,
  tokenHash: string,
): Promise<ApiTokenRecord | undefined> {
  const [row] = await rowsOf<ApiTokenRow>(
    db,
    `SELECT ${COLUMNS} FROM api_tokens WHERE token_hash = $1 AND revoked_at IS NULL AND expires_at > now()`,
    [tokenHash],
  );
  return row && fromRow(row);
}

/** Notes a use; written at most once a minute per token, so a busy script does not write on every request. */
export async function touchApiToken(db: Queryable, id: string): Promise<void> {
  await db.query(
    `UPDATE api_tokens SET last_used_at = now()
      WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')`,
    [id],
  );
}

/** Revokes one of the user's live tokens; false when they have no such token. */
export async function revokeApiToken(db: Queryable, userId: string, id: string): Promise<boolean> {
  const { rowCount } = await db.query(
    `UPDATE api_tokens SET revoked_at = now() WHERE id = $1 AND user_id = $2 AND revoked_at IS NULL`,
    [id, userId],
  );
  return rowCount === 1;
}

/** Revokes every live token of the user (a password reset: whoever had the old password may have made one). */
export async function revokeApiTokensOf(db: Queryable, userId: string): Promise<string[]> {
  const rows = await rowsOf<{ id: string }>(
    db,
    `UPDATE api_tokens SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL RETURNING id`,
    [userId],
  );
  return rows.map((row) => row.id);
}
