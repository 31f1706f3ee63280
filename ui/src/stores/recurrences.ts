import { defineStore } from 'pinia';
import { ref } from 'vue';
import { api } from '../services/index.js';
import type { RecurrenceRuleInput, TaskRecurrence } from '../services/types.js';

/**
 * Which tasks of the open project repeat (the board's icons, by task id, with the rule's summary) and the repeat
 * rule of the task open in the panel. A rule belongs to a series that spans several tasks, so a change reloads
 * the project's list rather than patching one entry.
 */
export const useRecurrenceStore = defineStore('recurrences', () => {
  const projectId = ref<string | null>(null);
  const summaries = ref<Record<string, string>>({});
  const taskId = ref<string | null>(null);
  const current = ref<TaskRecurrence>(null);
  let loadToken = 0;

  /** Loads the project's repeating tasks; a newer load wins over a slower older one. */
  async function load(id: string) {
    const token = ++loadToken;
    if (projectId.value !== id) summaries.value = {};
    projectId.value = id;
    const list = await api.recurrences.forProject(id);
    if (token === loadToken) summaries.value = Object.fromEntries(list.map((t) => [t.taskId, t.summary]));
  }

  /** A task of `project` was created as the next occurrence of a series (an event): its card gets its icon. */
  function occurrenceCreated(project: string) {
    if (projectId.value === project) void load(project).catch(() => undefined);
  }

  async function open(id: string) {
    taskId.value = id;
    current.value = null;
    const loaded = await api.recurrences.get(id);
    if (taskId.value === id) current.value = loaded;
  }

  function close() {
    taskId.value = null;
    current.value = null;
  }

  async function save(rule: RecurrenceRuleInput) {
    const id = taskId.value!;
    const saved = await api.recurrences.set(id, rule);
    if (taskId.value === id) current.value = saved;
    if (projectId.value) await load(projectId.value);
  }

  async function stop() {
    const id = taskId.value!;
    await api.recurrences.stop(id);
    if (taskId.value === id) current.value = null;
    if (projectId.value) await load(projectId.value);
  }

  return { projectId, summaries, current, load, occurrenceCreated, open, close, save, stop };
});
