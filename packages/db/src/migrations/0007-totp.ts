import type { Migration } from './types.js';

/**
 * TOTP two-factor sign-in (RFC 6238): one authenticator per user (`user_totp`; the secret encrypted by the API,
 * `confirmed_at` NULL while enrolment awaits its first code, `last_step` the newest time step accepted so no code
 * works twice), single-use recovery codes kept as SHA-256 hashes, and the owner's per-workspace requirement.
 */
export const totp: Migration = {
  name: '0007-totp',
  async up({ context: sql }) {
    await sql(`
      CREATE TABLE user_totp (
        user_id uuid PRIMARY KEY REFERENCES users ON DELETE CASCADE,
        secret_encrypted text NOT NULL,
        confirmed_at timestamptz,
        last_step bigint,
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE TABLE totp_recovery_codes (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users ON DELETE CASCADE,
        code_hash text NOT NULL,
        used_at timestamptz,
        UNIQUE (user_id, code_hash)
      );
      ALTER TABLE workspaces ADD COLUMN require_totp boolean NOT NULL DEFAULT false;
    `);
  },
  async down({ context: sql }) {
    await sql(`
      ALTER TABLE workspaces DROP COLUMN require_totp;
      DROP TABLE totp_recovery_codes;
      DROP TABLE user_totp;
    `);
  },
};
