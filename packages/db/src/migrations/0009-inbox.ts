import type { Migration } from './types.js';

/**
 * The inbox: one row per thing that concerns a user (assigned, mentioned, a comment on their task, due soon), kept
 * per workspace so each workspace's inbox and unread count stay separate. `dedupe_key` makes the worker's due-soon
 * items idempotent; `emailed_at` marks what an immediate email or a digest already covered. `digest_deliveries`
 * records the one digest per user per UTC day, so a re-run or a second worker replica sends nothing more.
 */
export const inbox: Migration = {
  name: '0009-inbox',
  async up({ context: sql }) {
    await sql(`
      CREATE TABLE notifications (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users ON DELETE CASCADE,
        workspace_id uuid NOT NULL REFERENCES workspaces ON DELETE CASCADE,
        task_id uuid REFERENCES tasks ON DELETE CASCADE,
        actor_id uuid REFERENCES users ON DELETE SET NULL,
        kind text NOT NULL CHECK (kind IN ('assigned', 'mentioned', 'commented', 'due_soon')),
        excerpt text NOT NULL DEFAULT '',
        dedupe_key text,
        read_at timestamptz,
        emailed_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (user_id, dedupe_key)
      );
      CREATE INDEX notifications_inbox ON notifications (user_id, workspace_id, created_at DESC, id DESC);
      CREATE INDEX notifications_unread ON notifications (user_id, workspace_id) WHERE read_at IS NULL;
      CREATE INDEX notifications_unemailed ON notifications (user_id) WHERE emailed_at IS NULL;
      ALTER TABLE users ADD COLUMN email_notifications text NOT NULL DEFAULT 'immediately'
        CHECK (email_notifications IN ('immediately', 'daily', 'never'));
      CREATE TABLE digest_deliveries (
        user_id uuid NOT NULL REFERENCES users ON DELETE CASCADE,
        day date NOT NULL,
        items integer NOT NULL,
        sent_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (user_id, day)
      );
    `);
  },
  async down({ context: sql }) {
    await sql(`
      DROP TABLE digest_deliveries;
      ALTER TABLE users DROP COLUMN email_notifications;
      DROP TABLE notifications;
    `);
  },
};
