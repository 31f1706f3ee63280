import type { Migration } from './types.js';

/**
 * Sorting a project's tasks by due date puts tasks without one last, which the API expresses as
 * COALESCE(due_at, 'infinity'); this index matches that expression so the sort and its keyset cursor use it (tasks_due still serves `dueBefore`).
 */
export const taskDueOrderIndex: Migration = {
  name: '0002-task-due-order-index',
  async up({ context: sql }) {
    await sql(`
      CREATE INDEX tasks_due_order ON tasks (project_id, (COALESCE(due_at, 'infinity'::timestamptz)), id);
    `);
  },
  async down({ context: sql }) {
    await sql(`
      DROP INDEX tasks_due_order;
    `);
  },
};
