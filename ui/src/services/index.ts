import { AccountService } from './account.js';
import { AdminService } from './admin.js';
import { AuthService } from './auth.js';
import { CalendarService } from './calendar.js';
import { ChecklistService } from './checklists.js';
import { EventService } from './events.js';
import { HttpClient } from './http.js';
import { InboxService } from './inbox.js';
import { ProjectService } from './projects.js';
import { RecurrenceService } from './recurrences.js';
import { TaskService } from './tasks.js';
import { TrashService } from './trash.js';
import { ViewService } from './views.js';
import { TransferService } from './transfers.js';
import { WebhookService } from './webhooks.js';
import { WorkspaceService } from './workspaces.js';

/** The app's single API client: one HttpClient (one in-memory token) shared by every resource service. */
export const http = new HttpClient();
export const api = {
  auth: new AuthService(http),
  account: new AccountService(http),
  workspaces: new WorkspaceService(http),
  projects: new ProjectService(http),
  tasks: new TaskService(http),
  calendar: new CalendarService(http),
  checklists: new ChecklistService(http),
  recurrences: new RecurrenceService(http),
  views: new ViewService(http),
  webhooks: new WebhookService(http),
  transfers: new TransferService(http),
  inbox: new InboxService(http),
  trash: new TrashService(http),
  admin: new AdminService(http),
  events: new EventService(http),
};
export type Api = typeof api;
export { ApiError, messageOf } from './errors.js';
export * from './types.js';
