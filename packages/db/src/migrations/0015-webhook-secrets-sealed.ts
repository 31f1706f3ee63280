import type { Migration } from './types.js';

/**
 * Webhook signing secrets are encrypted at rest from here on (packages/db/src/data-keyring.ts): new and changed rows
 * must hold a sealed value. NOT VALID because a migration never holds DATA_ENCRYPTION_KEY, so it cannot seal the
 * rows written before; the api and the worker do at start-up (`sealPendingSecrets`), before they serve or work, and
 * any update of such a row fails until then rather than keep plain text.
 */
export const webhookSecretsSealed: Migration = {
  name: '0015-webhook-secrets-sealed',
  async up({ context: sql }) {
    await sql(`
      ALTER TABLE webhooks ADD CONSTRAINT webhooks_secret_sealed CHECK (secret LIKE 'enc:v1:%') NOT VALID;
      COMMENT ON COLUMN webhooks.secret IS 'sealed with DATA_ENCRYPTION_KEY: enc:v1:<key id>:<iv>:<tag>:<data>';
    `);
  },
  async down({ context: sql }) {
    await sql(`
      COMMENT ON COLUMN webhooks.secret IS NULL;
      ALTER TABLE webhooks DROP CONSTRAINT webhooks_secret_sealed;
    `);
  },
};
