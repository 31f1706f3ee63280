import type { HttpClient } from './http.js';
import { ENDPOINTS as E } from './endpoints.js';
import type { Page, TrashItem, TrashKind } from './types.js';

/** A workspace's trash: what was deleted, restored by whoever may delete it, purged by admins. */
export class TrashService {
  constructor(private readonly http: HttpClient) {}

  list(workspaceId: string, cursor?: string): Promise<Page<TrashItem>> {
    return this.http.call(E.listTrash, { params: { id: workspaceId }, query: { limit: 50, cursor } });
  }
  restore(kind: TrashKind, id: string): Promise<void> {
    return this.http.call(E.restoreTrashed, { params: { kind, id } });
  }
  /** For good, with its attachments (admin+). */
  purge(kind: TrashKind, id: string): Promise<void> {
    return this.http.call(E.purgeTrashed, { params: { kind, id } });
  }
  retention(workspaceId: string): Promise<number> {
    return this.http
      .call<{ retentionDays: number }>(E.trashRetention, { params: { id: workspaceId } })
      .then((r) => r.retentionDays);
  }
  setRetention(workspaceId: string, retentionDays: number): Promise<number> {
    return this.http
      .call<{ retentionDays: number }>(E.setTrashRetention, {
        params: { id: workspaceId },
        body: { retentionDays },
      })
      .then((r) => r.retentionDays);
  }
}
