import { ConfigError } from '@taskstack/config';
import { DATA_ENCRYPTION_KEY, type DataKeyring } from './data-keyring.js';
import { resealTotpSecrets } from './repositories/totp.js';
import { resealWebhookSecrets } from './repositories/webhooks.js';
import type { Queryable } from './sql.js';

/**
 * The start-up step of the api and the worker for secrets encrypted at rest (webhook signing secrets, TOTP secrets):
 * seals what is still plain (rows from before encryption; a migration cannot, as it never holds the key) and
 * re-seals under the current key what an older key sealed, which completes a rotation. `legacyTotpKey` (the api
 * only) opens the TOTP secrets sealed before the keyring, to re-seal them too. Throws a ConfigError naming
 * DATA_ENCRYPTION_KEY when rows are sealed with a key it does not hold — a key replaced instead of rotated — rather
 * than starting and failing every delivery and sign-in. Returns how many values it sealed and the users whose TOTP
 * secret does not open (sealed before under another key than `legacyTotpKey`, or altered).
 */
export async function sealPendingSecrets(
  db: Queryable,
  keyring: DataKeyring,
  legacyTotpKey?: string,
): Promise<{ sealed: number; unopenedTotp: string[] }> {
  const webhooks = await resealWebhookSecrets(db, keyring);
  const totp = await resealTotpSecrets(db, keyring, legacyTotpKey);
  const missing = new Map<string, string[]>();
  for (const [keys, what] of [
    [webhooks.missingKeys, 'webhook secrets'],
    [totp.missingKeys, 'two-factor secrets'],
  ] as const) {
    for (const [id, count] of keys) missing.set(id, [...(missing.get(id) ?? []), `${count} ${what}`]);
  }
  if (missing.size > 0) {
    const which = [...missing].map(([id, counts]) => `${id} (sealed ${counts.join(', ')})`).join(', ');
    throw new ConfigError([
      `${DATA_ENCRYPTION_KEY}: does not hold key ${which}; to rotate, keep the old key after the new one`,
    ]);
  }
  return { sealed: webhooks.resealed + totp.resealed, unopenedTotp: totp.unopened };
}
