import { createCipheriv, hkdfSync, randomBytes } from 'node:crypto';

/**
 * A TOTP secret sealed as the api did before the data keyring (`v1.<iv>.<tag>.<ciphertext>`), for tests of the
 * start-up migration: the app itself no longer writes this format.
 */
export function sealLegacyTotpSecret(base32: string, keyMaterial: string): string {
  const key = Buffer.from(hkdfSync('sha256', keyMaterial, 'taskstack', 'totp-secret-v1', 32));
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const data = Buffer.concat([cipher.update(base32, 'utf8'), cipher.final()]);
  return ['v1', ...[iv, cipher.getAuthTag(), data].map((b) => b.toString('base64url'))].join('.');
}

/**
 * Stores a user's TOTP secret in the old form, as rows stood before migration 0017: its constraint is NOT VALID,
 * holding only rows written since, so the test lifts it for the write.
 */
export async function storeLegacyTotpSecret(
  db: { query(text: string, values?: unknown[]): Promise<unknown> },
  userId: string,
  legacy: string,
): Promise<void> {
  await db.query('ALTER TABLE user_totp DROP CONSTRAINT user_totp_secret_sealed');
  await db.query('UPDATE user_totp SET secret_encrypted = $2 WHERE user_id = $1', [userId, legacy]);
  await db.query(
    `ALTER TABLE user_totp ADD CONSTRAINT user_totp_secret_sealed CHECK (secret_encrypted LIKE 'enc:v1:%') NOT VALID`,
  );
}
