import type { Migration } from './types.js';

/** The first schema: identity, tenancy, the task board, and the records auth and backups keep. */
export const initialSchema: Migration = {
  name: '0001-initial-schema',
  async up({ context: sql }) {
    await sql(`
      CREATE TYPE workspace_role AS ENUM ('owner', 'admin', 'member', 'viewer');
      CREATE TYPE task_status AS ENUM ('backlog', 'todo', 'in_progress', 'done');
      CREATE TYPE task_priority AS ENUM ('none', 'low', 'medium', 'high', 'urgent');
      CREATE TYPE backup_status AS ENUM ('running', 'succeeded', 'failed');

      CREATE TABLE users (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        email text NOT NULL,
        name text NOT NULL,
        password_hash text NOT NULL,
        is_instance_admin boolean NOT NULL DEFAULT false,
        email_verified_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE UNIQUE INDEX users_email_unique ON users (lower(email));
      CREATE INDEX users_created_at_id ON users (created_at, id);

      CREATE TABLE workspaces (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      );

      CREATE TABLE memberships (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        workspace_id uuid NOT NULL REFERENCES workspaces ON DELETE CASCADE,
        user_id uuid NOT NULL REFERENCES users ON DELETE CASCADE,
        role workspace_role NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (workspace_id, user_id)
      );
      CREATE INDEX memberships_user_id ON memberships (user_id);

      CREATE TABLE invitations (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        workspace_id uuid NOT NULL REFERENCES workspaces ON DELETE CASCADE,
        email text NOT NULL,
        role workspace_role NOT NULL,
        token_hash text NOT NULL UNIQUE,
        invited_by_id uuid REFERENCES users ON DELETE SET NULL,
        expires_at timestamptz NOT NULL,
        accepted_at timestamptz,
        accepted_by_id uuid REFERENCES users ON DELETE SET NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX invitations_workspace_id ON invitations (workspace_id);

      CREATE TABLE projects (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        workspace_id uuid NOT NULL REFERENCES workspaces ON DELETE CASCADE,
        name text NOT NULL,
        description text NOT NULL DEFAULT '',
        archived boolean NOT NULL DEFAULT false,
        -- Last task number handed out; incremented under the project's row lock so numbers never repeat.
        task_counter integer NOT NULL DEFAULT 0,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX projects_workspace_id ON projects (workspace_id, created_at);

      CREATE TABLE labels (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        workspace_id uuid NOT NULL REFERENCES workspaces ON DELETE CASCADE,
        name text NOT NULL,
        color text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE UNIQUE INDEX labels_workspace_name ON labels (workspace_id, lower(name));

      CREATE TABLE tasks (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        workspace_id uuid NOT NULL REFERENCES workspaces ON DELETE CASCADE,
        project_id uuid NOT NULL REFERENCES projects ON DELETE CASCADE,
        number integer NOT NULL,
        title text NOT NULL,
        description text NOT NULL DEFAULT '',
        status task_status NOT NULL DEFAULT 'todo',
        -- Fractional index: a move writes one row, never the whole column. "C" collation keeps byte order.
        position text COLLATE "C" NOT NULL,
        priority task_priority NOT NULL DEFAULT 'none',
        due_at timestamptz,
        assignee_id uuid REFERENCES users ON DELETE SET NULL,
        archived boolean NOT NULL DEFAULT false,
        created_by_id uuid REFERENCES users ON DELETE SET NULL,
        -- Due date a reminder was last sent for: one reminder per task per due date.
        reminded_due_at timestamptz,
        search tsvector GENERATED ALWAYS AS (
          setweight(to_tsvector('simple', title), 'A') || setweight(to_tsvector('simple', description), 'B')
        ) STORED,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (project_id, number)
      );
      CREATE INDEX tasks_board ON tasks (project_id, status, position, id);
      CREATE INDEX tasks_assignee ON tasks (project_id, assignee_id);
      CREATE INDEX tasks_due ON tasks (project_id, due_at, id);
      CREATE INDEX tasks_created ON tasks (project_id, created_at, id);
      CREATE INDEX tasks_priority ON tasks (project_id, priority, id);
      CREATE INDEX tasks_search ON tasks USING gin (search);
      CREATE INDEX tasks_reminders ON tasks (due_at) WHERE assignee_id IS NOT NULL AND status <> 'done';

      CREATE TABLE task_labels (
        task_id uuid NOT NULL REFERENCES tasks ON DELETE CASCADE,
        label_id uuid NOT NULL REFERENCES labels ON DELETE CASCADE,
        PRIMARY KEY (task_id, label_id)
      );
      CREATE INDEX task_labels_label_id ON task_labels (label_id);

      CREATE TABLE comments (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        task_id uuid NOT NULL REFERENCES tasks ON DELETE CASCADE,
        author_id uuid REFERENCES users ON DELETE SET NULL,
        body text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX comments_task ON comments (task_id, created_at, id);

      CREATE TABLE attachments (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        task_id uuid NOT NULL REFERENCES tasks ON DELETE CASCADE,
        uploaded_by_id uuid REFERENCES users ON DELETE SET NULL,
        filename text NOT NULL,
        content_type text NOT NULL,
        size bigint NOT NULL,
        storage_key text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX attachments_task ON attachments (task_id, created_at);

      CREATE TABLE activity_events (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        workspace_id uuid NOT NULL REFERENCES workspaces ON DELETE CASCADE,
        project_id uuid REFERENCES projects ON DELETE CASCADE,
        actor_id uuid REFERENCES users ON DELETE SET NULL,
        verb text NOT NULL,
        subject_type text NOT NULL,
        subject_id uuid NOT NULL,
        data jsonb NOT NULL DEFAULT '{}',
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX activity_project ON activity_events (project_id, created_at DESC, id DESC);

      CREATE TABLE refresh_tokens (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        family_id uuid NOT NULL,
        user_id uuid NOT NULL REFERENCES users ON DELETE CASCADE,
        token_hash text NOT NULL UNIQUE,
        expires_at timestamptz NOT NULL,
        used_at timestamptz,
        revoked_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX refresh_tokens_family ON refresh_tokens (family_id);
      CREATE INDEX refresh_tokens_user ON refresh_tokens (user_id);

      CREATE TABLE password_reset_tokens (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users ON DELETE CASCADE,
        token_hash text NOT NULL UNIQUE,
        expires_at timestamptz NOT NULL,
        used_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX password_reset_tokens_user ON password_reset_tokens (user_id);

      CREATE TABLE backups (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        file text NOT NULL,
        size bigint,
        sha256 text,
        status backup_status NOT NULL DEFAULT 'running',
        location text NOT NULL DEFAULT 'local',
        manifest jsonb,
        error text,
        started_at timestamptz NOT NULL DEFAULT now(),
        finished_at timestamptz,
        verified_at timestamptz,
        verification_status text,
        verification_error text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX backups_started ON backups (started_at DESC);
    `);
  },
  async down({ context: sql }) {
    await sql(`
      DROP TABLE backups, password_reset_tokens, refresh_tokens, activity_events, attachments, comments,
        task_labels, tasks, labels, projects, invitations, memberships, workspaces, users;
      DROP TYPE backup_status, task_priority, task_status, workspace_role;
    `);
  },
};
