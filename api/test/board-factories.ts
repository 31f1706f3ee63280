import { Label, Project } from '@taskstack/db';
import { randomBytes } from 'node:crypto';
import type { TestApi } from './harness.js';

const unique = () => randomBytes(4).toString('hex');

/** A project straight in the database. */
export function buildProject(workspace: { id: string }, overrides: Partial<{ name: string }> = {}) {
  return Project.create({ workspaceId: workspace.id, name: `Project ${unique()}`, ...overrides });
}

/** A label straight in the database. */
export function buildLabel(workspace: { id: string }, name = `label-${unique()}`) {
  return Label.create({ workspaceId: workspace.id, name, color: '#336699' });
}

/** A task created through the API, so numbering, positions and activity are the real ones. */
export async function createTask(
  api: TestApi,
  token: string,
  project: { id: string },
  body: Record<string, unknown> = {},
) {
  const res = await api.call('POST', `/api/v1/projects/${project.id}/tasks`, {
    token,
    body: { title: `Task ${unique()}`, ...body },
  });
  if (res.status !== 201) throw new Error(`createTask: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as { id: string; number: number; position: string; status: string; [key: string]: unknown };
}
