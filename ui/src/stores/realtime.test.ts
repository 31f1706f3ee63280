// @vitest-environment node
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, expect, it } from 'vitest';
import type { Comment, InboxItem, Task } from '../services/types.js';
import { useBoardStore } from './board.js';
import { useChecklistStore } from './checklist.js';
import { useInboxStore } from './inbox.js';
import { useMyTasksStore } from './myTasks.js';
import { useProjectStore } from './projects.js';
import { useRealtimeStore } from './realtime.js';
import { useSubtaskStore } from './subtasks.js';
import { useTaskStore } from './task.js';

const task = (id: string, patch: Partial<Task> = {}): Task => ({
  id,
  projectId: 'p1',
  number: 1,
  title: 'T',
  description: '',
  status: 'todo',
  position: 'a0',
  priority: 'none',
  dueAt: null,
  assigneeId: null,
  labelIds: [],
  parentId: null,
  checklist: { done: 0, total: 0 },
  subtasks: { done: 0, total: 0 },
  createdBy: null,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
  ...patch,
});

beforeEach(() => {
  setActivePinia(createPinia());
  const board = useBoardStore();
  board.project = {
    id: 'p1',
    workspaceId: 'w1',
    name: 'P',
    description: '',
    archived: false,
    taskCounts: { backlog: 0, todo: 0, in_progress: 0, done: 0 },
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
  };
});

it('applies the API event payloads to the open board and task', () => {
  const realtime = useRealtimeStore();
  const board = useBoardStore();
  const detail = useTaskStore();

  realtime.apply({ id: '1-0', type: 'task.created', data: { projectId: 'p1', task: task('t1') } });
  expect(board.columns.todo.map((t) => t.id)).toEqual(['t1']);

  detail.task = task('t1');
  realtime.apply({
    id: '2-0',
    type: 'task.moved',
    data: { projectId: 'p1', task: task('t1', { status: 'done', updatedAt: '2026-01-02T00:00:00.000Z' }) },
  });
  expect(board.columns.done.map((t) => t.id)).toEqual(['t1']);
  expect(detail.task?.status).toBe('done');

  const comment: Comment = {
    id: 'c1',
    taskId: 't1',
    authorId: null,
    body: 'hi',
    createdAt: '2026-01-02T00:00:00.000Z',
    updatedAt: '2026-01-02T00:00:00.000Z',
  };
  realtime.apply({ id: '3-0', type: 'comment.created', data: { projectId: 'p1', taskId: 't1', comment } });
  realtime.apply({ id: '3-0', type: 'comment.created', data: { projectId: 'p1', taskId: 't1', comment } });
  expect(detail.comments.map((c) => c.id)).toEqual(['c1']);

  realtime.apply({ id: '4-0', type: 'task.deleted', data: { projectId: 'p1', id: 't1' } });
  expect(board.tasks).toEqual({});
});

it('ignores events of other projects and types it does not know', () => {
  const realtime = useRealtimeStore();
  const board = useBoardStore();
  realtime.apply({
    id: '1-0',
    type: 'task.created',
    data: { projectId: 'p2', task: task('x', { projectId: 'p2' }) },
  });
  realtime.apply({ id: '2-0', type: 'label.created', data: { id: 'l1' } });
  expect(board.tasks).toEqual({});
});

it('applies checklist lists to the open checklist and progress to the card and the open task', () => {
  const realtime = useRealtimeStore();
  const board = useBoardStore();
  const detail = useTaskStore();
  const checklist = useChecklistStore();
  board.upsert(task('t1'));
  detail.task = task('t1');
  checklist.taskId = 't1';
  const item = {
    id: 'i1',
    taskId: 't1',
    text: 'Step',
    done: true,
    position: 'a0',
    assigneeId: null,
    dueAt: null,
    createdAt: '2026-01-02T00:00:00.000Z',
    updatedAt: '2026-01-02T00:00:00.000Z',
  };
  realtime.apply({
    id: '1-0',
    type: 'checklist.updated',
    data: { projectId: 'p1', taskId: 't1', items: [item], progress: { done: 1, total: 1 } },
  });
  expect(checklist.items.map((i) => i.text)).toEqual(['Step']);
  expect(board.tasks.t1!.checklist).toEqual({ done: 1, total: 1 });
  expect(detail.task.checklist).toEqual({ done: 1, total: 1 });
});

