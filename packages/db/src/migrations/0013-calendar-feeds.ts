import type { Migration } from './types.js';

/**
 * The iCal feeds: at most one per user (rotating replaces it), found by the SHA-256 of its secret — the secret in
 * the URL is the only credential a calendar app sends, so only its hash is stored. `time_zone` is the IANA zone
 * of the browser that made the feed: the web app stores a date-only due date as 23:59 local time, and the feed
 * needs that zone to show such a task as an all-day event on the right day. The index serves "my tasks" and the
 * feed, which both read one person's tasks by due date
 * (on the table: since 0011 `tasks` is a view of its live rows).
 */
export const calendarFeeds: Migration = {
  name: '0013-calendar-feeds',
  async up({ context: sql }) {
    await sql(`
      CREATE TABLE calendar_feeds (
        user_id uuid PRIMARY KEY REFERENCES users ON DELETE CASCADE,
        token_hash text NOT NULL UNIQUE,
        time_zone text NOT NULL,
        last_used_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX all_tasks_assignee_due ON all_tasks (assignee_id, due_at) WHERE assignee_id IS NOT NULL;
    `);
  },
  async down({ context: sql }) {
    await sql(`
      DROP INDEX all_tasks_assignee_due;
      DROP TABLE calendar_feeds;
    `);
  },
};
