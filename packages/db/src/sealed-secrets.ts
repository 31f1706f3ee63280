import { ConfigError } from '@taskstack/config';
import { DATA_ENCRYPTION_KEY, type DataKeyring } from './data-keyring.js';
import { resealWebhookSecrets } from './repositories/webhooks.js';
import type { Queryable } from './sql.js';

/**
 * The start-up step of the api and the worker for secrets encrypted at rest: seals what is still plain (rows from
 * before encryption; a migration cannot, as it never holds the key) and re-seals under the current key what an older
 * key sealed, which completes a rotation. Throws a ConfigError naming DATA_ENCRYPTION_KEY when rows are sealed with a
 * key it does not hold — a key replaced instead of rotated — rather than starting and failing every delivery.
 * Returns how many values it sealed.
 */
export async function sealPendingSecrets(db: Queryable, keyring: DataKeyring): Promise<number> {
  const { resealed, missingKeys } = await resealWebhookSecrets(db, keyring);
  if (missingKeys.size > 0) {
    const which = [...missingKeys].map(([id, count]) => `${id} (sealed ${count} webhook secrets)`).join(', ');
    throw new ConfigError([
      `${DATA_ENCRYPTION_KEY}: does not hold key ${which}; to rotate, keep the old key after the new one`,
    ]);
  }
  return resealed;
}
