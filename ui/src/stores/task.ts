import { defineStore } from 'pinia';
import { ref } from 'vue';
import { api } from '../services/index.js';
import type { Activity, Attachment, Comment, Task, TaskInput } from '../services/types.js';
import { useBoardStore } from './board.js';

/** The task open in the detail panel: its fields, comments, attachments and history. */
export const useTaskStore = defineStore('task', () => {
  const task = ref<Task | null>(null);
  const comments = ref<Comment[]>([]);
  const attachments = ref<Attachment[]>([]);
  const activity = ref<Activity[]>([]);
  const loading = ref(false);
  const error = ref<unknown>(null);
  const board = useBoardStore();

  async function open(id: string) {
    loading.value = true;
    error.value = null;
    if (task.value?.id !== id) {
      task.value = null;
      comments.value = [];
      attachments.value = [];
      activity.value = [];
    }
    try {
      const loaded = await api.tasks.get(id);
      task.value = loaded;
      const [c, a] = await Promise.all([
        api.tasks.comments(id),
        api.tasks.attachments(id).catch(() => [] as Attachment[]),
      ]);
      comments.value = c.items;
      attachments.value = a;
      void loadActivity();
    } catch (e) {
      error.value = e;
    } finally {
      loading.value = false;
    }
  }

  async function loadActivity() {
    const current = task.value;
    if (!current) return;
    try {
      const page = await api.projects.activity(current.projectId);
      activity.value = page.items.filter(
        (item) => item.subject.id === current.id || (item.data as { taskId?: string }).taskId === current.id,
      );
    } catch {
      activity.value = [];
    }
  }

  function close() {
    task.value = null;
  }

  let saving = 0;
  let newest: Task | null = null;

  /**
   * Saves fields at once (the board copy too). Overlapping saves answer in any order, so the panel takes the
   * server's copy only when the last one has answered; a refused save puts back only its own fields.
   */
  async function save(patch: TaskInput) {
    if (!task.value) return;
    const id = task.value.id;
    const before = Object.fromEntries(Object.keys(patch).map((k) => [k, task.value![k as keyof Task]]));
    Object.assign(task.value, patch);
    saving += 1;
    try {
      const saved = board.tasks[id] ? await board.update(id, patch) : await api.tasks.update(id, patch);
      if (!newest || saved.updatedAt >= newest.updatedAt) newest = saved;
    } catch (e) {
      if (task.value?.id === id) Object.assign(task.value, before);
      throw e;
    } finally {
      saving -= 1;
      if (saving === 0) {
        if (newest && task.value?.id === newest.id) task.value = newest;
        newest = null;
        void loadActivity();
      }
    }
  }

  /** Makes the open task a subtask of `parentId`, or (null) a task of its own again. */
  async function setParent(parentId: string | null) {
    if (!task.value) return;
    const id = task.value.id;
    const saved = parentId ? await api.tasks.setParent(id, parentId) : await api.tasks.promote(id);
    if (task.value?.id === id) task.value = saved;
    return saved;
  }

  async function addComment(body: string) {
    if (!task.value) return;
    const comment = await api.tasks.comment(task.value.id, body);
    receiveComment(comment);
  }

  /** A comment from this tab or a teammate's (event, or back from the trash), in order; duplicates are ignored. */
  function receiveComment(comment: Comment) {
    if (comment.taskId !== task.value?.id) return;
    if (comments.value.some((c) => c.id === comment.id)) return;
    comments.value = [...comments.value, comment].sort((a, b) => a.createdAt.localeCompare(b.createdAt));
    void loadActivity();
  }

  /** To the trash (its author, or an admin). */
  async function removeComment(id: string) {
    await api.tasks.removeComment(id);
    dropComment(id);
  }

  /** A comment gone (here or by a teammate's `comment.deleted`). */
  function dropComment(id: string) {
    comments.value = comments.value.filter((c) => c.id !== id);
  }

  /** The open task's comments again (after an undo, in case the event stream is reconnecting). */
  async function reloadComments() {
    const id = task.value?.id;
    if (!id) return;
    const page = await api.tasks.comments(id);
    if (task.value?.id === id) comments.value = page.items;
  }

  async function upload(file: File) {
    if (!task.value) return;
    const attachment = await api.tasks.upload(task.value.id, file);
    attachments.value = [...attachments.value, attachment];
  }

  /** Applies a teammate's change to the open task. */
  function receiveTask(changed: Task) {
    if (saving > 0 || task.value?.id !== changed.id || changed.updatedAt < task.value.updatedAt) return;
    task.value = changed;
    void loadActivity();
  }

  return {
    task,
    comments,
    attachments,
    activity,
    loading,
    error,
    open,
    close,
    save,
    setParent,
    addComment,
    receiveComment,
    removeComment,
    dropComment,
    reloadComments,
    upload,
    receiveTask,
  };
});
