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
 * than starting and failing every delivery and sign-in. Returns how many values it sealed, the users whose TOTP
 * secret does not open (sealed before under another key than `legacyTotpKey`, or altered) and the webhooks whose
 * signing secret does not open (altered, or another row's): those rows are left as they are, for the caller to
 * report, since one bad row is no reason to refuse every other user and webhook.
 */
export async function sealPendingSecrets(
  db: Queryable,
  keyring: DataKeyring,
  legacyTotpKey?: string,
): Promise<{ sealed: number; unopenedTotp: string[]; unopenedWebhooks: string[] }> {
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
  return {
    sealed: webhooks.resealed + totp.resealed,
    unopenedTotp: totp.unopened,
    unopenedWebhooks: webhooks.unopened,
  };
}

type SealingResult = Awaited<ReturnType<typeof sealPendingSecrets>>;

/**
 * The api's and the worker's log of `sealPendingSecrets`: how many values it sealed, and a warning for each kind of
 * secret that does not open. Such webhooks' deliveries fail with that reason in the delivery log until an admin sets
 * a new secret (or removes the webhook); such users cannot finish a sign-in with a code until the key their secret
 * was sealed with is set, or an admin resets their two-factor (recovery codes still work).
 */
export function logSealing(
  logger: { info(fields: object, message: string): void; warn(fields: object, message: string): void },
  keyring: DataKeyring,
  { sealed, unopenedTotp, unopenedWebhooks }: SealingResult,
): void {
  if (sealed > 0) logger.info({ sealed, keyId: keyring.currentKeyId }, 'secrets sealed with the current key');
  if (unopenedWebhooks.length > 0)
    logger.warn(
      { webhookIds: unopenedWebhooks },
      'webhook signing secrets that do not open (altered, or copied from another webhook): their deliveries fail ' +
        'until a workspace admin sets a new secret',
    );
  if (unopenedTotp.length > 0)
    logger.warn(
      { userIds: unopenedTotp },
      'two-factor secrets that do not open (sealed before DATA_ENCRYPTION_KEY under another key than ' +
        'TOTP_ENCRYPTION_KEY, or JWT_SECRET when unset; or altered): these users cannot sign in until that key ' +
        'is set and the API restarted, or an admin resets their two-factor',
    );
}
