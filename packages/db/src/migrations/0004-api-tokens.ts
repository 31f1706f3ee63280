import type { Migration } from './types.js';

/**
 * Personal API tokens: a user's named, expiring bearer secrets, each for one workspace with read or write scope.
 * Only the SHA-256 of a secret is kept (the secrets are 256-bit random, so the hash cannot be guessed back); `hint`
 * is its recognisable start (`tsk_` and four characters) so a list can tell them apart.
 */
export const apiTokens: Migration = {
  name: '0004-api-tokens',
  async up({ context: sql }) {
    await sql(`
      CREATE TABLE api_tokens (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users ON DELETE CASCADE,
        workspace_id uuid NOT NULL REFERENCES workspaces ON DELETE CASCADE,
        name text NOT NULL,
        scope text NOT NULL CHECK (scope IN ('read', 'write')),
        token_hash text NOT NULL UNIQUE,
        hint text NOT NULL,
        expires_at timestamptz NOT NULL,
        last_used_at timestamptz,
        revoked_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX api_tokens_user ON api_tokens (user_id, created_at);
    `);
  },
  async down({ context: sql }) {
    await sql(`
      DROP TABLE api_tokens;
    `);
  },
};
