import type { Migration } from './types.js';

/**
 * Saved views of a project: a name for a set of filters and a sort in one of the project's views (board, list,
 * calendar), kept by its owner for themselves or shared with everyone in the project. `filters` holds only the
 * keys the API validated (the list view's URL query), so a view replays as a link.
 */
export const savedViews: Migration = {
  name: '0008-saved-views',
  async up({ context: sql }) {
    await sql(`
      CREATE TABLE saved_views (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        project_id uuid NOT NULL REFERENCES projects ON DELETE CASCADE,
        owner_id uuid NOT NULL REFERENCES users ON DELETE CASCADE,
        name text NOT NULL,
        view text NOT NULL CHECK (view IN ('board', 'list', 'calendar')),
        filters jsonb NOT NULL DEFAULT '{}',
        shared boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE UNIQUE INDEX saved_views_name ON saved_views (project_id, owner_id, lower(name));
    `);
  },
  async down({ context: sql }) {
    await sql(`
      DROP TABLE saved_views;
    `);
  },
};
