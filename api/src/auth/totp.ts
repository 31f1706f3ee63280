import { randomInt } from 'node:crypto';
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
