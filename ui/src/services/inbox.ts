import type { HttpClient } from './http.js';
import { ENDPOINTS as E } from './endpoints.js';
import type { EmailPreference, InboxItem, Page } from './types.js';

/** The caller's own inbox, per workspace, and how it reaches them by email. */
export class InboxService {
  constructor(private readonly http: HttpClient) {}

  list(workspaceId: string, cursor?: string | null): Promise<Page<InboxItem>> {
    return this.http.call(E.listInbox, { params: { id: workspaceId }, query: { cursor, limit: 50 } });
  }
  unread(workspaceId: string): Promise<number> {
    return this.http
      .call<{ unread: number }>(E.inboxUnread, { params: { id: workspaceId } })
      .then((r) => r.unread);
  }
  markRead(id: string, read = true): Promise<InboxItem> {
    return this.http.call(E.markInboxItem, { params: { id }, body: { read } });
  }
  markAllRead(workspaceId: string): Promise<void> {
    return this.http.call(E.markInboxRead, { params: { id: workspaceId } });
  }
  emailPreference(): Promise<EmailPreference> {
    return this.http.call<{ email: EmailPreference }>(E.notificationPreferences).then((r) => r.email);
  }
  setEmailPreference(email: EmailPreference): Promise<void> {
    return this.http.call(E.setNotificationPreferences, { body: { email } });
  }
}
