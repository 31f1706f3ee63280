// @vitest-environment node
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { http } from '../services/index.js';
import type { Task } from '../services/types.js';
import { reply, startServer } from '../testing/server.js';
import { useBoardStore } from './board.js';
import { useToastStore } from './toasts.js';

const task = (id: string, number: number, status: Task['status'], position: string): Task => ({
  id,
  projectId: 'p1',
  number,
  title: `Task ${number}`,
  description: '',
  status,
  position,
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
});

let close: () => Promise<void>;
let moves: { id: string; body: unknown }[];
let answerMove: (id: string) => Promise<{ status: number; body: unknown }>;

beforeEach(async () => {
  setActivePinia(createPinia());
  moves = [];
  const server = await startServer(async (req, res, body) => {
    const url = req.url ?? '';
    if (url === '/api/v1/projects/p1') {
      return reply(res, 200, { id: 'p1', workspaceId: 'w1', name: 'P', description: '', archived: false });
    }
    if (url.startsWith('/api/v1/projects/p1/tasks')) {
      return reply(res, 200, {
        items: [task('t1', 1, 'todo', 'a0'), task('t2', 2, 'todo', 'a1'), task('t3', 3, 'todo', 'a2')],
        nextCursor: null,
      });
    }
    const move = url.match(/^\/api\/v1\/tasks\/(\w+)\/move$/);
    if (move && req.method === 'POST') {
      moves.push({ id: move[1]!, body: JSON.parse(body) });
      const answer = await answerMove(move[1]!);
      return reply(res, answer.status, answer.body);
    }
    reply(res, 404, { title: 'Not Found', status: 404, detail: 'Route not found.' });
  });
  close = server.close;
  http.configure(`${server.url}/api/v1`);
  http.setAccessToken('token');
});
afterEach(() => close());

it('loads a project into status columns ordered by position', async () => {
  const board = useBoardStore();
  await board.load('p1');
  expect(board.columns.todo.map((t) => t.id)).toEqual(['t1', 't2', 't3']);
  expect(board.columns.done).toEqual([]);
});

it('moves a card at once, names its new neighbours, then keeps the server copy', async () => {
  const board = useBoardStore();
  await board.load('p1');
  answerMove = async () => ({
    status: 200,
    body: { ...task('t3', 3, 'todo', 'Zz'), updatedAt: '2026-01-02T00:00:00.000Z' },
  });
  const saving = board.move('t3', 'todo', 0);
  // Optimistic: the card is first before the API has answered.
  expect(board.columns.todo.map((t) => t.id)).toEqual(['t3', 't1', 't2']);
  await saving;
  expect(moves).toEqual([{ id: 't3', body: { status: 'todo', afterId: 't1' } }]);
  expect(board.tasks.t3!.position).toBe('Zz');
});

it('puts the card back and shows the API problem detail when the move is refused', async () => {
  const board = useBoardStore();
  const toasts = useToastStore();
  await board.load('p1');
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  answerMove = async () => {
    await released;
    return {
      status: 403,
      body: { type: 'about:blank', title: 'Forbidden', status: 403, detail: 'Viewers cannot move tasks.' },
    };
  };
  const saving = board.move('t1', 'done', 0);
  expect(board.tasks.t1!.status).toBe('done');
  expect(board.columns.todo.map((t) => t.id)).toEqual(['t2', 't3']);
  release();
  await expect(saving).rejects.toMatchObject({ status: 403 });
  expect(moves[0]).toEqual({ id: 't1', body: { status: 'done' } });
  expect(board.tasks.t1).toMatchObject({ status: 'todo', position: 'a0' });
  expect(board.columns.todo.map((t) => t.id)).toEqual(['t1', 't2', 't3']);
  expect(toasts.toasts.at(-1)).toMatchObject({ kind: 'error', message: 'Viewers cannot move tasks.' });
});

it('ignores events older than its copy, and tasks of other projects', async () => {
  const board = useBoardStore();
  await board.load('p1');
  board.upsert({ ...task('t1', 1, 'done', 'a5'), updatedAt: '2026-01-03T00:00:00.000Z' });
  board.upsert({ ...task('t1', 1, 'backlog', 'a5'), updatedAt: '2026-01-02T00:00:00.000Z' });
  expect(board.tasks.t1!.status).toBe('done');
  // Events for other projects of the workspace do not land on this board.
  board.upsert({ ...task('x', 9, 'todo', 'a9'), projectId: 'other' });
  expect(board.tasks.x).toBeUndefined();
});
