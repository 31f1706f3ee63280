import { defineStore } from 'pinia';
import { ref } from 'vue';
import { api } from '../services/index.js';
import type { BoardEvent, StreamState, Subscription } from '../services/events.js';
import type { Comment, Project, Task } from '../services/types.js';
import { useBoardStore } from './board.js';
import { useRecurrenceStore } from './recurrences.js';
import { useProjectStore } from './projects.js';
import { useChecklistStore, type ChecklistEvent } from './checklist.js';
import { useInboxStore, type InboxEvent } from './inbox.js';
import { useMyTasksStore } from './myTasks.js';
import { useSubtaskStore } from './subtasks.js';
import { useTaskStore } from './task.js';
import { useWorkspaceStore } from './workspaces.js';

/** Pulls `task` / `comment` out of an event payload, whether sent bare or wrapped. */
function payload<T extends { id: string }>(data: unknown, key: string): T | null {
  if (!data || typeof data !== 'object') return null;
  const wrapped = (data as Record<string, unknown>)[key];
  const value = (wrapped && typeof wrapped === 'object' ? wrapped : data) as Partial<T>;
  return typeof value.id === 'string' ? (value as T) : null;
}

/** Keeps the board, "My tasks" and the open task in step with what teammates change, through the workspace event stream. */
export const useRealtimeStore = defineStore('realtime', () => {
  const state = ref<StreamState>('closed');
  const workspaceId = ref<string | null>(null);
  let subscription: Subscription | null = null;

  function apply(event: BoardEvent) {
    const board = useBoardStore();
    const detail = useTaskStore();
    if (event.type === 'resync') {
      // The API no longer holds what we missed: reload rather than show a stale board or inbox.
      if (board.project) void board.load(board.project.id);
      useMyTasksStore().reload();
      void useInboxStore().refresh();
      return;
    }
    if (event.type === 'task.deleted') {
      const id =
        payload<{ id: string }>(event.data, 'task')?.id ?? (event.data as { taskId?: string })?.taskId;
      if (id) {
        board.remove(id);
        useMyTasksStore().remove(id);
        useSubtaskStore().drop(id);
      }
      return;
    }
    if (event.type === 'inbox.updated') {
      if (event.data && typeof event.data === 'object') {
        useInboxStore().receive(workspaceId.value, event.data as InboxEvent);
      }
      return;
    }
    if (event.type === 'checklist.updated') {
      const data = event.data as Partial<ChecklistEvent> | null;
      if (data?.taskId && Array.isArray(data.items) && data.progress) {
        useChecklistStore().receive(data as ChecklistEvent);
      }
      return;
    }
    if (event.type.startsWith('task.')) {
      const task = payload<Task>(event.data, 'task');
      if (!task) return;
      board.upsert(task);
      useMyTasksStore().upsert(task);
      detail.receiveTask(task);
      // The next occurrence of a repeating task: its card shows the repeat icon too.
      if (event.type === 'task.created' && (event.data as { recurrence?: unknown })?.recurrence) {
        useRecurrenceStore().occurrenceCreated(task.projectId);
      }
      useSubtaskStore().receive(task);
      refreshDirectoryFor(task);
      return;
    }
    if (event.type === 'comment.created' || event.type === 'comment.restored') {
      const comment = payload<Comment>(event.data, 'comment');
      if (comment) detail.receiveComment(comment);
      return;
    }
    if (event.type === 'comment.deleted') {
      const id = (event.data as { id?: string } | null)?.id;
      if (id) detail.dropComment(id);
      return;
    }
    if (event.type === 'project.deleted') {
      const id = (event.data as { id?: string } | null)?.id;
      if (id) useProjectStore().drop(id);
      return;
    }
    if (event.type === 'project.restored') {
      const project = payload<Project>(event.data, 'project');
      if (project) useProjectStore().receive(project);
    }
  }

  let directoryTimer: ReturnType<typeof setTimeout> | undefined;
  /** A label or member this tab has not seen yet (made by a teammate): reload the directory, once per burst. */
  function refreshDirectoryFor(task: Task) {
    const workspaces = useWorkspaceStore();
    const unknown =
      task.labelIds.some((id) => !workspaces.labelById.has(id)) ||
      (task.assigneeId !== null && !workspaces.memberById.has(task.assigneeId));
    if (!unknown || directoryTimer) return;
    directoryTimer = setTimeout(() => {
      directoryTimer = undefined;
      void workspaces.refreshDirectory().catch(() => undefined);
    }, 100);
  }

  /** Listens to one workspace at a time; switching workspaces closes the old stream. */
  function connect(id: string) {
    if (workspaceId.value === id && subscription) return;
    disconnect();
    workspaceId.value = id;
    subscription = api.events.subscribe(id, {
      onEvent: apply,
      onState: (s) => {
        state.value = s;
      },
      onResync: () => {
        const board = useBoardStore();
        if (board.project) void board.load(board.project.id);
        useMyTasksStore().reload();
        void useInboxStore().refresh();
      },
    });
  }

  function disconnect() {
    subscription?.close();
    subscription = null;
    workspaceId.value = null;
    state.value = 'closed';
  }

  return { state, workspaceId, connect, disconnect, apply };
});
