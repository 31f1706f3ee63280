import type { Migration } from './types.js';

/**
 * Imports and exports of a workspace, run by the worker. One row per job: the API inserts it (queued) and enqueues
 * the job; the worker moves it through running to succeeded or failed, writing its progress (0–100 and a phase the
 * web app shows), its report (what an import skipped and why) or a readable error. `file_key` names, in attachment
 * storage, the uploaded file of an import or the zip of an export; `expires_at` is when the worker deletes that file
 * (the row stays, so the history still reads "expired").
 */
export const workspaceTransfers: Migration = {
  name: '0016-workspace-transfers',
  async up({ context: sql }) {
    await sql(`
      CREATE TABLE workspace_transfers (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        workspace_id uuid NOT NULL REFERENCES workspaces ON DELETE CASCADE,
        kind text NOT NULL CHECK (kind IN ('export', 'import')),
        source text CHECK (source IN ('taskstack', 'trello', 'csv', 'vikunja', 'planka')),
        status text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'running', 'succeeded', 'failed')),
        progress integer NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 100),
        phase text NOT NULL DEFAULT '',
        options jsonb NOT NULL DEFAULT '{}',
        file_key text,
        file_name text,
        file_size bigint,
        report jsonb,
        error text,
        created_by uuid REFERENCES users ON DELETE SET NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        started_at timestamptz,
        finished_at timestamptz,
        expires_at timestamptz
      );
      CREATE INDEX workspace_transfers_workspace ON workspace_transfers (workspace_id, created_at DESC, id DESC);
      -- One import and one export at a time per workspace: two imports at once would interleave their projects.
      CREATE UNIQUE INDEX workspace_transfers_one_running ON workspace_transfers (workspace_id, kind)
        WHERE status IN ('queued', 'running');
      CREATE INDEX workspace_transfers_expiry ON workspace_transfers (expires_at) WHERE file_key IS NOT NULL;
    `);
  },
  async down({ context: sql }) {
    await sql(`DROP TABLE workspace_transfers;`);
  },
};
