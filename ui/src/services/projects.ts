import type { HttpClient } from './http.js';
import { ENDPOINTS as E } from './endpoints.js';
import type { Activity, Page, Project } from './types.js';

/** Projects of a workspace and their activity feed. */
export class ProjectService {
  constructor(private readonly http: HttpClient) {}

  list(workspaceId: string): Promise<Project[]> {
    return this.http.call(E.listProjects, { params: { id: workspaceId } });
  }
  get(id: string): Promise<Project> {
    return this.http.call(E.getProject, { params: { id } });
  }
  create(workspaceId: string, input: { name: string; description?: string }): Promise<Project> {
    return this.http.call(E.createProject, { params: { id: workspaceId }, body: input });
  }
  update(id: string, input: { name?: string; description?: string; archived?: boolean }): Promise<Project> {
    return this.http.call(E.updateProject, { params: { id }, body: input });
  }
  /** Moves the project with its tasks to the trash (admin+); `api.trash.restore('project', id)` undoes it. */
  remove(id: string): Promise<void> {
    return this.http.call(E.deleteProject, { params: { id } });
  }
  activity(id: string, cursor?: string): Promise<Page<Activity>> {
    return this.http.call(E.activity, { params: { id }, query: { limit: 50, cursor } });
  }
}
