import type { HttpClient } from './http.js';
import { ENDPOINTS as E } from './endpoints.js';
import type { SavedView, SavedViewInput } from './types.js';

/** Saved views of a project: the caller's own and the shared ones. */
export class ViewService {
  constructor(private readonly http: HttpClient) {}

  list(projectId: string): Promise<SavedView[]> {
    return this.http.call(E.listViews, { params: { id: projectId } });
  }
  save(projectId: string, input: SavedViewInput): Promise<SavedView> {
    return this.http.call(E.saveView, { params: { id: projectId }, body: input });
  }
  remove(id: string): Promise<void> {
    return this.http.call(E.deleteView, { params: { id } });
  }
}
