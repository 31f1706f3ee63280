import { z } from 'zod';
import { pageQuery } from '../../pagination.js';

export const workspaceParams = z.object({ id: z.uuid() }).strict();
export const notificationParams = z.object({ id: z.uuid() }).strict();
export const listInboxQuery = z
  .object({ ...pageQuery, unread: z.enum(['true', 'false']).default('false') })
  .strict();
export const markReadBody = z.object({ read: z.boolean() }).strict();
export const unreadOutput = z.object({ unread: z.number().int() }).openapi('InboxUnread');
export const emailPreference = z.enum(['immediately', 'daily', 'never']);
export const preferencesBody = z
  .object({
    /** How inbox items reach you by email: each at once, one digest a day, or not at all. */
    email: emailPreference,
  })
  .strict()
  .openapi('NotificationPreferences');
