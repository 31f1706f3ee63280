import argon2 from 'argon2';

/** OWASP's argon2id baseline (19 MiB, 2 passes, 1 lane): strong, yet affordable on a 2-core host under load. */
const OPTIONS = { type: argon2.argon2id, memoryCost: 19 * 1024, timeCost: 2, parallelism: 1 } as const;

/** Hashes a password for storage; the encoded hash carries its own salt and parameters. */
export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, OPTIONS);
}

/**
 * The stored hash of an account that has no password (made by an OIDC sign-in): it matches nothing, and checking
 * it costs as much as an unknown email, so a password attempt does not tell such accounts apart.
 */
export const NO_PASSWORD = '!';

let dummyHash: Promise<string> | undefined;

/**
 * Checks a password against a stored hash. Without a hash (unknown email, or NO_PASSWORD) it verifies against a dummy one, so a
 * login for an unknown account takes as long as a wrong password and does not reveal which emails exist.
 */
export async function verifyPassword(hash: string | undefined, password: string): Promise<boolean> {
  if (!hash || hash === NO_PASSWORD) {
    dummyHash ??= hashPassword('taskstack-dummy-password');
    await argon2.verify(await dummyHash, password).catch(() => false);
    return false;
  }
  return argon2.verify(hash, password).catch(() => false);
}
