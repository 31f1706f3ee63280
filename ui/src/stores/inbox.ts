import { defineStore } from 'pinia';
import { ref } from 'vue';
import { api } from '../services/index.js';
import type { InboxItem } from '../services/types.js';

/** What an `inbox.updated` event carries: the recipient's unread count now, and the new item if there is one. */
export type InboxEvent = { userId?: string; unread?: number; notification?: InboxItem };

/**
 * The signed-in person's inbox in the current workspace: the unread count the header's badge shows and, once the
 * inbox screen has loaded them, the items. Live events keep both in step with other tabs and teammates.
 */
export const useInboxStore = defineStore('inbox', () => {
  const workspaceId = ref<string | null>(null);
  const unread = ref(0);
  const items = ref<InboxItem[]>([]);
  const nextCursor = ref<string | null>(null);
  const loaded = ref(false);

  /** Switches to a workspace's badge; the items are fetched only by the screen that shows them. */
  async function watchWorkspace(id: string | null) {
    if (workspaceId.value !== id) {
      workspaceId.value = id;
      unread.value = 0;
      items.value = [];
      nextCursor.value = null;
      loaded.value = false;
    }
    if (!id) return;
    const count = await api.inbox.unread(id);
    if (workspaceId.value === id) unread.value = count;
  }

  async function load(id: string) {
    await watchWorkspace(id);
    const page = await api.inbox.list(id);
    if (workspaceId.value !== id) return;
    items.value = page.items;
    nextCursor.value = page.nextCursor;
    loaded.value = true;
  }

  async function loadMore() {
    const id = workspaceId.value;
    if (!id || !nextCursor.value) return;
    const page = await api.inbox.list(id, nextCursor.value);
    if (workspaceId.value !== id) return;
    const known = new Set(items.value.map((i) => i.id));
    items.value = [...items.value, ...page.items.filter((i) => !known.has(i.id))];
    nextCursor.value = page.nextCursor;
  }

  /** Marks one item read (or unread again) at once; the API's answer and its live event confirm the count. */
  async function setRead(item: InboxItem, read = true) {
    if (item.read === read) return;
    const before = item.read;
    replace({ ...item, read });
    unread.value = Math.max(0, unread.value + (read ? -1 : 1));
    try {
      replace(await api.inbox.markRead(item.id, read));
    } catch (error) {
      replace({ ...item, read: before });
      unread.value = Math.max(0, unread.value + (read ? 1 : -1));
      throw error;
    }
  }

  async function markAllRead() {
    const id = workspaceId.value;
    if (!id) return;
    const before = { items: items.value, unread: unread.value };
    items.value = items.value.map((i) => (i.read ? i : { ...i, read: true }));
    unread.value = 0;
    try {
      await api.inbox.markAllRead(id);
    } catch (error) {
      items.value = before.items;
      unread.value = before.unread;
      throw error;
    }
  }

  function replace(item: InboxItem) {
    items.value = items.value.map((i) => (i.id === item.id ? item : i));
  }

  /**
   * An `inbox.updated` event of this workspace's stream (the API sends it to its recipient only). One without a new
   * item follows a read change; if its count is not what this tab expects, another tab made it, so the list reloads.
   */
  function receive(eventWorkspaceId: string | null, data: InboxEvent) {
    if (!eventWorkspaceId || eventWorkspaceId !== workspaceId.value) return;
    const expected = unread.value;
    if (typeof data.unread === 'number') unread.value = data.unread;
    const item = data.notification;
    if (item) {
      if (loaded.value && !items.value.some((i) => i.id === item.id)) items.value = [item, ...items.value];
    } else if (loaded.value && data.unread !== expected) {
      void refresh();
    }
  }

  /** After the stream lost events it cannot replay (`resync`): the count, and the list if it is shown. */
  async function refresh() {
    const id = workspaceId.value;
    if (!id) return;
    await (loaded.value ? load(id) : watchWorkspace(id)).catch(() => undefined);
  }

  return {
    workspaceId,
    unread,
    items,
    nextCursor,
    loaded,
    watchWorkspace,
    load,
    loadMore,
    setRead,
    markAllRead,
    receive,
    refresh,
  };
});
