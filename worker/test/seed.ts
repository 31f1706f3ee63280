import { sql } from './helpers.js';

/**
 * Fills a migrated database with `scale` users and tasks (plus workspaces, projects, labels, comments, activity)
 * in a few set-based statements, so seeding stays fast at any size.
 */
export async function seedDatabase(url: string, scale: number, descriptionBytes = 200): Promise<void> {
  await sql(
    url,
    `WITH ws AS (INSERT INTO workspaces (name) VALUES ('Seed workspace') RETURNING id),
          pr AS (INSERT INTO projects (workspace_id, name) SELECT id, 'Seed project' FROM ws RETURNING id, workspace_id)
     INSERT INTO labels (workspace_id, name, color) SELECT workspace_id, 'label-' || g, '#00aa00' FROM pr, generate_series(1, 5) g`,
  );
  await sql(
    url,
    `INSERT INTO users (email, name, password_hash, is_instance_admin)
     SELECT 'user' || g || '@seed.test', 'User ' || g, md5(g::text), g = 1 FROM generate_series(1, $1::int) g`,
    [Math.max(2, Math.ceil(scale / 10))],
  );
  await sql(
    url,
    `INSERT INTO tasks (workspace_id, project_id, number, title, description, position, due_at, assignee_id)
     SELECT p.workspace_id, p.id, g, 'Task ' || g || ' ✓',
            repeat(md5(g::text), $2::int / 32 + 1), lpad(g::text, 10, '0'), now() + g * interval '1 hour',
            (SELECT id FROM users ORDER BY email LIMIT 1)
       FROM projects p, generate_series(1, $1::int) g`,
    [scale, descriptionBytes],
  );
  await sql(
    url,
    `INSERT INTO comments (task_id, body) SELECT id, 'comment on ' || title FROM tasks;
     INSERT INTO task_labels (task_id, label_id) SELECT t.id, l.id FROM tasks t JOIN labels l ON l.name = 'label-' || (t.number % 5 + 1);
     INSERT INTO activity_events (workspace_id, project_id, verb, subject_type, subject_id, data)
       SELECT workspace_id, project_id, 'created', 'task', id, jsonb_build_object('n', number) FROM tasks;
     UPDATE projects SET task_counter = (SELECT count(*) FROM tasks)`,
  );
}

/** md5 of every table's rows in a stable order: equal checksums mean equal contents. */
export async function tableChecksums(url: string): Promise<Record<string, string>> {
  const tables = await sql<{ name: string }>(
    url,
    `SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' ORDER BY 1`,
  );
  const sums: Record<string, string> = {};
  for (const { name } of tables) {
    const [row] = await sql<{ sum: string }>(
      url,
      `SELECT count(*) || ':' || coalesce(md5(string_agg(t::text, '|' ORDER BY t::text)), '') AS sum FROM "${name}" t`,
    );
    sums[name] = row!.sum;
  }
  return sums;
}
