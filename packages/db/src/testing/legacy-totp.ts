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
