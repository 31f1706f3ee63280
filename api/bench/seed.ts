import { TASK_STATUSES } from '@taskstack/db';
import { generateNKeysBetween } from 'fractional-indexing';
import pg from 'pg';

export type Seeded = {
  token: string;
  userId: string;
  workspaceId: string;
  projectId: string;
  taskIds: string[];
};

async function call(base: string, method: string, path: string, token?: string, body?: unknown) {
  const response = await fetch(`${base}/api/v1${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = (await response.json()) as Record<string, unknown>;
  if (!response.ok) throw new Error(`seed: ${method} ${path} answered ${response.status}`);
  return json;
}

/**
 * A user, a workspace and a project made through the API, then `count` tasks written straight to the database
 * (spread over the four columns with valid fractional positions, half assigned to the user).
 */
export async function seed(apiUrl: string, databaseUrl: string, count: number): Promise<Seeded> {
  const registered = await call(apiUrl, 'POST', '/auth/register', undefined, {
    email: 'bench@example.com',
    password: 'bench-password-123',
    name: 'Bench',
  });
  const token = String(registered.accessToken);
  const userId = String((registered.user as { id: string }).id);
  const workspace = await call(apiUrl, 'POST', '/workspaces', token, { name: 'Bench' });
  const workspaceId = String(workspace.id);
  const project = await call(apiUrl, 'POST', `/workspaces/${workspaceId}/projects`, token, { name: 'Load' });
  const projectId = String(project.id);

  const perStatus = Math.ceil(count / TASK_STATUSES.length);
  const numbers: number[] = [];
  const statuses: string[] = [];
  const positions: string[] = [];
  const assignees: (string | null)[] = [];
  for (const [s, status] of TASK_STATUSES.entries()) {
    const keys = generateNKeysBetween(null, null, perStatus);
    for (const [i, key] of keys.entries()) {
      const number = s * perStatus + i + 1;
      if (number > count) break;
      numbers.push(number);
      statuses.push(status);
      positions.push(key);
      assignees.push(number % 2 ? userId : null);
    }
  }
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const inserted = await client.query<{ id: string }>(
      `INSERT INTO tasks (workspace_id, project_id, number, title, description, status, position, priority,
         assignee_id, created_by_id)
       SELECT $1, $2, n, 'Task ' || n, 'Seeded for the benchmark, task number ' || n, s::task_status, p,
         (ARRAY['none','low','medium','high','urgent'])[1 + n % 5]::task_priority, a, $3
       FROM unnest($4::int[], $5::text[], $6::text[], $7::uuid[]) AS t(n, s, p, a)
       RETURNING id`,
      [workspaceId, projectId, userId, numbers, statuses, positions, assignees],
    );
    await client.query('UPDATE projects SET task_counter = $1 WHERE id = $2', [count, projectId]);
    await client.query('ANALYZE');
    return { token, userId, workspaceId, projectId, taskIds: inserted.rows.map((r) => r.id) };
  } finally {
    await client.end();
  }
}
