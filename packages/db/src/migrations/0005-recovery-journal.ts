import type { Migration } from './types.js';

/**
 * Point-in-time recovery proves itself: the worker journals every few minutes what each table held (row count and
 * checksum) and which moments the repository could restore, and a nightly drill restores a random journal moment
 * and records whether the data came back as journalled.
 */
export const recoveryJournal: Migration = {
  name: '0005-recovery-journal',
  async up({ context: sql }) {
    await sql(`
      CREATE TABLE recovery_journal (
        id bigserial PRIMARY KEY,
        recorded_at timestamptz NOT NULL,
        tables jsonb NOT NULL,
        window_start timestamptz
      );
      CREATE INDEX recovery_journal_recorded ON recovery_journal (recorded_at);

      CREATE TABLE restore_drills (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        status text NOT NULL CHECK (status IN ('running', 'passed', 'failed')),
        target_time timestamptz,
        journal_id bigint,
        problems jsonb NOT NULL DEFAULT '[]',
        details jsonb,
        started_at timestamptz NOT NULL DEFAULT now(),
        finished_at timestamptz
      );
      CREATE INDEX restore_drills_started ON restore_drills (started_at DESC);
    `);
  },
  async down({ context: sql }) {
    await sql(`
      DROP TABLE restore_drills, recovery_journal;
    `);
  },
};
