import { defineStore } from 'pinia';
import { ref } from 'vue';
import { api } from '../services/index.js';
import type { Task } from '../services/types.js';
import { useBoardStore } from './board.js';

/** The subtasks of the task open in the panel (and, for a subtask, its parent), kept live by task events. */
export const useSubtaskStore = defineStore('subtasks', () => {
  const parentId = ref<string | null>(null);
  const items = ref<Task[]>([]);
  /** The open task's own parent, when it is a subtask. */
  const parent = ref<Task | null>(null);
  const board = useBoardStore();

  async function open(task: Task) {
    parentId.value = task.id;
    items.value = [];
    parent.value = null;
    const [subtasks, up] = await Promise.all([
      api.tasks.subtasks(task.id),
      task.parentId ? api.tasks.get(task.parentId) : Promise.resolve(null),
    ]);
    if (parentId.value !== task.id) return;
    items.value = subtasks;
    parent.value = up;
  }

  function close() {
    parentId.value = null;
    items.value = [];
    parent.value = null;
  }

  async function create(title: string) {
    if (!parentId.value) return;
    const created = await api.tasks.createSubtask(parentId.value, { title });
    receive(created);
    board.upsert(created);
  }

  /** Done or back to do: a status change like any other (the board copy too). */
  async function setDone(task: Task, done: boolean) {
    const status = done ? 'done' : 'todo';
    const saved = board.tasks[task.id]
      ? await board.update(task.id, { status })
      : await api.tasks.update(task.id, { status });
    receive(saved);
  }

  async function promote(task: Task) {
    const saved = await api.tasks.promote(task.id);
    receive(saved);
    board.upsert(saved);
  }

  /** A task from this tab or an event: joins, updates or leaves the list by its parent. */
  function receive(task: Task) {
    if (parent.value?.id === task.id) parent.value = task;
    if (!parentId.value) return;
    const at = items.value.findIndex((t) => t.id === task.id);
    if (task.parentId !== parentId.value) {
      if (at >= 0) items.value = items.value.filter((t) => t.id !== task.id);
      return;
    }
    if (at < 0) items.value = [...items.value, task].sort((a, b) => a.number - b.number);
    else if (items.value[at]!.updatedAt <= task.updatedAt) items.value[at] = task;
  }

  function drop(id: string) {
    items.value = items.value.filter((t) => t.id !== id);
  }

  return { parentId, items, parent, open, close, create, setDone, promote, receive, drop };
});
