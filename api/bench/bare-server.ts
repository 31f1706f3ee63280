/**
 * The baseline of the benchmark: node:http and pg only — no Express, validation, JWT, ORM or logging — running
 * the statements the API runs for the same three requests (captured with BENCH_SHOW_SQL=1), with the same pool
 * size. The caller is fixed by BENCH_USER_ID instead of a token.
 */
import { generateKeyBetween } from 'fractional-indexing';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import pg from 'pg';

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
const userId = process.env.BENCH_USER_ID!;

type Row = Record<string, unknown>;
const iso = (value: unknown) => (value instanceof Date ? value.toISOString() : null);
const present = (t: Row, labelIds: string[] = []) => ({
  id: t.id,
  projectId: t.project_id,
  number: t.number,
  title: t.title,
  description: t.description,
  status: t.status,
  position: t.position,
  priority: t.priority,
  dueAt: iso(t.due_at),
  assigneeId: t.assignee_id,
  labelIds,
  createdBy: t.created_by_id,
  createdAt: iso(t.created_at),
  updatedAt: iso(t.updated_at),
});

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

async function readJson(req: IncomingMessage): Promise<Row> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8')) as Row;
}

async function member(client: pg.Pool | pg.PoolClient, workspaceId: unknown): Promise<boolean> {
  const { rows } = await client.query(
    'SELECT id, created_at, updated_at, workspace_id, user_id, role FROM memberships WHERE user_id = $1 AND workspace_id = $2 LIMIT 1',
    [userId, workspaceId],
  );
  return rows.length === 1;
}

async function labelsOf(client: pg.Pool | pg.PoolClient, ids: unknown[]): Promise<Map<unknown, string[]>> {
  const { rows } = await client.query(
    'SELECT task_id, label_id FROM task_labels WHERE task_id = ANY($1::uuid[])',
    [ids],
  );
  const map = new Map<unknown, string[]>(ids.map((id) => [id, []]));
  for (const row of rows) map.get(row.task_id)?.push(row.label_id as string);
  return map;
}

async function project(id: string): Promise<Row | undefined> {
  const { rows } = await pool.query(
    'SELECT id, created_at, updated_at, workspace_id, name, description, archived, task_counter FROM projects WHERE id = $1',
    [id],
  );
  return rows[0];
}

/** The columns of the API's list query, labels aggregated per row (one query for the page). */
const LIST_COLUMNS = `t.id, t.project_id, t.number, t.title, t.description, t.status, t.position, t.priority, t.due_at,
  t.assignee_id, t.created_by_id, t.created_at, t.updated_at,
  (SELECT COALESCE(json_agg(tl.label_id ORDER BY tl.label_id), '[]') FROM task_labels tl WHERE tl.task_id = t.id)
    AS label_ids`;

async function listTasks(res: ServerResponse, projectId: string, query: URLSearchParams): Promise<void> {
  const p = await project(projectId);
  if (!p || !(await member(pool, p.workspace_id))) return send(res, 404, { status: 404 });
  const limit = Number(query.get('limit') ?? 50);
  const params: unknown[] = [projectId, query.get('status'), query.get('assigneeId'), limit + 1];
  let keyset = '';
  const cursor = query.get('cursor');
  if (cursor) {
    params.push(...(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as string[]));
    keyset =
      'AND (t.status, t.position, t.id) > (CAST($5 AS task_status), CAST($6 AS text) COLLATE "C", CAST($7 AS uuid))';
  }
  const { rows } = await pool.query(
    `SELECT ${LIST_COLUMNS}, (t.status)::text AS k0, (t.position)::text AS k1, (t.id)::text AS k2 FROM tasks t
      WHERE t.project_id = $1 AND t.status = $2 AND t.assignee_id = $3 ${keyset}
      ORDER BY t.status ASC, t.position ASC, t.id ASC LIMIT $4`,
    params,
  );
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  const nextCursor =
    rows.length > limit && last
      ? Buffer.from(JSON.stringify([last.k0, last.k1, last.k2])).toString('base64url')
      : null;
  send(res, 200, { items: page.map((r) => present(r, r.label_ids as string[])), nextCursor });
}

async function inTransaction<T>(run: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('START TRANSACTION');
    const result = await run(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  } finally {
    client.release();
  }
}

