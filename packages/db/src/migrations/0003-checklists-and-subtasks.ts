import type { Migration } from './types.js';

/**
 * Subtasks are tasks with a parent in the same project, one level deep (a subtask has no subtasks): the API keeps
 * that rule, so no cycle can form. A deleted parent leaves its subtasks as plain tasks (SET NULL) rather than
 * taking them along. Checklist items are ordered by a fractional key, like cards in a column.
 */
export const checklistsAndSubtasks: Migration = {
  name: '0003-checklists-and-subtasks',
  async up({ context: sql }) {
    await sql(`
      ALTER TABLE tasks ADD COLUMN parent_id uuid REFERENCES tasks ON DELETE SET NULL;
      ALTER TABLE tasks ADD CONSTRAINT tasks_parent_not_self CHECK (parent_id <> id);
      CREATE INDEX tasks_parent ON tasks (parent_id) WHERE parent_id IS NOT NULL;

      CREATE TABLE checklist_items (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        task_id uuid NOT NULL REFERENCES tasks ON DELETE CASCADE,
        text text NOT NULL,
        done boolean NOT NULL DEFAULT false,
        position text COLLATE "C" NOT NULL,
        assignee_id uuid REFERENCES users ON DELETE SET NULL,
        due_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX checklist_items_task ON checklist_items (task_id, position);
    `);
  },
  async down({ context: sql }) {
    await sql(`
      DROP TABLE checklist_items;
      ALTER TABLE tasks DROP COLUMN parent_id;
    `);
  },
};
