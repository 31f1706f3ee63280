import type { Migration } from './types.js';

/**
 * TOTP secrets are sealed with the data keyring (`enc:v1:`) from here on, as webhook secrets are since 0015: new
 * and changed rows must hold that form. NOT VALID for the same reason: a migration holds neither
 * DATA_ENCRYPTION_KEY nor the legacy TOTP key, so rows of the old `v1.` form stay until the api re-seals them at
 * start-up (`sealPendingSecrets`), which writes the new form.
 */
export const totpSecretsSealed: Migration = {
  name: '0017-totp-secrets-sealed',
  async up({ context: sql }) {
    await sql(`
      ALTER TABLE user_totp ADD CONSTRAINT user_totp_secret_sealed
        CHECK (secret_encrypted LIKE 'enc:v1:%') NOT VALID;
      COMMENT ON COLUMN user_totp.secret_encrypted IS
        'sealed with DATA_ENCRYPTION_KEY: enc:v1:<key id>:<iv>:<tag>:<data>';
    `);
  },
  async down({ context: sql }) {
    await sql(`
      COMMENT ON COLUMN user_totp.secret_encrypted IS NULL;
      ALTER TABLE user_totp DROP CONSTRAINT user_totp_secret_sealed;
    `);
  },
};
