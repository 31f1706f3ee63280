import type { Migration } from './types.js';

/**
 * Accounts at an OpenID Connect provider linked to users: the provider's issuer and its `sub` (the one claim that
 * never changes, unlike the email) find the user on every sign-in after the first. One user may have several
 * identities (a second provider, a changed issuer URL); an identity belongs to one user.
 */
export const oidcIdentities: Migration = {
  name: '0014-oidc-identities',
  async up({ context: sql }) {
    await sql(`
      CREATE TABLE oidc_identities (
        issuer text NOT NULL,
        subject text NOT NULL,
        user_id uuid NOT NULL REFERENCES users ON DELETE CASCADE,
        email text,
        created_at timestamptz NOT NULL DEFAULT now(),
        last_used_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (issuer, subject)
      );
      CREATE INDEX oidc_identities_user ON oidc_identities (user_id);
    `);
  },
  async down({ context: sql }) {
    await sql(`DROP TABLE oidc_identities;`);
  },
};
