/**
 * Seeds a demo workspace through the public API (the same code paths a user takes) for the demo account, which
 * `npm start` creates as the local instance admin first.
 */

type Json = Record<string, unknown>;

export const DEMO_EMAIL = 'demo@taskstack.localhost';
export const DEMO_PASSWORD = 'demo-password-123';

async function call(
  base: string,
  method: string,
  path: string,
  token?: string,
  body?: Json,
): Promise<{ status: number; json: Json }> {
  const response = await fetch(`${base}/api/v1${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await response.text();
  return { status: response.status, json: text ? (JSON.parse(text) as Json) : {} };
}

async function must(base: string, method: string, path: string, token: string, body?: Json): Promise<Json> {
  const { status, json } = await call(base, method, path, token, body);
  if (status >= 300)
    throw new Error(`seeding: ${method} ${path} answered ${status}: ${String(json.detail ?? '')}`);
  return json;
}

/** Signs in as the demo account and gives it a workspace, a project, labels and tasks. */
export async function seedDemo(base: string): Promise<void> {
  const session = await call(base, 'POST', '/auth/login', undefined, {
    email: DEMO_EMAIL,
    password: DEMO_PASSWORD,
  });
  if (session.status !== 200) throw new Error(`seeding: sign-in answered ${session.status}`);
  const token = String(session.json.accessToken);
  const workspace = await must(base, 'POST', '/workspaces', token, { name: 'Demo team' });
  const project = await must(base, 'POST', `/workspaces/${String(workspace.id)}/projects`, token, {
    name: 'Website launch',
    description: 'Everything between today and the new site going live.',
  });
  const bug = await must(base, 'POST', `/workspaces/${String(workspace.id)}/labels`, token, {
    name: 'bug',
    color: '#d94f4f',
  });
  const design = await must(base, 'POST', `/workspaces/${String(workspace.id)}/labels`, token, {
    name: 'design',
    color: '#4f7bd9',
  });
  const me = await must(base, 'GET', '/me', token);
  const tasks: Json[] = [
    { title: 'Collect feedback on the draft homepage', status: 'backlog', priority: 'low' },
    { title: 'Pick the final colour palette', status: 'todo', priority: 'medium', labelIds: [design.id] },
    {
      title: 'Fix broken links in the footer',
      status: 'todo',
      priority: 'high',
      labelIds: [bug.id],
      assigneeId: me.id,
    },
    {
      title: 'Write the launch announcement',
      status: 'in_progress',
      priority: 'medium',
      assigneeId: me.id,
      dueAt: new Date(Date.now() + 3 * 86_400_000).toISOString(),
      description: 'Short, friendly, **one** call to action.',
    },
    { title: 'Set up the domain and TLS', status: 'done', priority: 'urgent' },
  ];
  for (const task of tasks) await must(base, 'POST', `/projects/${String(project.id)}/tasks`, token, task);
}
