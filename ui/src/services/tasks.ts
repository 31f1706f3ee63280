import type { HttpClient } from './http.js';
import { ENDPOINTS as E } from './endpoints.js';
import type {
  Attachment,
  BulkChanges,
  Comment,
  Page,
  Task,
  TaskInput,
  TaskQuery,
  TaskStatus,
} from './types.js';

/** Tasks, their comments and attachments. */
export class TaskService {
  constructor(private readonly http: HttpClient) {}

  list(projectId: string, query: TaskQuery = {}, signal?: AbortSignal): Promise<Page<Task>> {
    return this.http.call(E.listTasks, { params: { id: projectId }, query, signal });
  }

  /** Every task of a project, page by page (the board shows them all). */
  async all(projectId: string, query: TaskQuery = {}, signal?: AbortSignal): Promise<Task[]> {
    const tasks: Task[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.list(projectId, { ...query, limit: 100, cursor }, signal);
      tasks.push(...page.items);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    return tasks;
  }

  /** Changes many tasks of a project at once, all or nothing; the tasks as they are now. */
  bulkEdit(projectId: string, ids: string[], changes: BulkChanges): Promise<Task[]> {
    return this.http
      .call<{ items: Task[] }>(E.bulkEditTasks, { params: { id: projectId }, body: { ids, changes } })
      .then((result) => result.items);
  }

  get(id: string): Promise<Task> {
    return this.http.call(E.getTask, { params: { id } });
  }
  create(projectId: string, input: TaskInput & { title: string }): Promise<Task> {
    return this.http.call(E.createTask, { params: { id: projectId }, body: input });
  }
  update(id: string, input: TaskInput): Promise<Task> {
    return this.http.call(E.updateTask, { params: { id }, body: input });
  }
  remove(id: string): Promise<void> {
    return this.http.call(E.deleteTask, { params: { id } });
  }
  /** `beforeId` is the task that ends up directly above; neither neighbour means the end of the column. */
  move(id: string, target: { status: TaskStatus; beforeId?: string; afterId?: string }): Promise<Task> {
    return this.http.call(E.moveTask, { params: { id }, body: target });
  }

  subtasks(id: string): Promise<Task[]> {
    return this.http.call(E.listSubtasks, { params: { id } });
  }
  createSubtask(parentId: string, input: TaskInput & { title: string }): Promise<Task> {
    return this.http.call(E.createSubtask, { params: { id: parentId }, body: input });
  }
  /** Makes a task a subtask of `parentId` (same project, one level deep). */
  setParent(id: string, parentId: string): Promise<Task> {
    return this.http.call(E.setParent, { params: { id }, body: { parentId } });
  }
  /** A subtask becomes a task of its own. */
  promote(id: string): Promise<Task> {
    return this.http.call(E.promoteSubtask, { params: { id } });
  }

  comments(id: string, cursor?: string): Promise<Page<Comment>> {
    return this.http.call(E.listComments, { params: { id }, query: { limit: 100, cursor } });
  }
  comment(id: string, body: string): Promise<Comment> {
    return this.http.call(E.createComment, { params: { id }, body: { body } });
  }

  /** Moves a comment to the trash (its author, or admin+). */
  removeComment(id: string): Promise<void> {
    return this.http.call(E.deleteComment, { params: { id } });
  }

  attachments(id: string): Promise<Attachment[]> {
    return this.http
      .call<Attachment[] | Page<Attachment>>(E.listAttachments, { params: { id } })
      .then((result) => (Array.isArray(result) ? result : result.items));
  }
  upload(id: string, file: File): Promise<Attachment> {
    const form = new FormData();
    form.append('file', file, file.name);
    return this.http.call(E.uploadAttachment, { params: { id }, body: form });
  }
  /** The file as a Blob: the request carries the bearer token, so a plain link cannot fetch it. */
  async download(attachmentId: string): Promise<Blob> {
    const response = await this.http.send(E.downloadAttachment, { params: { id: attachmentId } });
    return response.blob();
  }
}
