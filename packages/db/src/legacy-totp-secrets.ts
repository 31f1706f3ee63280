import { createDecipheriv, hkdfSync } from 'node:crypto';

/**
 * TOTP secrets as the api sealed them before the data keyring took over: `v1.<iv>.<tag>.<ciphertext>` (base64url),
 * AES-256-GCM under a key derived from TOTP_ENCRYPTION_KEY or, unset, JWT_SECRET — with no key id, so that key
 * could never be rotated. Only opened, by the api's start-up, to re-seal them under the keyring; this file goes
 * with the TOTP_ENCRYPTION_KEY setting once no database can still hold such rows.
 */

/** The base32 secret of a value in the old format, or undefined when it is not one or `keyMaterial` does not open it. */
export function openLegacyTotpSecret(sealed: string, keyMaterial: string): string | undefined {
  const [version, iv, tag, data] = sealed.split('.');
  if (version !== 'v1' || !iv || !tag || !data) return undefined;
  const key = Buffer.from(hkdfSync('sha256', keyMaterial, 'taskstack', 'totp-secret-v1', 32));
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString(
      'utf8',
    );
  } catch {
    return undefined;
  }
}
