// The names the web app uses for the API's shapes and enums. Every one comes from openapi.ts, generated from the
// API's OpenAPI document by `npm run contract`; nothing here restates a field or a value by hand.
import { roleValues, taskPriorityValues, taskStatusValues, type components, type paths } from './openapi.js';

type Schemas = components['schemas'];
type JsonBody<Operation> = Operation extends {
  requestBody?: { content: { 'application/json': infer Body } };
}
  ? Body
  : never;

export const TASK_STATUSES = taskStatusValues;
export type TaskStatus = Schemas['Task']['status'];
export const TASK_PRIORITIES = taskPriorityValues;
export type TaskPriority = Schemas['Task']['priority'];
export const ROLES = roleValues;
export type Role = Schemas['Role'];

export type User = Schemas['User'];
/** A user in the instance admin's list (with whether two-factor sign-in is on). */
export type AdminUser = Schemas['AdminUser'];
export type Session = Schemas['Session'];
/** Which ways in the sign-in page offers: passwords, an OpenID Connect provider, or both. */
export type AuthMethods = Schemas['AuthMethods'];

/** One of the account's signed-in sessions, as the sessions screen lists it. */
export type SignInSession = Schemas['SignInSession'];
export type ApiToken = Schemas['ApiToken'];
export type CreatedApiToken = Schemas['CreatedApiToken'];
/** What creating a personal API token sends (POST /me/tokens). */
export type ApiTokenInput = JsonBody<paths['/me/tokens']['post']>;

export type TotpStatus = Schemas['TotpStatus'];
export type TotpEnrolment = Schemas['TotpEnrolment'];

export type Workspace = Schemas['Workspace'];
export type Member = Schemas['Member'];
export type Invitation = Schemas['Invitation'];
export type InvitationPreview = Schemas['InvitationPreview'];

export type Project = Schemas['Project'];
export type Label = Schemas['Label'];
export type Webhook = Schemas['Webhook'];
export type WebhookDelivery = Schemas['WebhookDelivery'];
export type WebhookInput = JsonBody<paths['/workspaces/{id}/webhooks']['post']>;
export type WebhookChange = JsonBody<paths['/workspaces/{id}/webhooks/{webhookId}']['patch']>;
export type Transfer = Schemas['Transfer'];
export type ImportSource = Schemas['ImportSource'];
export type ImportOptions = NonNullable<paths['/workspaces/{id}/imports']['post']['parameters']['query']>;
export type SavedView = Schemas['SavedView'];
export type SavedViewFilters = Schemas['SavedViewFilters'];
export type SavedViewInput = JsonBody<paths['/projects/{id}/views']['post']>;

export type Task = Schemas['Task'];
/** The fields a task's edit sends (PATCH /tasks/{id}). */
export type TaskInput = JsonBody<paths['/tasks/{id}']['patch']>;
export type TaskQuery = NonNullable<paths['/projects/{id}/tasks']['get']['parameters']['query']>;
export type TaskSort = NonNullable<TaskQuery['sort']>;

/** A task's repeat rule with its summary; null when the task does not repeat. */
export type TaskRecurrence = Schemas['TaskRecurrence'];
/** What setting a repeat rule sends (PUT /tasks/{id}/recurrence). */
export type RecurrenceRuleInput = JsonBody<paths['/tasks/{id}/recurrence']['put']>;
export type Weekday = Schemas['Weekday'];
export type RecurringTask = Schemas['RecurringTask'];

export type Progress = Schemas['Progress'];
export type ChecklistItem = Schemas['ChecklistItem'];
/** The fields a checklist item's edit sends (PATCH /checklist-items/{id}). */
export type ChecklistItemInput = JsonBody<paths['/checklist-items/{id}']['patch']>;

/** The changes of a bulk edit (POST /projects/{id}/tasks/bulk). */
export type BulkChanges = JsonBody<paths['/projects/{id}/tasks/bulk']['post']>['changes'];

export type Comment = Schemas['Comment'];
export type Attachment = Schemas['Attachment'];
export type Activity = Schemas['ActivityEvent'];
export type TrashItem = Schemas['TrashItem'];
export type TrashKind = Schemas['TrashKind'];

/** One item of the caller's inbox (assigned, mentioned, a comment on their task, due soon). */
export type InboxItem = Schemas['Notification'];
export type InboxKind = InboxItem['kind'];
/** How the inbox reaches the caller by email. */
export type EmailPreference = Schemas['NotificationPreferences']['email'];

/** The caller's iCal feed as the API describes it (never its URL), and the answer that creates it (with the URL). */
export type CalendarFeed = Schemas['CalendarFeed'];
export type CreatedCalendarFeed = Schemas['CreatedCalendarFeed'];

/** Every list endpoint's envelope (api-contract.md, "Lists"). */
export type Page<T> = { items: T[]; nextCursor: string | null };

export type Backup = Schemas['Backup'];
export type QueueCounts = Schemas['Queues'];
export type Recovery = Schemas['Recovery'];
