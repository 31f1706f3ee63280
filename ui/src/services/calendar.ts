import type { HttpClient } from './http.js';
import { ENDPOINTS as E } from './endpoints.js';
import type { CalendarFeed, CreatedCalendarFeed, Page, Task, TaskQuery } from './types.js';

/** A window of due dates (ISO instants): what a month or a week of a calendar shows. */
export type DueWindow = { dueFrom: string; dueBefore: string };

/** "My tasks" across a workspace, and the caller's secret iCal feed. */
export class CalendarService {
  constructor(private readonly http: HttpClient) {}

  /** Every task assigned to the caller in the workspace's projects, due in the window, page by page. */
  async myTasks(workspaceId: string, window: DueWindow, signal?: AbortSignal): Promise<Task[]> {
    const tasks: Task[] = [];
    let cursor: string | undefined;
    do {
      const query: TaskQuery = { ...window, sort: 'dueAt', limit: 100, cursor };
      const page = await this.http.call<Page<Task>>(E.myTasks, {
        params: { id: workspaceId },
        query,
        signal,
      });
      tasks.push(...page.items);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    return tasks;
  }

  feed(): Promise<CalendarFeed | null> {
    return this.http.call<{ feed: CalendarFeed | null }>(E.calendarFeed).then((r) => r.feed);
  }
  /** Creates the feed, or replaces it (the old URL stops working); the answer holds the URL, this once. */
  createFeed(timeZone: string): Promise<CreatedCalendarFeed> {
    return this.http.call(E.createCalendarFeed, { body: { timeZone } });
  }
  revokeFeed(): Promise<void> {
    return this.http.call(E.revokeCalendarFeed);
  }
}
