import { createCipheriv, createDecipheriv, hkdfSync, randomBytes, randomInt } from 'node:crypto';
import { Secret, TOTP } from 'otpauth';
import { hashOpaqueToken } from './opaque-token.js';

/** RFC 6238 as every authenticator app reads it: SHA-1, 6 digits, 30 s steps. */
const PERIOD_SECONDS = 30;
const ISSUER = 'taskstack';
/** One step either side: a phone clock a little off, or a code typed as it rolled over, still works. */
const WINDOW = 1;

const totpOf = (secret: Secret, label = '') =>
  new TOTP({ issuer: ISSUER, label, algorithm: 'SHA1', digits: 6, period: PERIOD_SECONDS, secret });

/** A new 160-bit secret (RFC 4226's recommendation) with the otpauth:// URI an authenticator app scans. */
export function newTotpSecret(email: string): { base32: string; uri: string } {
  const secret = new Secret({ size: 20 });
  return { base32: secret.base32, uri: totpOf(secret, email).toString() };
}

/**
 * The time step a code belongs to when it is valid for `base32` now (within WINDOW), else null. The step is what
 * the caller records so the same code is refused a second time.
 */
export function totpStepOf(base32: string, code: string, now = Date.now()): number | null {
  const delta = totpOf(Secret.fromBase32(base32)).validate({ token: code, timestamp: now, window: WINDOW });
  if (delta === null) return null;
  return Math.floor(now / 1000 / PERIOD_SECONDS) + delta;
}

/**
 * Secrets are sealed with AES-256-GCM under a key derived from TOTP_ENCRYPTION_KEY (or JWT_SECRET): a database dump
 * alone does not give an attacker anyone's second factor. Format: `v1.<iv>.<tag>.<ciphertext>`, base64url.
 */
function keyOf(keyMaterial: string): Buffer {
  return Buffer.from(hkdfSync('sha256', keyMaterial, 'taskstack', 'totp-secret-v1', 32));
}

export function sealTotpSecret(base32: string, keyMaterial: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keyOf(keyMaterial), iv);
  const sealed = Buffer.concat([cipher.update(base32, 'utf8'), cipher.final()]);
  return ['v1', iv, cipher.getAuthTag(), sealed]
    .map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
    .join('.');
}

/** The base32 secret; throws when the key has changed (the user must be reset) or the value was tampered with. */
export function openTotpSecret(sealed: string, keyMaterial: string): string {
  const [version, iv, tag, data] = sealed.split('.');
  if (version !== 'v1' || !iv || !tag || !data) throw new Error('unknown sealed TOTP secret format');
  const decipher = createDecipheriv('aes-256-gcm', keyOf(keyMaterial), Buffer.from(iv, 'base64url'));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString('utf8');
}

const RECOVERY_CODES = 10;
const RECOVERY_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';

/**
 * Recovery codes like `k7m2p-9xq4r`: ten characters of an alphabet without look-alikes (about 49 bits each, drawn
 * without modulo bias), with the hashes that are all we keep.
 */
export function newRecoveryCodes(): { codes: string[]; hashes: string[] } {
  const codes = Array.from({ length: RECOVERY_CODES }, () => {
    const chars = Array.from({ length: 10 }, () => RECOVERY_ALPHABET[randomInt(RECOVERY_ALPHABET.length)]);
    return `${chars.slice(0, 5).join('')}-${chars.slice(5).join('')}`;
  });
  return { codes, hashes: codes.map(hashRecoveryCode) };
}

/** Typed codes vary in case and dashes; each is compared by the hash of its canonical form. */
export function hashRecoveryCode(code: string): string {
  const plain = code.toLowerCase().replace(/[^a-z0-9]/g, '');
  return hashOpaqueToken(`${plain.slice(0, 5)}-${plain.slice(5)}`);
}

/** A six-digit code from the app, as opposed to a recovery code. */
export const isTotpCode = (code: string) => /^\d{6}$/.test(code);
