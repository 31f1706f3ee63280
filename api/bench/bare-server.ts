/**
 * The baseline of the benchmark: node:http and pg only — no Express, validation, JWT, ORM or logging — sending
 * the statements the API sends for the same three requests, with the same pool size and the same batching into
 * round trips. The SQL text comes from the API's own statement builders (pure functions of the tasks
 * repository: the access queries, `listTasksSql`, the create and move statements), so both sides run exactly the
 * same SQL; BENCH_SHOW_SQL=1 prints the API's. Its answers have the API's task shape (parent, checklist and
 * subtask progress included), so both send the same bytes. The caller is fixed by BENCH_USER_ID instead of a token.
 */
import { generateKeyBetween } from 'fractional-indexing';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import {
  createTaskCommit,
  createTaskOpen,
  inline,
  listTasksSql,
  moveTaskCommit,
  moveTaskOpen,
  PROJECT_ACCESS_SQL,
  TASK_ACCESS_SQL,
  type Statement,
} from '@taskstack/db/repositories';

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
  parentId: t.parent_id,
  checklist: t.checklist,
  subtasks: t.subtasks,
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

type Status = 'backlog' | 'todo' | 'in_progress' | 'done';

/** The caller's role on the row named by `id` (project or task), as the API reads it; undefined when not found. */
async function access(text: string, id: string): Promise<Row | undefined> {
  const { rows } = await pool.query(text, [id, userId]);
  return rows[0]?.role ? (rows[0] as Row) : undefined;
}

async function listTasks(res: ServerResponse, projectId: string, query: URLSearchParams): Promise<void> {
  if (!(await access(PROJECT_ACCESS_SQL, projectId))) return send(res, 404, { status: 404 });
  const cursor = query.get('cursor');
  const limit = Number(query.get('limit') ?? 50);
  const { text, values } = listTasksSql(
    { projectId },
    {
      status: (query.get('status') ?? undefined) as Status | undefined,
      assigneeId: query.get('assigneeId') ?? undefined,
      limit,
      sort: 'position',
    },
    cursor ? (JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as string[]) : undefined,
  );
  const { rows } = await pool.query<Row>(text, values);
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  const nextCursor =
    rows.length > limit && last
      ? Buffer.from(JSON.stringify([last.k0, last.k1, last.k2])).toString('base64url')
      : null;
  send(res, 200, { items: page.map((r) => present(r, r.label_ids as string[])), nextCursor });
}

/** The API's batched transaction: START TRANSACTION with the lock and reads, then the write with COMMIT. */
async function batched<T>(
  run: (
    open: (s: Statement[]) => Promise<Row[][]>,
    commit: (s: Statement[]) => Promise<Row[][]>,
  ) => Promise<T>,
): Promise<T> {
  const client = await pool.connect();
  const rowsOf = (result: unknown) => (result as pg.QueryResult[]).map((r) => r.rows as Row[]);
  try {
    return await run(
      async (statements) =>
        rowsOf(await client.query(['START TRANSACTION', ...statements.map(inline)].join(';\n'))).slice(1),
      async (statements) =>
        rowsOf(await client.query([...statements.map(inline), 'COMMIT'].join(';\n'))).slice(0, -1),
    );
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  } finally {
    client.release();
  }
}

async function createTask(req: IncomingMessage, res: ServerResponse, projectId: string): Promise<void> {
  const body = await readJson(req);
  const project = await access(PROJECT_ACCESS_SQL, projectId);
  if (!project) return send(res, 404, { status: 404 });
  const status = (body.status as Status | undefined) ?? 'todo';
  const task = await batched(async (open, commit) => {
    const [counter, last] = await open(createTaskOpen(projectId, status));
    const position = generateKeyBetween((last![0]?.position as string | undefined) ?? null, null);
    const [written] = await commit(
      createTaskCommit({
        workspaceId: project.workspace_id as string,
        projectId,
        number: counter![0]!.task_counter as number,
        title: body.title as string,
        status,
        position,
        priority: body.priority as 'medium',
        labelIds: [],
        createdById: userId,
      }),
    );
    return written![0]!;
  });
  send(res, 201, present(task));
}

async function moveTask(req: IncomingMessage, res: ServerResponse, taskId: string): Promise<void> {
  const body = await readJson(req);
  const found = await access(TASK_ACCESS_SQL, taskId);
  if (!found) return send(res, 404, { status: 404 });
  const status = body.status as Status;
  const updated = await batched(async (open, commit) => {
    const [, slots, end] = await open(moveTaskOpen(found.project_id as string, taskId, { status }));
    const task = slots!.find((slot) => slot.kind === 'task')!;
    const last = end![0]?.position as string | undefined;
    const position = generateKeyBetween(last ?? null, null);
    const from = { status: task.status as Status, position: task.position as string };
    const [written] = await commit(moveTaskCommit({ taskId, actorId: userId, status, position, from }));
    return written![0]!;
  });
  send(res, 200, present(updated, updated.label_ids as string[]));
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