it('keeps the open task’s subtasks in step: joining, changing and leaving by their parent', () => {
  const realtime = useRealtimeStore();
  const subtasks = useSubtaskStore();
  subtasks.parentId = 'parent';
  const later = '2026-01-03T00:00:00.000Z';
  realtime.apply({ id: '1-0', type: 'task.created', data: { task: task('s1', { parentId: 'parent' }) } });
  realtime.apply({ id: '2-0', type: 'task.created', data: { task: task('other') } });
  expect(subtasks.items.map((t) => t.id)).toEqual(['s1']);
  realtime.apply({
    id: '3-0',
    type: 'task.moved',
    data: { task: task('s1', { parentId: 'parent', status: 'done', updatedAt: later }) },
  });
  expect(subtasks.items[0]!.status).toBe('done');
  realtime.apply({ id: '4-0', type: 'task.updated', data: { task: task('s1', { updatedAt: later }) } });
  expect(subtasks.items).toEqual([]);
  realtime.apply({ id: '5-0', type: 'task.created', data: { task: task('s2', { parentId: 'parent' }) } });
  realtime.apply({ id: '6-0', type: 'task.deleted', data: { id: 's2' } });
  expect(subtasks.items).toEqual([]);
});

it("keeps the inbox's badge and list in step with inbox.updated of the workspace it shows", () => {
  const realtime = useRealtimeStore();
  const inbox = useInboxStore();
  const item = (id: string): InboxItem => ({
    id,
    workspaceId: 'w1',
    kind: 'mentioned',
    excerpt: '@Bob have a look',
    task: { id: 't1', projectId: 'p1', number: 1, title: 'T' },
    actor: { id: 'u1', name: 'Ada' },
    read: false,
    createdAt: '2026-01-02T00:00:00.000Z',
  });
  realtime.workspaceId = 'w1';
  inbox.workspaceId = 'w1';
  inbox.loaded = true;
  inbox.items = [item('n1')];
  inbox.unread = 1;

  const event = {
    id: '1-0',
    type: 'inbox.updated',
    data: { userId: 'u2', unread: 2, notification: item('n2') },
  };
  realtime.apply(event);
  realtime.apply(event);
  expect(inbox.items.map((i) => i.id)).toEqual(['n2', 'n1']);
  expect(inbox.unread).toBe(2);

  // The stream of another workspace says nothing about this one's inbox.
  realtime.workspaceId = 'w2';
  realtime.apply({ id: '2-0', type: 'inbox.updated', data: { userId: 'u2', unread: 9 } });
  expect(inbox.unread).toBe(2);
});

