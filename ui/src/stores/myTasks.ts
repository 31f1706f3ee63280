import { defineStore } from 'pinia';
import { ref } from 'vue';
import { api } from '../services/index.js';
import type { DueWindow } from '../services/calendar.js';
import type { Task } from '../services/types.js';
import { useToastStore } from './toasts.js';

/**
 * The "My tasks" calendar: the caller's tasks across a workspace due in the window on screen, kept current by the
 * workspace's events (a task that stops being theirs, or moves out of the window, leaves), with optimistic due-date
 * moves that roll back.
 */
export const useMyTasksStore = defineStore('myTasks', () => {
  const workspaceId = ref<string | null>(null);
  const userId = ref<string | null>(null);
  const window = ref<DueWindow | null>(null);
  const tasks = ref<Record<string, Task>>({});
  const loading = ref(false);
  const error = ref<unknown>(null);
  const toasts = useToastStore();
  let loadToken = 0;
  /** Tasks with a move in flight: an event about them may be older than the move, so they wait for its answer. */
  const moving = new Set<string>();

  /** Loads a workspace's window for `user`; a newer load wins over a slower older one. */
  async function load(workspace: string, user: string, due: DueWindow) {
    const token = ++loadToken;
    if (workspaceId.value !== workspace || userId.value !== user) tasks.value = {};
    workspaceId.value = workspace;
    userId.value = user;
    window.value = due;
    loading.value = true;
    error.value = null;
    try {
      const list = await api.calendar.myTasks(workspace, due);
      if (token === loadToken) tasks.value = Object.fromEntries(list.map((t) => [t.id, t]));
    } catch (e) {
      if (token === loadToken) error.value = e;
    } finally {
      if (token === loadToken) loading.value = false;
    }
  }

  /** After a `resync` (the stream lost what happened meanwhile). */
  function reload() {
    if (workspaceId.value && userId.value && window.value) {
      void load(workspaceId.value, userId.value, window.value);
    }
  }

  function belongs(task: Task): boolean {
    if (!window.value || !task.dueAt || task.assigneeId !== userId.value) return false;
    const due = Date.parse(task.dueAt);
    return due >= Date.parse(window.value.dueFrom) && due < Date.parse(window.value.dueBefore);
  }

  /** A task from an event of the workspace on screen: in, replaced or out, unless what we hold is newer. */
  function upsert(task: Task) {
    if (!workspaceId.value || moving.has(task.id)) return;
    const held = tasks.value[task.id];
    if (held && held.updatedAt > task.updatedAt) return;
    if (belongs(task)) tasks.value[task.id] = task;
    else remove(task.id);
  }

  function remove(id: string) {
    if (id in tasks.value) delete tasks.value[id];
  }

  /** Drag or keyboard: the task shows on its new day at once; a refusal puts it back and says why. */
  async function moveDue(id: string, dueAt: string) {
    const task = tasks.value[id];
    if (!task) return;
    const before = task.dueAt;
    task.dueAt = dueAt;
    moving.add(id);
    try {
      const saved = await api.tasks.update(id, { dueAt });
      if (belongs(saved)) tasks.value[id] = saved;
      else remove(id);
    } catch (e) {
      if (tasks.value[id]) tasks.value[id].dueAt = before;
      toasts.error(e, 'Could not move the task');
      throw e;
    } finally {
      moving.delete(id);
    }
  }

  return { workspaceId, userId, window, tasks, loading, error, load, reload, upsert, remove, moveDue };
});
