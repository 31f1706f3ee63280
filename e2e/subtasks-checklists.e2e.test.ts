import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, report, setTheme, THEMES } from './accessibility.js';
import { callAs, openPage, signInAs, workspaceWithProject } from './session.js';
import { startStack, type Stack } from './stack.js';

/**
 * Checklists and subtasks in the browser, driven from the keyboard where a person would: one tab edits the task
 * panel while a second tab's board follows live; the panel with both sections passes axe in both themes.
 */
const PASSWORD = 'correct horse battery';
const ada = { name: 'Ada Lovelace', email: 'ada@example.com' };

let stack: Stack;
let page: Page;
let watcher: Page;
let projectId = '';
let parentId = '';
let boardPath = '';
const pageErrors: string[] = [];

const card = (on: Page, title: string) => on.locator('[data-task-id]', { hasText: title });

beforeAll(async () => {
  stack = await startStack({ admin: { ...ada, password: PASSWORD } });
  // The app's CSP allows only its own scripts; axe is injected by the test.
  page = await openPage(stack, pageErrors, { bypassCSP: true });
  watcher = await openPage(stack, pageErrors, { bypassCSP: true });
  await signInAs(stack, page, { ...ada, password: PASSWORD });
  ({ projectId, boardPath } = await workspaceWithProject(page));
  parentId = (
    await callAs<{ id: string }>(page, 'POST', `/projects/${projectId}/tasks`, {
      title: 'Ship the release',
    })
  ).id;
  await signInAs(stack, watcher, { ...ada, password: PASSWORD });
  for (const p of [page, watcher]) {
    await p.goto(`${stack.url}${boardPath}`);
    await card(p, 'Ship the release').waitFor();
  }
});
afterAll(async () => {
  await stack?.close();
});

describe('checklists and subtasks', () => {
  it('adds, ticks, reorders, edits and deletes checklist items from the keyboard; the other tab follows live', async () => {
    await card(page, 'Ship the release').focus();
    await page.keyboard.press('Enter');
    const panel = page.getByTestId('task-panel');
    const input = panel.getByLabel('New checklist item');
    for (const text of ['Draft notes', 'Review', 'Announce']) {
      await input.fill(text);
      await input.press('Enter');
      await panel.getByTestId('checklist').getByText(text).waitFor();
    }
    await card(watcher, 'Ship the release').getByTestId('card-checklist').getByText('0/3').waitFor();

    // Tick with the space bar.
    await panel.getByLabel('Review', { exact: true }).focus();
    await page.keyboard.press('Space');
    await card(watcher, 'Ship the release').getByTestId('card-checklist').getByText('1/3').waitFor();
    expect(await card(page, 'Ship the release').getByTestId('card-checklist').textContent()).toContain('1/3');

    // Move "Announce" up once; the focus stays on the button pressed.
    await panel.getByRole('button', { name: 'Move “Announce” up' }).focus();
    await page.keyboard.press('Enter');
    await expect
      .poll(async () =>
        (await callAs<{ text: string }[]>(page, 'GET', `/tasks/${parentId}/checklist`)).map((i) => i.text),
      )
      .toEqual(['Draft notes', 'Announce', 'Review']);
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe(
      'Move “Announce” up',
    );

    // Edit text and assignee; Enter saves.
    await panel.getByRole('button', { name: 'Edit “Draft notes”' }).click();
    const text = panel.getByLabel('Item text');
    await text.fill('Draft release notes');
    await panel.getByLabel('Assignee', { exact: true }).last().selectOption({ label: ada.name });
    await text.press('Enter');
    await panel.getByTestId('checklist').getByText('Draft release notes').waitFor();
    const items = await callAs<{ text: string; assigneeId: string | null }[]>(
      page,
      'GET',
      `/tasks/${parentId}/checklist`,
    );
    expect(items[0]).toMatchObject({ text: 'Draft release notes' });
    expect(items[0]!.assigneeId).not.toBeNull();

    await panel.getByRole('button', { name: 'Delete “Review”' }).click();
    await card(watcher, 'Ship the release').getByTestId('card-checklist').getByText('0/2').waitFor();
  });

  it('adds a subtask, completes it, opens it and promotes it; the parent card shows progress live', async () => {
    const panel = page.getByTestId('task-panel');
    const input = panel.getByLabel('New subtask');
    await input.fill('Write the changelog');
    await input.press('Enter');
    await panel.getByTestId('subtasks').getByText('Write the changelog').waitFor();
    await card(watcher, 'Write the changelog').waitFor();
    await card(watcher, 'Ship the release').getByTestId('card-subtasks').getByText('0/1').waitFor();

    await panel.getByRole('checkbox', { name: /Done: #\d+ Write the changelog/ }).focus();
    await page.keyboard.press('Space');
    await card(watcher, 'Ship the release').getByTestId('card-subtasks').getByText('1/1').waitFor();
    await panel.getByTestId('subtasks-progress').getByText('1/1').waitFor();

    await panel
      .getByRole('button', { name: /#\d+ Write the changelog/ })
      .first()
      .click();
    await panel.getByRole('heading', { name: 'Subtask of' }).waitFor();
    await panel.getByRole('button', { name: 'Promote to task' }).click();
    await panel.getByRole('heading', { name: /^Subtasks/ }).waitFor();
    await card(watcher, 'Ship the release').getByTestId('card-subtasks').waitFor({ state: 'detached' });
    const promoted = await callAs<{ items: { title: string; parentId: string | null }[] }>(
      page,
      'GET',
      `/projects/${projectId}/tasks`,
    );
    expect(promoted.items.find((t) => t.title === 'Write the changelog')?.parentId).toBeNull();
  });

  it('shows the panel with a checklist and subtasks without any axe finding, in both themes', async () => {
    await callAs(page, 'POST', `/tasks/${parentId}/subtasks`, { title: 'Tag the build' });
    await page.goto(`${stack.url}${boardPath}?task=${parentId}`);
    const panel = page.getByTestId('task-panel');
    await panel.getByTestId('checklist').getByText('Announce').waitFor();
    await panel.getByTestId('subtasks').getByText('Tag the build').waitFor();
    await card(page, 'Ship the release').getByTestId('card-subtasks').waitFor();
    const findings: string[] = [];
    for (const theme of THEMES) {
      await setTheme(page, theme);
      findings.push(...report('task panel with checklist and subtasks', theme, await axeViolations(page)));
    }
    await page.getByRole('button', { name: 'Edit “Announce”' }).click();
    for (const theme of THEMES) {
      await setTheme(page, theme);
      findings.push(...report('checklist item editor', theme, await axeViolations(page)));
    }
    expect(findings).toEqual([]);
  });

  it('threw no uncaught script errors', () => {
    expect(pageErrors).toEqual([]);
  });
});
