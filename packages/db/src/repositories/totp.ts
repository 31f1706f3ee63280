import { sealedKeyId, sealedWithPattern, type DataKeyring } from '../data-keyring.js';
import { openLegacyTotpSecret } from '../legacy-totp-secrets.js';
import { rowsOf, type Queryable } from '../sql.js';

/**
 * The two-factor repository: each user's TOTP authenticator (its secret sealed with the data keyring), their
 * single-use recovery codes (SHA-256 hashes) and the workspaces' "require two-factor" setting.
 */
export type TotpRecord = {
  userId: string;
  secretEncrypted: string;
  confirmedAt: Date | null;
  lastStep: number | null;
};

/**
 * `totp_missing` of the access queries: the caller is a member (`m`) of a workspace that requires two-factor and has
 * no confirmed authenticator. One expression on the membership row, so every loader decides it in its own statement.
 */
export const TOTP_MISSING_SQL = `(m.role IS NOT NULL
  AND EXISTS (SELECT 1 FROM workspaces rw WHERE rw.id = m.workspace_id AND rw.require_totp)
  AND NOT EXISTS (SELECT 1 FROM user_totp ut WHERE ut.user_id = m.user_id AND ut.confirmed_at IS NOT NULL))
  AS totp_missing`;

export async function findTotp(db: Queryable, userId: string): Promise<TotpRecord | undefined> {
  const [row] = await rowsOf<{
    user_id: string;
    secret_encrypted: string;
    confirmed_at: Date | null;
    last_step: string | null;
  }>(db, `SELECT user_id, secret_encrypted, confirmed_at, last_step FROM user_totp WHERE user_id = $1`, [
    userId,
  ]);
  return (
    row && {
      userId: row.user_id,
      secretEncrypted: row.secret_encrypted,
      confirmedAt: row.confirmed_at,
      lastStep: row.last_step === null ? null : Number(row.last_step),
    }
  );
}

/**
 * What a TOTP secret is sealed for (the associated data of its encryption): a sealed secret copied onto another
 * user's row does not open there.
 */
const secretContext = (userId: string) => `user_totp.secret:${userId}`;

/**
 * The base32 secret the user's codes are checked against, from the sealed value `findTotp` read; undefined when it
 * does not open (altered, another user's, or sealed under a key long gone).
 */
export const tryOpenTotpSecret = (keyring: DataKeyring, userId: string, sealed: string) =>
  keyring.tryOpen(sealed, secretContext(userId));

/**
 * Starts (or restarts) enrolment with a new secret, stored sealed with the keyring's current key; false when the
 * user already has a confirmed authenticator.
 */
export async function startTotpEnrolment(
  db: Queryable,
  keyring: DataKeyring,
  userId: string,
  base32: string,
): Promise<boolean> {
  const rows = await rowsOf(
    db,
    `INSERT INTO user_totp (user_id, secret_encrypted) VALUES ($1, $2)
      ON CONFLICT (user_id) DO UPDATE SET secret_encrypted = EXCLUDED.secret_encrypted, last_step = NULL,
        created_at = now()
      WHERE user_totp.confirmed_at IS NULL
      RETURNING user_id`,
    [userId, keyring.seal(base32, secretContext(userId))],
  );
  return rows.length > 0;
}

/**
 * Seals every TOTP secret not yet sealed with the keyring's current key: those of an older key after a rotation and,
 * given `legacyKey` (the api's TOTP_ENCRYPTION_KEY or JWT_SECRET), those from before the keyring. Run at start-up
 * like `resealWebhookSecrets`, each row replaced only if it still holds what was read. Returns how many were
 * re-sealed, the ids of keys that rows are sealed with but the keyring lacks, and the users whose secret does not
 * open (`legacyKey` is not the key it was sealed with, or the row was altered): those rows stay as they are, and
 * one such row does not keep the others from a rotation.
 */
