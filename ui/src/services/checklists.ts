import type { HttpClient } from './http.js';
import { ENDPOINTS as E } from './endpoints.js';
import type { ChecklistItem, ChecklistItemInput } from './types.js';

/** A task's checklist items. */
export class ChecklistService {
  constructor(private readonly http: HttpClient) {}

  list(taskId: string): Promise<ChecklistItem[]> {
    return this.http.call(E.listChecklist, { params: { id: taskId } });
  }
  add(taskId: string, input: ChecklistItemInput & { text: string }): Promise<ChecklistItem> {
    return this.http.call(E.addChecklistItem, { params: { id: taskId }, body: input });
  }
  update(id: string, input: ChecklistItemInput): Promise<ChecklistItem> {
    return this.http.call(E.updateChecklistItem, { params: { id }, body: input });
  }
  /** `index`: the item's new 0-based place in the list. */
  move(id: string, index: number): Promise<ChecklistItem> {
    return this.http.call(E.moveChecklistItem, { params: { id }, body: { index } });
  }
  remove(id: string): Promise<void> {
    return this.http.call(E.deleteChecklistItem, { params: { id } });
  }
}
