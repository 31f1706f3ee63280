import type { Migration } from './types.js';

/**
 * The trash: deleting a task, comment or project stamps `deleted_at`/`deleted_by_id` instead of removing the row;
 * the worker purges what is older than the workspace's `trash_retention_days`.
 *
 * Why views rather than a filter in each repository: some forty statements (board, list, search, bulk edits,
 * subtasks and their progress counts, activity and inbox joins, the SSE membership checks, the worker's reminders
 * and digests, the benchmark's bare server) read these three tables, and any one of them forgetting
 * `deleted_at IS NULL` — today or in a later feature — would leak a trashed row. So the tables become
 * all_tasks/all_projects/all_comments and the old names are views of the live rows only: every existing query
 * keeps its meaning, and only the trash repository, which names the all_* tables, ever sees a trashed row.
 * The views are simple (one table, a WHERE), hence auto-updatable: INSERT … RETURNING, UPDATE, DELETE and
 * FOR UPDATE go through to the table, with the table's defaults. Foreign keys follow the rename (they bind to the
 * table), so purging still cascades to comments, labels, checklists and attachment rows.
 *
 * A view filters one table, so the rows that go with a trashed one are stamped with it, in the same statement and
 * the same `deleted_at`: a project's live tasks, a task's live subtasks. That timestamp is how a restore knows what
 * to bring back (and what was trashed on its own before, which stays). Comments and attachments of a trashed task
 * are not stamped: every path to them goes through their task (the access queries join `tasks`).
 *
 * A later migration that adds a column to one of these tables must recreate its view (a view's `*` is expanded
 * when it is created).
 */
export const trash: Migration = {
  name: '0011-trash',
  async up({ context: sql }) {
    await sql(`
      ALTER TABLE tasks RENAME TO all_tasks;
      ALTER TABLE projects RENAME TO all_projects;
      ALTER TABLE comments RENAME TO all_comments;
      ALTER TABLE all_tasks ADD COLUMN deleted_at timestamptz,
        ADD COLUMN deleted_by_id uuid REFERENCES users ON DELETE SET NULL;
      ALTER TABLE all_projects ADD COLUMN deleted_at timestamptz,
        ADD COLUMN deleted_by_id uuid REFERENCES users ON DELETE SET NULL;
      ALTER TABLE all_comments ADD COLUMN deleted_at timestamptz,
        ADD COLUMN deleted_by_id uuid REFERENCES users ON DELETE SET NULL;
      CREATE VIEW tasks AS SELECT * FROM all_tasks WHERE deleted_at IS NULL;
      CREATE VIEW projects AS SELECT * FROM all_projects WHERE deleted_at IS NULL;
      CREATE VIEW comments AS SELECT * FROM all_comments WHERE deleted_at IS NULL;
      CREATE INDEX all_tasks_trash ON all_tasks (workspace_id, deleted_at DESC, id DESC) WHERE deleted_at IS NOT NULL;
      CREATE INDEX all_projects_trash ON all_projects (workspace_id, deleted_at DESC, id DESC)
        WHERE deleted_at IS NOT NULL;
      CREATE INDEX all_comments_trash ON all_comments (deleted_at DESC, id DESC) WHERE deleted_at IS NOT NULL;
      ALTER TABLE workspaces ADD COLUMN trash_retention_days integer NOT NULL DEFAULT 30
        CHECK (trash_retention_days BETWEEN 1 AND 365);
    `);
  },
  async down({ context: sql }) {
    await sql(`
      ALTER TABLE workspaces DROP COLUMN trash_retention_days;
      DROP VIEW comments, projects, tasks;
      DELETE FROM all_projects WHERE deleted_at IS NOT NULL;
      DELETE FROM all_tasks WHERE deleted_at IS NOT NULL;
      DELETE FROM all_comments WHERE deleted_at IS NOT NULL;
      ALTER TABLE all_comments DROP COLUMN deleted_at, DROP COLUMN deleted_by_id;
      ALTER TABLE all_projects DROP COLUMN deleted_at, DROP COLUMN deleted_by_id;
      ALTER TABLE all_tasks DROP COLUMN deleted_at, DROP COLUMN deleted_by_id;
      ALTER TABLE all_comments RENAME TO comments;
      ALTER TABLE all_projects RENAME TO projects;
      ALTER TABLE all_tasks RENAME TO tasks;
    `);
  },
};
