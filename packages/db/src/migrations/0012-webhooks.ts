import type { Migration } from './types.js';

/**
 * Webhooks of a workspace and the log of their deliveries. The signing secret is kept as issued because the worker
 * signs every delivery with it (HMAC needs the key itself, a hash would not do); the API shows it only once, at
 * creation or rotation. A delivery row is one event sent to one webhook, updated by each attempt; `body` is the
 * exact JSON sent, so a replay sends the same bytes. An event fans out at most once per webhook (the partial
 * unique index), however often its fan-out job is retried.
 */
export const webhooks: Migration = {
  name: '0012-webhooks',
  async up({ context: sql }) {
    await sql(`
      CREATE TABLE webhooks (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        workspace_id uuid NOT NULL REFERENCES workspaces ON DELETE CASCADE,
        url text NOT NULL,
        description text NOT NULL DEFAULT '',
        secret text NOT NULL,
        events text[] NOT NULL,
        active boolean NOT NULL DEFAULT true,
        disabled_reason text,
        consecutive_failures integer NOT NULL DEFAULT 0,
        created_by uuid REFERENCES users ON DELETE SET NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX webhooks_workspace ON webhooks (workspace_id, created_at);
      CREATE TABLE webhook_deliveries (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        webhook_id uuid NOT NULL REFERENCES webhooks ON DELETE CASCADE,
        event_id text NOT NULL,
        event_type text NOT NULL,
        trigger text NOT NULL CHECK (trigger IN ('event', 'replay', 'ping')),
        body text NOT NULL,
        status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'retrying', 'succeeded', 'failed')),
        attempts integer NOT NULL DEFAULT 0,
        response_status integer,
        response_snippet text,
        duration_ms integer,
        error text,
        created_at timestamptz NOT NULL DEFAULT now(),
        last_attempt_at timestamptz,
        completed_at timestamptz
      );
      CREATE UNIQUE INDEX webhook_deliveries_event ON webhook_deliveries (webhook_id, event_id) WHERE trigger = 'event';
      CREATE INDEX webhook_deliveries_log ON webhook_deliveries (webhook_id, created_at DESC, id DESC);
    `);
  },
  async down({ context: sql }) {
    await sql(`
      DROP TABLE webhook_deliveries;
      DROP TABLE webhooks;
    `);
  },
};
