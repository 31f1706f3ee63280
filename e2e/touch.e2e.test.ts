import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { BrowserContext, CDPSession, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callAs } from './session.js';
import { startStack, type Stack } from './stack.js';

/**
 * The board on a phone: a real touchscreen (Chromium's touch emulation fed through the DevTools protocol, so the
 * browser's own gesture handling decides what scrolls), a 390 px screen that shows one column at a time.
 */
const SHOTS = resolve(import.meta.dirname, '../test-results/screenshots');
let stack: Stack;
let context: BrowserContext;
let page: Page;
let cdp: CDPSession;
let boardUrl = '';
let projectId = '';
const pageErrors: string[] = [];

/** Calls the API from the page, with the session its refresh cookie holds. */
const api = <T>(method: string, path: string, body?: unknown) => callAs<T>(page, method, path, body);

type Point = { x: number; y: number };
const touch = {
  start: (p: Point) =>
    cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [{ ...p, id: 1 }] }),
  move: (p: Point) =>
    cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: [{ ...p, id: 1 }] }),
  end: () => cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] }),
  /** Moves the finger in even steps, one every `ms`. */
  async glide(from: Point, to: Point, steps: number, ms: number) {
    for (let step = 1; step <= steps; step += 1) {
      await this.move({
        x: from.x + ((to.x - from.x) * step) / steps,
        y: from.y + ((to.y - from.y) * step) / steps,
      });
      await page.waitForTimeout(ms);
    }
  },
};

const card = (title: string) => page.locator('[data-task-id]', { hasText: title });
const column = (status: string) => page.locator(`[data-column="${status}"]`);
// Text content, not inner text: cards scrolled out of view are not rendered (content-visibility: auto).
const titlesIn = (status: string) => column(status).locator('[data-task-id] .title').allTextContents();
/** Resolves once the board has not scrolled for 300 ms (a fling and the snap after it take a while). */
const scrollSettled = () =>
  page.getByTestId('board').evaluate(
    (board) =>
      new Promise<void>((done) => {
        let timer = setTimeout(done, 300);
        board.addEventListener('scroll', () => {
          clearTimeout(timer);
          timer = setTimeout(done, 300);
        });
      }),
  );
const scrollLeft = () => page.getByTestId('board').evaluate((board) => board.scrollLeft);
async function centre(title: string): Promise<Point> {
  const box = (await card(title).boundingBox())!;
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
}

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  stack = await startStack();
  context = await stack.browser.newContext({
    viewport: { width: 390, height: 844 },
    hasTouch: true,
    isMobile: true,
    deviceScaleFactor: 2,
  });
  page = await context.newPage();
  page.on('pageerror', (error) => pageErrors.push(error.message));
  cdp = await context.newCDPSession(page);

  // An account, a workspace, a project and three tasks, made through the API from the page (the cookie sticks).
  await page.goto(`${stack.url}/signin`);
  await page.evaluate(async () => {
    const response = await fetch('/api/v1/auth/register', {
      method: 'POST',
      credentials: 'include',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        name: 'Tess Touch',
        email: 'tess@example.com',
        password: 'correct horse battery',
      }),
    });
    if (!response.ok) throw new Error(`register: ${response.status}`);
  });
  const workspace = await api<{ id: string }>('POST', '/workspaces', { name: 'Pocket' });
  const project = await api<{ id: string }>('POST', `/workspaces/${workspace.id}/projects`, {
    name: 'On the go',
  });
  projectId = project.id;
  for (const [title, status] of [
    ['Write the copy', 'backlog'],
    ['Pick the fonts', 'backlog'],
    ['Ship it', 'todo'],
  ]) {
    await api('POST', `/projects/${projectId}/tasks`, { title, status });
  }
  boardUrl = `${stack.url}/w/${workspace.id}/projects/${projectId}`;
  await page.goto(boardUrl);
  await card('Ship it').waitFor();
});
afterAll(async () => {
  await stack?.close();
});

describe('the board on a touchscreen', () => {
  it('scrolls with a swipe that starts on a card, without picking the card up', async () => {
    // The first column shows, snapped into place (the board's padding is scrolled past).
    const first = await scrollLeft();
    const from = await centre('Pick the fonts');
    await touch.start(from);
    await touch.glide(from, { x: from.x - 220, y: from.y }, 6, 16);
    await touch.end();
    await expect.poll(scrollLeft).toBeGreaterThan(first + 100);
    await scrollSettled();
    expect(await page.locator('.drag-ghost').count()).toBe(0);
    expect(await titlesIn('backlog')).toEqual(['Write the copy', 'Pick the fonts']);
    // Back to the first column.
    await page.getByTestId('board').evaluate((board) => board.scrollTo({ left: 0, behavior: 'instant' }));
    await scrollSettled();
    expect(await scrollLeft()).toBe(first);
  });

  it('opens a task with a tap', async () => {
    await page.touchscreen.tap(...(Object.values(await centre('Pick the fonts')) as [number, number]));
    const panel = page.getByTestId('task-panel');
    await panel.getByText('Task #2').waitFor();
    await panel.getByRole('button', { name: 'Close task' }).click();
    await panel.waitFor({ state: 'detached' });
  });

  it('picks a card up with a long press, carries it into the next column and saves the move', async () => {
    const from = await centre('Write the copy');
    await touch.start(from);
    await page.waitForTimeout(450);
    // Lifted: a ghost under the finger, the card itself faded in its place.
    await page.locator('.drag-layer .drag-ghost').waitFor();
    expect(await card('Write the copy').getAttribute('class')).toContain('drag-source');

    // To the right edge of the screen: the board scrolls the next column (To do) in under the finger.
    const edge = { x: 384, y: from.y };
    await touch.glide(from, edge, 8, 20);
    await expect
      .poll(() => column('todo').evaluate((c) => c.getBoundingClientRect().left), { timeout: 10_000 })
      .toBeLessThan(150);
    // Over the top half of "Ship it": the gap above it is marked, and To do is outlined.
    const ship = (await card('Ship it').boundingBox())!;
    const drop = { x: ship.x + ship.width / 2, y: ship.y + 8 };
    await touch.glide(edge, drop, 6, 20);
    await page.waitForTimeout(100);
    const outline = (await page.locator('.drop-column').boundingBox())!;
    const todo = (await column('todo').boundingBox())!;
    expect(Math.abs(outline.x - todo.x)).toBeLessThan(2);
    expect(await page.locator('.drop-indicator').isVisible()).toBe(true);
    await page.screenshot({ path: `${SHOTS}/board-touch-drag.png` });
    await touch.end();

    await expect.poll(() => titlesIn('todo')).toEqual(['Write the copy', 'Ship it']);
    expect(await titlesIn('backlog')).toEqual(['Pick the fonts']);
    expect(await page.locator('.drag-ghost').count()).toBe(0);
    // Lifting the finger did not open the task.
    expect(await page.getByTestId('task-panel').count()).toBe(0);

    // The API has it, and a reload shows it there.
    await expect
      .poll(async () => {
        const { items } = await api<{ items: { title: string; status: string }[] }>(
          'GET',
          `/projects/${projectId}/tasks`,
        );
        return Object.fromEntries(items.map((t) => [t.title, t.status]));
      })
      .toEqual({ 'Write the copy': 'todo', 'Pick the fonts': 'backlog', 'Ship it': 'todo' });
    await page.reload();
    await card('Ship it').waitFor();
    expect(await titlesIn('todo')).toEqual(['Write the copy', 'Ship it']);
  });

  it('threw no uncaught script errors', () => {
    expect(pageErrors).toEqual([]);
  });
});
