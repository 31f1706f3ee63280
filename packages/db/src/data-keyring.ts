import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { ConfigError } from '@taskstack/config';

/**
 * Encryption of secrets the app must read back (webhook signing secrets: an HMAC needs the key itself, so a hash
 * will not do) under DATA_ENCRYPTION_KEY, so a database dump or a backup alone reveals none of them. AES-256-GCM
 * with the row's identity as associated data, so a sealed value copied onto another row does not open there.
 *
 * Sealed values read `enc:v1:<key id>:<iv>:<tag>:<ciphertext>` (base64url). The key id is derived from the key, so
 * operators never name keys: DATA_ENCRYPTION_KEY holds one key, or several separated by commas — the first seals,
 * every one opens. Rotating is putting a new key first and keeping the old one after it until the processes have
 * re-sealed everything under the new one at start-up (`sealPendingSecrets`).
 */

const PREFIX = 'enc:v1:';

type Key = { id: string; key: Buffer };

/** A key's 256 bits and its id, both derived from the configured text (at least 32 characters of it). */
function deriveKey(material: string): Key {
  const derive = (info: string, length: number) =>
    Buffer.from(hkdfSync('sha256', material, 'taskstack', info, length));
  return { id: derive('data-encryption-key-id', 4).toString('hex'), key: derive('data-encryption-key', 32) };
}

/** The setting's name, for start-up errors that say what to fix. */
export const DATA_ENCRYPTION_KEY = 'DATA_ENCRYPTION_KEY';

export class DataKeyring {
  readonly #keys: Key[];

  /** `keys`: the sealing key first, then older keys that still open what they sealed. */
  constructor(keys: readonly string[]) {
    if (keys.length === 0) throw new ConfigError([`${DATA_ENCRYPTION_KEY}: is required`]);
    this.#keys = keys.map(deriveKey);
  }

  /** The id of the key new values are sealed with. */
  get currentKeyId(): string {
    return this.#keys[0]!.id;
  }

  /** Whether one of these keys has the id (a sealed value naming another key cannot be opened here). */
  holds(keyId: string): boolean {
    return this.#keys.some((key) => key.id === keyId);
  }

  /** `plain` sealed under the current key, bound to `context` (e.g. `webhooks.secret:<id>`). */
  seal(plain: string, context: string): string {
    const { id, key } = this.#keys[0]!;
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key, iv).setAAD(Buffer.from(context, 'utf8'));
    const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return PREFIX + [id, ...[iv, cipher.getAuthTag(), data].map((b) => b.toString('base64url'))].join(':');
  }

  /** The plain text of a value sealed for `context`; throws SealedValueError naming what is wrong. */
  open(sealed: string, context: string): string {
    const parts = parseSealed(sealed);
    if (!parts) throw new SealedValueError(`${context} is not sealed (plain text in the database)`);
    const key = this.#keys.find((k) => k.id === parts.keyId);
    if (!key) {
      throw new SealedValueError(
        `${context} is sealed with key ${parts.keyId}, which ${DATA_ENCRYPTION_KEY} does not hold`,
      );
    }
    try {
      const decipher = createDecipheriv('aes-256-gcm', key.key, parts.iv).setAAD(
        Buffer.from(context, 'utf8'),
      );
      decipher.setAuthTag(parts.tag);
      return Buffer.concat([decipher.update(parts.data), decipher.final()]).toString('utf8');
    } catch {
      throw new SealedValueError(
        `${context} does not open with key ${parts.keyId} (altered, or another row's)`,
      );
    }
  }

  /** `open`, or undefined when the value cannot be opened (a SealedValueError); other errors still throw. */
  tryOpen(sealed: string, context: string): string | undefined {
    try {
      return this.open(sealed, context);
    } catch (error) {
      if (error instanceof SealedValueError) return undefined;
      throw error;
    }
  }
}

/** A sealed value that cannot be opened: plain, sealed with a key not configured, or altered. */
export class SealedValueError extends Error {
  override name = 'SealedValueError';
}

/** The parts of a sealed value, or undefined when it is not one (plain text from before encryption). */
function parseSealed(value: string) {
  if (!value.startsWith(PREFIX)) return undefined;
  const [keyId, iv, tag, data] = value.slice(PREFIX.length).split(':');
  if (!keyId || !iv || !tag || data === undefined) return undefined;
  const bytes = (text: string) => Buffer.from(text, 'base64url');
  return { keyId, iv: bytes(iv), tag: bytes(tag), data: bytes(data) };
}

/** The id of the key a value is sealed with; undefined for plain text. */
export const sealedKeyId = (value: string) => parseSealed(value)?.keyId;

/** SQL LIKE pattern of values sealed with `keyId`, for finding those that are not. */
export const sealedWithPattern = (keyId: string) => `${PREFIX}${keyId}:%`;