it('follows deletes and restores from the trash: tasks, comments and projects', () => {
  const realtime = useRealtimeStore();
  const board = useBoardStore();
  const detail = useTaskStore();
  const projects = useProjectStore();
  projects.workspaceId = 'w1';
  projects.projects = [board.project!];

  realtime.apply({ id: '1-0', type: 'task.restored', data: { projectId: 'p1', task: task('t1') } });
  expect(board.columns.todo.map((t) => t.id)).toEqual(['t1']);

  detail.task = task('t1');
  const comment = (id: string, createdAt: string): Comment => ({
    id,
    taskId: 't1',
    authorId: null,
    body: id,
    createdAt,
    updatedAt: createdAt,
  });
  detail.comments = [comment('c1', '2026-01-01T00:00:00.000Z'), comment('c3', '2026-01-03T00:00:00.000Z')];
  realtime.apply({ id: '2-0', type: 'comment.deleted', data: { projectId: 'p1', taskId: 't1', id: 'c1' } });
  expect(detail.comments.map((c) => c.id)).toEqual(['c3']);
  // Back where it was written, not at the end.
  for (const [id, at] of [
    ['c1', '2026-01-01T00:00:00.000Z'],
    ['c2', '2026-01-02T00:00:00.000Z'],
  ] as const) {
    realtime.apply({
      id: '3-0',
      type: 'comment.restored',
      data: { projectId: 'p1', taskId: 't1', comment: comment(id, at) },
    });
  }
  expect(detail.comments.map((c) => c.id)).toEqual(['c1', 'c2', 'c3']);

  realtime.apply({ id: '4-0', type: 'project.deleted', data: { id: 'p1' } });
  expect(projects.projects).toEqual([]);
  realtime.apply({ id: '5-0', type: 'project.restored', data: { project: board.project } });
  expect(projects.projects.map((p) => p.id)).toEqual(['p1']);
  // Another workspace's project is not this list's.
  realtime.apply({
    id: '6-0',
    type: 'project.restored',
    data: { project: { ...board.project!, id: 'p9', workspaceId: 'w2' } },
  });
  expect(projects.projects.map((p) => p.id)).toEqual(['p1']);
});

it('keeps "My tasks" to the tasks assigned to me and due in the window shown', () => {
  const realtime = useRealtimeStore();
  const mine = useMyTasksStore();
  mine.workspaceId = 'w1';
  mine.userId = 'me';
  mine.window = { dueFrom: '2026-12-01T00:00:00.000Z', dueBefore: '2027-01-01T00:00:00.000Z' };
  const at = (minute: number) => `2026-01-01T00:${String(minute).padStart(2, '0')}:00.000Z`;
  const ids = () => Object.keys(mine.tasks).sort();

  const inside = { assigneeId: 'me', dueAt: '2026-12-10T09:00:00.000Z' };
  realtime.apply({ id: '1-0', type: 'task.updated', data: { task: task('a', inside) } });
  realtime.apply({
    id: '2-0',
    type: 'task.created',
    data: { task: task('b', { ...inside, projectId: 'p2' }) },
  });
  realtime.apply({ id: '3-0', type: 'task.created', data: { task: task('c', { dueAt: inside.dueAt }) } });
  realtime.apply({
    id: '4-0',
    type: 'task.created',
    data: { task: task('d', { assigneeId: 'me', dueAt: '2027-01-01T00:00:00.000Z' }) },
  });
  expect(ids()).toEqual(['a', 'b']);

  // A teammate moves a's due date within the window, then out of it; b is given to someone else.
  const moved = { ...inside, dueAt: '2026-12-24T09:00:00.000Z', updatedAt: at(1) };
  realtime.apply({ id: '5-0', type: 'task.updated', data: { task: task('a', moved) } });
  expect(mine.tasks.a!.dueAt).toBe('2026-12-24T09:00:00.000Z');
  // An older copy arriving late changes nothing.
  realtime.apply({ id: '6-0', type: 'task.updated', data: { task: task('a', inside) } });
  expect(mine.tasks.a!.dueAt).toBe('2026-12-24T09:00:00.000Z');
  realtime.apply({
    id: '7-0',
    type: 'task.updated',
    data: { task: task('a', { ...moved, dueAt: '2026-11-30T23:59:00.000Z', updatedAt: at(2) }) },
  });
  realtime.apply({
    id: '8-0',
    type: 'task.updated',
    data: { task: task('b', { ...inside, assigneeId: 'u2', updatedAt: at(2) }) },
  });
  expect(ids()).toEqual([]);

  realtime.apply({ id: '9-0', type: 'task.restored', data: { task: task('e', inside) } });
  expect(ids()).toEqual(['e']);
  realtime.apply({ id: '10-0', type: 'task.deleted', data: { id: 'e' } });
  expect(ids()).toEqual([]);
});
