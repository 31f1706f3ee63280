import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { sql } from './helpers.js';

/** A user with a unique email. */
export async function user(
  url: string,
  name: string,
  email = `${name.toLowerCase()}-${randomUUID().slice(0, 8)}@example.test`,
): Promise<{ id: string; email: string }> {
  const [row] = await sql<{ id: string }>(
    url,
    `INSERT INTO users (email, name, password_hash) VALUES ($1, $2, 'x') RETURNING id`,
    [email, name],
  );
  return { id: row!.id, email };
}

/** A workspace whose members are `members` (the first the owner). */
export async function workspace(url: string, name: string, members: { id: string }[]): Promise<string> {
  const [row] = await sql<{ id: string }>(url, `INSERT INTO workspaces (name) VALUES ($1) RETURNING id`, [
    name,
  ]);
  for (const [i, m] of members.entries()) {
    await sql(url, `INSERT INTO memberships (workspace_id, user_id, role) VALUES ($1, $2, $3)`, [
      row!.id,
      m.id,
      i === 0 ? 'owner' : 'member',
    ]);
  }
  return row!.id;
}

/**
 * A workspace with one of everything an export carries: two projects, labels, tasks in several columns with
 * assignees and due dates, a subtask, a checklist, comments, an attachment on disk, a repeating task, a trashed task
 * (not exported) and a task assigned to a former member (exported by email, reported on import).
 */
export async function seedWorkspace(url: string, files: string) {
  const alice = await user(url, 'Alice');
  const bob = await user(url, 'Bob');
  const gone = await user(url, 'Gone');
  const workspaceId = await workspace(url, 'Acme', [alice, bob]);
  await sql(url, `INSERT INTO workspace_time_zones (workspace_id, time_zone) VALUES ($1, 'Europe/Berlin')`, [
    workspaceId,
  ]);
  const label = async (name: string, color: string) =>
    (
      await sql<{ id: string }>(
        url,
        `INSERT INTO labels (workspace_id, name, color) VALUES ($1, $2, $3) RETURNING id`,
        [workspaceId, name, color],
      )
    )[0]!.id;
  const bug = await label('Bug', '#ff0000');
  const ui = await label('UI', '#00ff00');
  const project = async (name: string, archived = false) =>
    (
      await sql<{ id: string }>(
        url,
        `INSERT INTO all_projects (workspace_id, name, description, archived, task_counter, created_at)
         VALUES ($1, $2::text, 'About ' || $2::text, $3, 10, clock_timestamp()) RETURNING id`,
        [workspaceId, name, archived],
      )
    )[0]!.id;
  const web = await project('Website');
  const ops = await project('Ops', true);
  const task = async (
    projectId: string,
    number: number,
    fields: Partial<{
      title: string;
      status: string;
      position: string;
      priority: string;
      due: string;
      assignee: string;
      parent: string;
      deleted: boolean;
    }> = {},
  ) =>
    (
      await sql<{ id: string }>(
        url,
        `INSERT INTO all_tasks (workspace_id, project_id, number, title, description, status, position, priority,
           due_at, assignee_id, created_by_id, parent_id, created_at, deleted_at)
         VALUES ($1, $2, $3::int, $4::text, 'Details of ' || $4::text, $5::task_status, $6, $7::task_priority, $8::timestamptz,
           $9::uuid, $10::uuid, $11::uuid, '2026-11-01T10:00:00Z'::timestamptz + $3::int * interval '1 hour',
           CASE WHEN $12::boolean THEN now() END)
         RETURNING id`,
        [
          workspaceId,
          projectId,
          number,
          fields.title ?? `Task ${number}`,
          fields.status ?? 'todo',
          fields.position ?? 'a0',
          fields.priority ?? 'none',
          fields.due ?? null,
          fields.assignee ?? null,
          alice.id,
          fields.parent ?? null,
          fields.deleted ?? false,
        ],
      )
    )[0]!.id;
  const t1 = await task(web, 1, {
    title: 'Landing page',
    status: 'in_progress',
    priority: 'high',
    assignee: bob.id,
    due: '2026-12-24T09:00:00Z',
  });
  const t2 = await task(web, 2, { title: 'Fix header', position: 'a1', assignee: alice.id });
  const t3 = await task(web, 3, { title: 'Header logo', position: 'a0', parent: t2 });
  await task(web, 4, { title: 'Shipped', status: 'done' });
  await task(web, 5, { title: 'Thrown away', deleted: true });
  const t6 = await task(ops, 6, { title: 'Rotate keys', assignee: gone.id, priority: 'urgent' });
  const t7 = await task(ops, 7, { title: 'Weekly review', due: '2026-12-07T08:00:00Z' });
  await sql(url, `INSERT INTO task_labels (task_id, label_id) VALUES ($1, $2), ($1, $3), ($4, $2)`, [
    t1,
    bug,
    ui,
    t3,
  ]);
  await sql(
    url,
    `INSERT INTO checklist_items (task_id, text, done, position, assignee_id, due_at)
     VALUES ($1, 'Copy', true, 'a0', $2, NULL), ($1, 'Images', false, 'a1', NULL, '2026-12-20T00:00:00Z')`,
    [t1, bob.id],
  );
  await sql(
    url,
    `INSERT INTO all_comments (task_id, author_id, body, created_at)
     VALUES ($1, $2, 'Looks good', '2026-11-02T10:00:00Z'), ($1, $3, 'Thanks!', '2026-11-02T11:00:00Z'),
            ($4, $5, 'Old note', '2026-11-03T10:00:00Z')`,
    [t1, alice.id, bob.id, t6, gone.id],
  );
  const key = `${workspaceId}/${t1}/${randomUUID()}`;
  mkdirSync(dirname(join(files, key)), { recursive: true });
  writeFileSync(join(files, key), 'mock-up bytes \u2713');
  await sql(
    url,
    `INSERT INTO attachments (task_id, uploaded_by_id, filename, content_type, size, storage_key)
     VALUES ($1, $2, 'mock-up.txt', 'text/plain', $3, $4)`,
    [t1, alice.id, Buffer.byteLength('mock-up bytes \u2713'), key],
  );
  const [series] = await sql<{ id: string }>(
    url,
    `INSERT INTO task_recurrences (workspace_id, rule, starts_on, made, created_by_id)
     VALUES ($1, $2, '2026-11-30', 2, $3) RETURNING id`,
    [
      workspaceId,
      JSON.stringify({ frequency: 'weekly', interval: 1, weekdays: ['mo'], time: '09:00' }),
      alice.id,
    ],
  );
  await sql(
    url,
    `INSERT INTO recurrence_occurrences (series_id, occurrence_date, follows_date, task_id)
     VALUES ($1, '2026-11-30', NULL, NULL), ($1, '2026-12-07', '2026-11-30', $2)`,
    [series!.id, t7],
  );
  return { workspaceId, alice, bob, gone, taskWithFile: t1 };
}
