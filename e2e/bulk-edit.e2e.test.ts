import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, report, setTheme, THEMES } from './accessibility.js';
import { callAs, openPage, signInAs, workspaceWithProject } from './session.js';
import { startStack, type Stack } from './stack.js';

/**
 * Bulk edit in the list view: rows picked with checkboxes, Shift+click, select all and the x shortcut, changed
 * with one call each, while a second tab's board follows live; the list with its bulk bar passes axe.
 */
const PASSWORD = 'correct horse battery';
const ada = { name: 'Ada Lovelace', email: 'ada@example.com' };

let stack: Stack;
let page: Page;
let watcher: Page;
let workspaceId = '';
let projectId = '';
let otherId = '';
let labelId = '';
const pageErrors: string[] = [];
type Task = { id: string; title: string; status: string; labelIds: string[]; dueAt: string | null };

const card = (on: Page, title: string) => on.locator('[data-task-id]', { hasText: title });
const row = (title: string) => page.locator('[data-row-id]', { hasText: title });
const tasksOf = async (id: string) =>
  (await callAs<{ items: Task[] }>(page, 'GET', `/projects/${id}/tasks`)).items;
const titles = Array.from({ length: 5 }, (_, i) => `Bulk task ${i + 1}`);

beforeAll(async () => {
  stack = await startStack({ admin: { ...ada, password: PASSWORD } });
  // The app's CSP allows only its own scripts; axe is injected by the test.
  page = await openPage(stack, pageErrors, { bypassCSP: true });
  watcher = await openPage(stack, pageErrors, { bypassCSP: true });
  await signInAs(stack, page, { ...ada, password: PASSWORD });
  ({ workspaceId, projectId } = await workspaceWithProject(page, { project: 'Website' }));
  otherId = (
    await callAs<{ id: string }>(page, 'POST', `/workspaces/${workspaceId}/projects`, { name: 'Mobile app' })
  ).id;
  labelId = (
    await callAs<{ id: string }>(page, 'POST', `/workspaces/${workspaceId}/labels`, {
      name: 'copy',
      color: '#6366f1',
    })
  ).id;
  for (const title of titles) await callAs(page, 'POST', `/projects/${projectId}/tasks`, { title });
  await signInAs(stack, watcher, { ...ada, password: PASSWORD });
  await watcher.goto(`${stack.url}/w/${workspaceId}/projects/${projectId}`);
  await card(watcher, titles[4]!).waitFor();
  await page.goto(`${stack.url}/w/${workspaceId}/projects/${projectId}/list`);
  await row(titles[4]!).waitFor();
});
afterAll(async () => {
  await stack?.close();
});

describe('bulk edit in the list view', () => {
  it('selects a range with Shift+click and sets their status in one go; the board follows live', async () => {
    await row(titles[0]!).getByRole('checkbox').click();
    await row(titles[2]!)
      .getByRole('checkbox')
      .click({ modifiers: ['Shift'] });
    const bar = page.getByTestId('bulk-bar');
    await bar.getByText('3 selected').waitFor();
    await bar.getByLabel('Set status').selectOption({ label: 'Done' });
    await bar.waitFor({ state: 'detached' });
    const done = (await tasksOf(projectId)).filter((t) => t.status === 'done').map((t) => t.title);
    expect(done.sort()).toEqual(titles.slice(0, 3));
    for (const title of titles.slice(0, 3)) {
      await watcher.locator('[data-column="done"]').locator('[data-task-id]', { hasText: title }).waitFor();
    }
  });

  it('selects all, adds a label and a due date; x and Esc select and clear from the keyboard', async () => {
    await page.getByRole('checkbox', { name: 'Select all tasks' }).check();
    const bar = page.getByTestId('bulk-bar');
    await bar.getByText('5 selected').waitFor();
    await bar.getByLabel('Add label').selectOption({ label: 'copy' });
    await bar.waitFor({ state: 'detached' });
    expect((await tasksOf(projectId)).every((t) => t.labelIds.includes(labelId))).toBe(true);

    await row(titles[3]!).getByRole('button').first().focus();
    await page.keyboard.press('x');
    await bar.getByText('1 selected').waitFor();
    await page.keyboard.press('Escape');
    await bar.waitFor({ state: 'detached' });
    await page.keyboard.press('x');
    await bar.getByLabel('Due', { exact: true }).fill('2031-03-04');
    await bar.getByRole('button', { name: 'Set due' }).click();
    await bar.waitFor({ state: 'detached' });
    const dated = (await tasksOf(projectId)).filter((t) => t.dueAt).map((t) => t.title);
    expect(dated).toEqual([titles[3]]);
  });

  it('moves selected tasks to another project: they leave the list and the board at once', async () => {
    await row(titles[3]!).getByRole('checkbox').check();
    await row(titles[4]!).getByRole('checkbox').check();
    const bar = page.getByTestId('bulk-bar');
    await bar.getByText('2 selected').waitFor();
    await expect.poll(() => axeFindings('list with the bulk bar')).toEqual([]);
    await bar.getByLabel('Move to project').selectOption({ label: 'Mobile app' });
    await row(titles[4]!).waitFor({ state: 'detached' });
    await card(watcher, titles[4]!).waitFor({ state: 'detached' });
    await card(watcher, titles[3]!).waitFor({ state: 'detached' });
    expect((await tasksOf(otherId)).map((t) => t.title).sort()).toEqual(titles.slice(3));
    expect((await tasksOf(projectId)).map((t) => t.title).sort()).toEqual(titles.slice(0, 3));
  });

  it('threw no uncaught script errors', () => {
    expect(pageErrors).toEqual([]);
  });
});

/** Every axe finding of any impact on the page as shown, in both themes. */
async function axeFindings(screen: string): Promise<string[]> {
  const findings: string[] = [];
  for (const theme of THEMES) {
    await setTheme(page, theme);
    findings.push(...report(screen, theme, await axeViolations(page)));
  }
  return findings;
}
