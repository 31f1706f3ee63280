import type { Migration } from './types.js';

/**
 * Sessions as their owner sees them: one row per refresh-token family (`id` is the family id, the `sid` of its
 * access tokens) with the device and address it was last refreshed from, so the sessions screen can list and end
 * them. Whether a session is live stays the business of `refresh_tokens`; this row only describes it.
 */
export const sessions: Migration = {
  name: '0006-sessions',
  async up({ context: sql }) {
    await sql(`
      CREATE TABLE sessions (
        id uuid PRIMARY KEY,
        user_id uuid NOT NULL REFERENCES users ON DELETE CASCADE,
        user_agent text NOT NULL,
        ip_address text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        last_seen_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX sessions_user ON sessions (user_id, last_seen_at);
    `);
  },
  async down({ context: sql }) {
    await sql(`
      DROP TABLE sessions;
    `);
  },
};
