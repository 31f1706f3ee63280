/**
 * The repositories: all SQL of each aggregate, for the api and the worker alike. Each function takes the
 * `Queryable` to run on (`Sql`, `Sql.in(transaction)` or a pg pool), so it works inside or outside a transaction.
 */
export * from './access.js';
export * from './api-tokens.js';
export * from './activity.js';
export * from './attachments.js';
export * from './calendar-feeds.js';
export * from './backups.js';
export * from './checklists.js';
export * from './comments.js';
export * from './invitations.js';
export * from './keyset.js';
export * from './labels.js';
export * from './memberships.js';
export * from './notifications.js';
export * from './oidc-identities.js';
export * from './projects.js';
export * from './recurrences.js';
export * from './sessions.js';
export * from './recovery.js';
export * from './saved-views.js';
export * from './sessions.js';
export * from './subtasks.js';
export * from './task-bulk.js';
export * from './task-list.js';
export * from './task-rows.js';
export * from './task-writes.js';
export * from './totp.js';
export * from './transfers.js';
export * from './workspace-export.js';
export * from './workspace-import.js';
export * from './trash.js';
export * from './users.js';
export * from './webhooks.js';
export * from './workspaces.js';
export {
  inline,
  isUniqueViolation,
  rowsOf,
  Sql,
  Statement,
  inTransaction,
  type Batch,
  type Queryable,
  type Row,
} from '../sql.js';
