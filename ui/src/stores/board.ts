import { generateKeyBetween } from 'fractional-indexing';
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import { api } from '../services/index.js';
import {
  TASK_STATUSES,
  type Project,
  type Task,
  type TaskInput,
  type TaskStatus,
} from '../services/types.js';
import { useToastStore } from './toasts.js';

export type Placement = { taskId: string; status: TaskStatus; position: string };

/** Positions compare as plain strings (not locale order), as the API sorts them. */
export const byPosition = (a: Task, b: Task) =>
  a.position < b.position ? -1 : a.position > b.position ? 1 : 0;

/** The current values of the fields a patch is about to change. */
function pick(task: Task, patch: TaskInput): Partial<Task> {
  return Object.fromEntries(Object.keys(patch).map((key) => [key, task[key as keyof Task]]));
}

/** A key between two neighbours; a clash from a concurrent edit falls back to "after the upper one". */
function keyBetween(above: Task | undefined, below: Task | undefined): string {
  try {
    return generateKeyBetween(above?.position ?? null, below?.position ?? null);
  } catch {
    return generateKeyBetween(above?.position ?? null, null);
  }
}

/** The open project's tasks, grouped into status columns, with optimistic moves and edits that roll back. */
export const useBoardStore = defineStore('board', () => {
  const project = ref<Project | null>(null);
  const tasks = ref<Record<string, Task>>({});
  const loading = ref(false);
  const error = ref<unknown>(null);
  const toasts = useToastStore();
  let loadToken = 0;
  // Writes in flight per task, and the newest copy their responses returned. Responses of overlapping writes can
  // arrive in any order, so a task takes the server's copy only when its last write has answered.
  const inflight = new Map<string, { count: number; newest: Task | null }>();

  function beginWrite(id: string) {
    const entry = inflight.get(id) ?? { count: 0, newest: null };
    entry.count += 1;
    inflight.set(id, entry);
  }

  function endWrite(id: string, saved: Task | null) {
    const entry = inflight.get(id);
    if (!entry) return;
    if (saved && (!entry.newest || saved.updatedAt >= entry.newest.updatedAt)) entry.newest = saved;
    entry.count -= 1;
    if (entry.count > 0) return;
    inflight.delete(id);
    if (entry.newest && tasks.value[id]) tasks.value[id] = entry.newest;
  }

  const columns = computed(() => {
    const grouped = Object.fromEntries(TASK_STATUSES.map((s) => [s, [] as Task[]])) as Record<
      TaskStatus,
      Task[]
    >;
    for (const task of Object.values(tasks.value)) grouped[task.status]?.push(task);
    for (const status of TASK_STATUSES) grouped[status].sort(byPosition);
    return grouped;
  });

  /** Loads a project and all its tasks; a newer load wins over a slower older one. */
  async function load(projectId: string) {
    const token = ++loadToken;
    loading.value = true;
    error.value = null;
    if (project.value?.id !== projectId) tasks.value = {};
    try {
      const [p, list] = await Promise.all([api.projects.get(projectId), api.tasks.all(projectId)]);
      if (token !== loadToken) return;
      project.value = p;
      setAll(list);
    } catch (e) {
      if (token === loadToken) error.value = e;
    } finally {
      if (token === loadToken) loading.value = false;
    }
  }

  function setAll(list: Task[]) {
    tasks.value = Object.fromEntries(list.map((t) => [t.id, t]));
  }

  /**
   * Adds or replaces a task from an event or a fetch (one of another project leaves the board), unless what we hold is newer or our own writes to it are
   * still in flight (their last response brings the final state).
   */
  function upsert(task: Task) {
    // A task moved to another project (bulk edit) leaves this board.
    if (project.value && task.projectId !== project.value.id) return remove(task.id);
    if (inflight.has(task.id)) return;
    const held = tasks.value[task.id];
    if (held && held.updatedAt > task.updatedAt) return;
    tasks.value[task.id] = task;
  }

  function remove(id: string) {
    if (id in tasks.value) delete tasks.value[id];
  }

  /** Quick-add from a column: the card appears at once and is replaced by the server's copy. */
  async function quickAdd(status: TaskStatus, title: string) {
    if (!project.value) return;
    const created = await api.tasks.create(project.value.id, { title, status });
    upsert(created);
    return created;
  }

  /** Where a task stands now, to put it back if a move fails or is cancelled. */
  function snapshot(taskId: string): Placement | null {
    const task = tasks.value[taskId];
    return task ? { taskId, status: task.status, position: task.position } : null;
  }

  function restore(placement: Placement) {
    const task = tasks.value[placement.taskId];
    if (task) Object.assign(task, { status: placement.status, position: placement.position });
  }

  /**
   * Puts a task at `index` of column `status` (index among the column's other tasks), locally only: the board
   * shows it at once. Returns false when that is where it already is.
   */
  function place(taskId: string, status: TaskStatus, index: number): boolean {
    const task = tasks.value[taskId];
    if (!task) return false;
    const others = columns.value[status].filter((t) => t.id !== taskId);
    const clamped = Math.max(0, Math.min(index, others.length));
    // Among the others, the task's own index is where it already is.
    if (status === task.status && clamped === columns.value[status].indexOf(task)) return false;
    task.status = status;
    task.position = keyBetween(others[clamped - 1], others[clamped]);
    return true;
  }

  /**
   * Saves where a task now stands, naming its new neighbours; if the API refuses, the card goes back to `from`
   * and the reason is shown.
   */
  async function persist(taskId: string, from: Placement) {
    const task = tasks.value[taskId];
    if (!task) return;
    const column = columns.value[task.status];
    const index = column.indexOf(task);
    const above = column[index - 1];
    const below = column[index + 1];
    beginWrite(taskId);
    try {
      const saved = await api.tasks.move(taskId, {
        status: task.status,
        ...(above ? { beforeId: above.id } : below ? { afterId: below.id } : {}),
      });
      endWrite(taskId, saved);
    } catch (e) {
      endWrite(taskId, null);
      restore(from);
      toasts.error(e, 'Could not move the task');
      throw e;
    }
  }

  /** Drag and drop: place at once, save, roll back on error. */
  async function move(taskId: string, status: TaskStatus, index: number) {
    const from = snapshot(taskId);
    if (!from || !place(taskId, status, index)) return;
    await persist(taskId, from);
  }

  /** Saves fields of a task optimistically; puts those fields back if the API says no. */
  async function update(taskId: string, patch: TaskInput) {
    const task = tasks.value[taskId];
    const before = task ? pick(task, patch) : null;
    if (task) Object.assign(task, patch);
    beginWrite(taskId);
    try {
      const saved = await api.tasks.update(taskId, patch);
      endWrite(taskId, saved);
      return saved;
    } catch (e) {
      const held = tasks.value[taskId];
      if (held && before) Object.assign(held, before);
      endWrite(taskId, null);
      throw e;
    }
  }

  return {
    project,
    tasks,
    loading,
    error,
    columns,
    load,
    setAll,
    upsert,
    remove,
    quickAdd,
    snapshot,
    restore,
    place,
    persist,
    move,
    update,
  };
});
