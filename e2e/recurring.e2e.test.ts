import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, report, setTheme, THEMES } from './accessibility.js';
import { callAs, openPage, signInAs, workspaceWithProject } from './session.js';
import { startStack, type Stack } from './stack.js';

/**
 * Recurring tasks in the browser: a weekly rule set from the task panel's Repeat control (summary shown, repeat
 * icon on the card), the task completed, and its next occurrence appearing in To do with the checklist reset; both
 * marked as repeating in the list view too; no axe finding on the open Repeat form in either theme.
 */
const PASSWORD = 'correct horse battery';
const ada = { name: 'Ada Lovelace', email: 'ada@example.com' };

let stack: Stack;
let page: Page;
let projectUrl = '';
let taskId = '';
const pageErrors: string[] = [];

const cards = (title: string) => page.locator('[data-task-id]', { hasText: title });
const panel = () => page.getByTestId('task-panel');

beforeAll(async () => {
  stack = await startStack({ admin: { ...ada, password: PASSWORD } });
  page = await openPage(stack, pageErrors);
  await signInAs(stack, page, { ...ada, password: PASSWORD });
  const { projectId, boardPath } = await workspaceWithProject(page, { project: 'Home' });
  const task = await callAs<{ id: string }>(page, 'POST', `/projects/${projectId}/tasks`, {
    title: 'Water the plants',
    status: 'todo',
  });
  taskId = task.id;
  for (const text of ['Ferns', 'Cacti']) {
    const item = await callAs<{ id: string }>(page, 'POST', `/tasks/${task.id}/checklist`, { text });
    await callAs(page, 'PATCH', `/checklist-items/${item.id}`, { done: true });
  }
  projectUrl = `${stack.url}${boardPath}`;
});
afterAll(async () => {
  await stack?.close();
});

describe('recurring tasks', () => {
  it('sets a weekly rule in the task panel, summarised, with a repeat icon on the card', async () => {
    await page.goto(projectUrl);
    await cards('Water the plants').click();
    await panel().getByRole('button', { name: 'Set repeat' }).click();
    await page.getByLabel('Repeats').selectOption('weekly');
    const days = page.getByRole('group', { name: 'On' });
    // The form starts from today's weekday; choose Monday and Wednesday alone.
    for (const name of ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun']) {
      const day = days.getByRole('button', { name, exact: true });
      const pressed = (await day.getAttribute('aria-pressed')) === 'true';
      if (pressed !== (name === 'Mon' || name === 'Wed')) await day.click();
    }
    const findings: string[] = [];
    for (const theme of THEMES) {
      await setTheme(page, theme);
      findings.push(...report('repeat form', theme, await axeViolations(page)));
    }
    expect(findings).toEqual([]);
    await page.getByRole('button', { name: 'Save repeat' }).click();
    await expect
      .poll(() => page.getByTestId('repeat-summary').innerText())
      .toMatch(/^↻ Every week on Mon, Wed at \d\d:\d\d/);
    await expect.poll(() => cards('Water the plants').getByTestId('card-repeats').count()).toBe(1);
  });

  it('completing it creates the next occurrence with its checklist reset', async () => {
    await panel().getByLabel('Status').selectOption('done');
    await page.getByRole('button', { name: 'Close task' }).click();
    const todo = page
      .locator('[data-task-id]', { hasText: 'Water the plants' })
      .filter({ hasNotText: '2/2' });
    await expect.poll(() => cards('Water the plants').count()).toBe(2);
    await expect.poll(() => todo.getByTestId('card-checklist').innerText()).toContain('0/2');
    await expect.poll(() => todo.getByTestId('card-repeats').count()).toBe(1);
    const nextId = await todo.getAttribute('data-task-id');
    expect(nextId).not.toBe(taskId);
    const next = await callAs<{ status: string }>(page, 'GET', `/tasks/${nextId}`);
    expect(next.status).toBe('todo');
    await todo.click();
    await expect
      .poll(() => page.getByTestId('checklist').locator('input[type=checkbox]:checked').count())
      .toBe(0);
    await expect
      .poll(() => page.getByTestId('repeat-summary').innerText())
      .toContain('Every week on Mon, Wed');
    expect(pageErrors).toEqual([]);
  });

  it('marks the repeating tasks in the list view too, named for screen readers as on the cards', async () => {
    await page.goto(`${projectUrl}/list`);
    const rows = page.getByRole('row', { name: /Water the plants/ });
    await expect.poll(() => rows.count()).toBe(2);
    for (const row of await rows.all()) {
      await expect.poll(() => row.getByTestId('row-repeats').innerText()).toContain('↻');
      expect(await row.getByTestId('row-repeats').textContent()).toMatch(/repeats: Every week on Mon, Wed/);
    }
    expect(pageErrors).toEqual([]);
  });
});
