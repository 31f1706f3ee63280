import { defineStore } from 'pinia';
import { ref } from 'vue';
import { api } from '../services/index.js';
import type { ChecklistItem, ChecklistItemInput, Progress } from '../services/types.js';
import { useBoardStore } from './board.js';
import { useTaskStore } from './task.js';

/** What `checklist.updated` carries: the whole list as the API committed it. */
export type ChecklistEvent = { taskId: string; items: ChecklistItem[]; progress: Progress };

const progressOf = (items: ChecklistItem[]): Progress => ({
  done: items.filter((item) => item.done).length,
  total: items.length,
});

/**
 * The checklist of the task open in the panel. Changes show at once; the event each write causes (ours or a
 * teammate's) then brings the list as committed, which simply replaces ours.
 */
export const useChecklistStore = defineStore('checklist', () => {
  const taskId = ref<string | null>(null);
  const items = ref<ChecklistItem[]>([]);
  const board = useBoardStore();
  const detail = useTaskStore();
  let pending = 0;

  /** The card on the board and the open task show the same progress as the list. */
  function showProgress(id: string, progress: Progress) {
    const card = board.tasks[id];
    if (card) card.checklist = progress;
    if (detail.task?.id === id) detail.task.checklist = progress;
  }

  async function open(id: string) {
    taskId.value = id;
    items.value = [];
    const loaded = await api.checklists.list(id);
    if (taskId.value === id) items.value = loaded;
  }

  function close() {
    taskId.value = null;
    items.value = [];
  }

  /** Runs a write with the list changed locally first; on failure reloads the list as it is. */
  async function write<T>(change: () => void, send: () => Promise<T>): Promise<T> {
    const id = taskId.value!;
    change();
    showProgress(id, progressOf(items.value));
    pending += 1;
    try {
      return await send();
    } catch (error) {
      if (taskId.value === id) await open(id).catch(() => undefined);
      throw error;
    } finally {
      pending -= 1;
    }
  }

  async function add(text: string) {
    if (!taskId.value) return;
    const id = taskId.value;
    const item = await api.checklists.add(id, { text });
    if (taskId.value === id && !items.value.some((i) => i.id === item.id)) {
      items.value = [...items.value, item];
      showProgress(id, progressOf(items.value));
    }
  }

  function update(itemId: string, patch: ChecklistItemInput) {
    return write(
      () => {
        const item = items.value.find((i) => i.id === itemId);
        if (item) Object.assign(item, patch);
      },
      () => api.checklists.update(itemId, patch),
    );
  }

  /** Puts an item at `index` of the list (keyboard: move up / move down). */
  function move(itemId: string, index: number) {
    return write(
      () => {
        const from = items.value.findIndex((i) => i.id === itemId);
        if (from < 0) return;
        const next = [...items.value];
        const [item] = next.splice(from, 1);
        next.splice(index, 0, item!);
        items.value = next;
      },
      () => api.checklists.move(itemId, index),
    );
  }

  function remove(itemId: string) {
    return write(
      () => {
        items.value = items.value.filter((i) => i.id !== itemId);
      },
      () => api.checklists.remove(itemId),
    );
  }

  /** The list as committed, from the event stream; while our own writes are in flight their events follow. */
  function receive(event: ChecklistEvent) {
    showProgress(event.taskId, event.progress);
    if (event.taskId !== taskId.value || pending > 0) return;
    items.value = event.items;
  }

  return { taskId, items, open, close, add, update, move, remove, receive };
});