const lastPosition = async (client: pg.PoolClient, projectId: unknown, status: unknown, exclude: unknown) =>
  (
    await client.query(
      `SELECT position FROM tasks WHERE project_id = $1 AND status = $2 AND id <> $3 ORDER BY position DESC LIMIT 1`,
      [projectId, status, exclude],
    )
  ).rows[0]?.position ?? null;

const activity = (client: pg.PoolClient, p: Row, verb: string, taskId: unknown, data: unknown) =>
  client.query(
    `INSERT INTO activity_events (id, created_at, updated_at, workspace_id, project_id, actor_id, verb, subject_type,
       subject_id, data) VALUES (gen_random_uuid(), now(), now(), $1, $2, $3, $4, 'task', $5, $6) RETURNING *`,
    [p.workspace_id, p.id, userId, verb, taskId, JSON.stringify(data)],
  );

async function createTask(req: IncomingMessage, res: ServerResponse, projectId: string): Promise<void> {
  const body = await readJson(req);
  const p = await project(projectId);
  if (!p || !(await member(pool, p.workspace_id))) return send(res, 404, { status: 404 });
  const status = (body.status as string | undefined) ?? 'todo';
  const task = await inTransaction(async (client) => {
    const counter = await client.query(
      'UPDATE projects SET task_counter = task_counter + 1 WHERE id = $1 RETURNING task_counter',
      [projectId],
    );
    const position = generateKeyBetween(
      await lastPosition(client, projectId, status, '00000000-0000-0000-0000-000000000000'),
      null,
    );
    const { rows } = await client.query(
      `INSERT INTO tasks (id, created_at, updated_at, workspace_id, project_id, number, title, description, status,
         position, priority, archived, created_by_id)
       VALUES (gen_random_uuid(), now(), now(), $1, $2, $3, $4, '', $5, $6, $7, false, $8) RETURNING *`,
      [
        p.workspace_id,
        projectId,
        counter.rows[0].task_counter,
        body.title,
        status,
        position,
        body.priority,
        userId,
      ],
    );
    const t = rows[0] as Row;
    await activity(client, p, 'task.created', t.id, { number: t.number, title: t.title, status });
    return t;
  });
  send(res, 201, present(task));
}

async function moveTask(req: IncomingMessage, res: ServerResponse, taskId: string): Promise<void> {
  const body = await readJson(req);
  const found = (await pool.query('SELECT * FROM tasks WHERE id = $1', [taskId])).rows[0] as Row | undefined;
  if (!found || !(await member(pool, found.workspace_id))) return send(res, 404, { status: 404 });
  const updated = await inTransaction(async (client) => {
    await client.query('SELECT id FROM projects WHERE id = $1 FOR UPDATE', [found.project_id]);
    const task = (await client.query('SELECT * FROM tasks WHERE id IN ($1)', [taskId])).rows[0] as Row;
    const position = generateKeyBetween(
      await lastPosition(client, task.project_id, body.status, taskId),
      null,
    );
    const { rows } = await client.query(
      'UPDATE tasks SET status = $1, position = $2, updated_at = now() WHERE id = $3 RETURNING *',
      [body.status, position, taskId],
    );
    await activity(client, { id: task.project_id, workspace_id: task.workspace_id }, 'task.moved', taskId, {
      from: { status: task.status, position: task.position },
      to: { status: body.status, position },
    });
    return rows[0] as Row;
  });
  const labels = await labelsOf(pool, [taskId]);
  send(res, 200, present(updated, labels.get(taskId)));
}

const server = createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://bench');
  const parts = url.pathname.split('/'); // ['', 'api', 'v1', resource, id, action]
  let work: Promise<void> | undefined;
  if (req.method === 'GET' && parts[3] === 'projects' && parts[5] === 'tasks') {
    work = listTasks(res, parts[4]!, url.searchParams);
  } else if (req.method === 'POST' && parts[3] === 'projects' && parts[5] === 'tasks') {
    work = createTask(req, res, parts[4]!);
  } else if (req.method === 'POST' && parts[3] === 'tasks' && parts[5] === 'move') {
    work = moveTask(req, res, parts[4]!);
  }
  if (!work) return send(res, 404, { status: 404 });
  work.catch((error: unknown) => send(res, 500, { detail: String(error) }));
});
server.listen(0, '127.0.0.1', () => {
  process.send?.({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
});
process.on('SIGTERM', () => {
  server.close();
  void pool.end().then(() => process.exit(0));
});
