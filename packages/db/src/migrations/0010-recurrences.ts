import type { Migration } from './types.js';

/**
 * Recurring tasks. A series (`task_recurrences`) holds the rule; each task it made is an occurrence keyed by
 * (series, local date) that names the occurrence it follows. Two unique keys make "completing an occurrence
 * creates the next one exactly once" a property of the schema rather than of timing: a date is made once per
 * series, and an occurrence has at most one successor — whether two replicas, a retry or the worker's catch-up
 * try. An occurrence keeps its date when its task is deleted (task_id set null): the date stays taken and the
 * series stops there rather than making that date again. Rules are read in the workspace's time zone, kept in a
 * table of this feature's own (no row: UTC) so that workspaces itself is not altered.
 */
export const recurrences: Migration = {
  name: '0010-recurrences',
  async up({ context: sql }) {
    await sql(`
      CREATE TABLE workspace_time_zones (
        workspace_id uuid PRIMARY KEY REFERENCES workspaces ON DELETE CASCADE,
        time_zone text NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE TABLE task_recurrences (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        workspace_id uuid NOT NULL REFERENCES workspaces ON DELETE CASCADE,
        rule jsonb NOT NULL,
        starts_on date NOT NULL,
        made integer NOT NULL DEFAULT 1 CHECK (made >= 1),
        finished_at timestamptz,
        created_by_id uuid REFERENCES users ON DELETE SET NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE TABLE recurrence_occurrences (
        series_id uuid NOT NULL REFERENCES task_recurrences ON DELETE CASCADE,
        occurrence_date date NOT NULL,
        -- The occurrence this one follows; null for the series' first.
        follows_date date,
        task_id uuid UNIQUE REFERENCES tasks ON DELETE SET NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (series_id, occurrence_date),
        UNIQUE (series_id, follows_date),
        FOREIGN KEY (series_id, follows_date) REFERENCES recurrence_occurrences (series_id, occurrence_date),
        CHECK (follows_date < occurrence_date)
      );
      -- The catch-up scan: running series only.
      CREATE INDEX task_recurrences_running ON task_recurrences (created_at, id) WHERE finished_at IS NULL;
    `);
  },
  async down({ context: sql }) {
    await sql(`
      DROP TABLE recurrence_occurrences;
      DROP TABLE task_recurrences;
      DROP TABLE workspace_time_zones;
    `);
  },
};
