import { initialSchema } from './0001-initial-schema.js';
import { taskDueOrderIndex } from './0002-task-due-order-index.js';
import { checklistsAndSubtasks } from './0003-checklists-and-subtasks.js';
import { apiTokens } from './0004-api-tokens.js';
import { recoveryJournal } from './0005-recovery-journal.js';
import { sessions } from './0006-sessions.js';
import { totp } from './0007-totp.js';
import { savedViews } from './0008-saved-views.js';
import { inbox } from './0009-inbox.js';
import { recurrences } from './0010-recurrences.js';
import { trash } from './0011-trash.js';
import { webhooks } from './0012-webhooks.js';
import { calendarFeeds } from './0013-calendar-feeds.js';
import { oidcIdentities } from './0014-oidc-identities.js';
import { webhookSecretsSealed } from './0015-webhook-secrets-sealed.js';
import { workspaceTransfers } from './0016-workspace-transfers.js';
import { totpSecretsSealed } from './0017-totp-secrets-sealed.js';
import type { Migration } from './types.js';

/** Every migration in the order it runs. Append new ones; never edit one that has shipped. */
export const migrations: Migration[] = [
  initialSchema,
  taskDueOrderIndex,
  checklistsAndSubtasks,
  apiTokens,
  recoveryJournal,
  sessions,
  totp,
  savedViews,
  inbox,
  recurrences,
  trash,
  webhooks,
  calendarFeeds,
  oidcIdentities,
  webhookSecretsSealed,
  workspaceTransfers,
  totpSecretsSealed,
];
