import type { HttpClient } from './http.js';
import { ENDPOINTS as E } from './endpoints.js';
import type { RecurrenceRuleInput, RecurringTask, TaskRecurrence } from './types.js';

/** Repeat rules of tasks, and the workspace time zone they are read in. */
export class RecurrenceService {
  constructor(private readonly http: HttpClient) {}

  async get(taskId: string): Promise<TaskRecurrence> {
    return (await this.http.call<{ recurrence: TaskRecurrence }>(E.getRecurrence, { params: { id: taskId } }))
      .recurrence;
  }
  async set(taskId: string, rule: RecurrenceRuleInput): Promise<TaskRecurrence> {
    return (
      await this.http.call<{ recurrence: TaskRecurrence }>(E.setRecurrence, {
        params: { id: taskId },
        body: rule,
      })
    ).recurrence;
  }
  stop(taskId: string): Promise<void> {
    return this.http.call(E.stopRecurrence, { params: { id: taskId } });
  }
  /** The project's repeating tasks with each rule's summary: the board's repeat icons. */
  forProject(projectId: string): Promise<RecurringTask[]> {
    return this.http.call(E.listRecurringTasks, { params: { id: projectId } });
  }
  async timeZone(workspaceId: string): Promise<string> {
    return (await this.http.call<{ timeZone: string }>(E.getTimeZone, { params: { id: workspaceId } }))
      .timeZone;
  }
  async setTimeZone(workspaceId: string, timeZone: string): Promise<string> {
    return (
      await this.http.call<{ timeZone: string }>(E.setTimeZone, {
        params: { id: workspaceId },
        body: { timeZone },
      })
    ).timeZone;
  }
}