export async function resealTotpSecrets(
  db: Queryable,
  keyring: DataKeyring,
  legacyKey?: string,
): Promise<{ resealed: number; missingKeys: Map<string, number>; unopened: string[] }> {
  const rows = await rowsOf<{ user_id: string; secret_encrypted: string }>(
    db,
    `SELECT user_id, secret_encrypted FROM user_totp WHERE secret_encrypted NOT LIKE $1`,
    [sealedWithPattern(keyring.currentKeyId)],
  );
  let resealed = 0;
  const missingKeys = new Map<string, number>();
  const unopened: string[] = [];
  for (const { user_id: userId, secret_encrypted: sealed } of rows) {
    const keyId = sealedKeyId(sealed);
    if (keyId !== undefined && !keyring.holds(keyId)) {
      missingKeys.set(keyId, (missingKeys.get(keyId) ?? 0) + 1);
      continue;
    }
    let base32: string | undefined;
    if (keyId !== undefined) base32 = tryOpenTotpSecret(keyring, userId, sealed);
    else if (legacyKey !== undefined) base32 = openLegacyTotpSecret(sealed, legacyKey);
    else continue; // the worker's pass: only the api holds the legacy key
    if (base32 === undefined) {
      unopened.push(userId);
      continue;
    }
    const result = await db.query(
      `UPDATE user_totp SET secret_encrypted = $3 WHERE user_id = $1 AND secret_encrypted = $2`,
      [userId, sealed, keyring.seal(base32, secretContext(userId))],
    );
    resealed += result.rowCount ?? 0;
  }
  return { resealed, missingKeys, unopened };
}

/**
 * Records that the code of time step `step` was used, in the statement that checks no later-or-equal step was:
 * two requests with one code cannot both pass. `confirm` also marks the enrolment confirmed.
 */
export async function claimTotpStep(
  db: Queryable,
  userId: string,
  step: number,
  confirm = false,
): Promise<boolean> {
  const rows = await rowsOf(
    db,
    `UPDATE user_totp SET last_step = $2, confirmed_at = CASE WHEN $3 THEN now() ELSE confirmed_at END
      WHERE user_id = $1 AND (last_step IS NULL OR last_step < $2)
        AND (CASE WHEN $3 THEN confirmed_at IS NULL ELSE confirmed_at IS NOT NULL END)
      RETURNING user_id`,
    [userId, step, confirm],
  );
  return rows.length > 0;
}

/** Replaces the user's recovery codes with these hashes. */
export async function replaceRecoveryCodes(db: Queryable, userId: string, hashes: string[]): Promise<void> {
  await rowsOf(db, `DELETE FROM totp_recovery_codes WHERE user_id = $1`, [userId]);
  await rowsOf(db, `INSERT INTO totp_recovery_codes (user_id, code_hash) SELECT $1, unnest($2::text[])`, [
    userId,
    hashes,
  ]);
}

/** Spends one recovery code; false when it is unknown or already used. */
export async function useRecoveryCode(db: Queryable, userId: string, hash: string): Promise<boolean> {
  const rows = await rowsOf(
    db,
    `UPDATE totp_recovery_codes SET used_at = now()
      WHERE user_id = $1 AND code_hash = $2 AND used_at IS NULL RETURNING id`,
    [userId, hash],
  );
  return rows.length > 0;
}

export async function unusedRecoveryCodes(db: Queryable, userId: string): Promise<number> {
  const [row] = await rowsOf<{ count: number }>(
    db,
    `SELECT count(*)::int AS count FROM totp_recovery_codes WHERE user_id = $1 AND used_at IS NULL`,
    [userId],
  );
  return row!.count;
}

/** Removes the user's authenticator and recovery codes (disable, or an admin's lost-device reset); false: none. */
export async function deleteTotp(db: Queryable, userId: string): Promise<boolean> {
  await rowsOf(db, `DELETE FROM totp_recovery_codes WHERE user_id = $1`, [userId]);
  return (
    (await rowsOf(db, `DELETE FROM user_totp WHERE user_id = $1 RETURNING user_id`, [userId])).length > 0
  );
}

/** Whether `userId` owns a workspace that requires two-factor (such an owner may not switch theirs off). */
export async function ownsTotpWorkspace(db: Queryable, userId: string): Promise<boolean> {
  const rows = await rowsOf(
    db,
    `SELECT 1 FROM memberships m JOIN workspaces w ON w.id = m.workspace_id
      WHERE m.user_id = $1 AND m.role = 'owner' AND w.require_totp LIMIT 1`,
    [userId],
  );
  return rows.length > 0;
}
