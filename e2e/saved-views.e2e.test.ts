import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, report, setTheme, THEMES } from './accessibility.js';
import { callAs, openPage, signInAs, workspaceWithProject } from './session.js';
import { startStack, type Stack } from './stack.js';

/**
 * Saved views in the browser: a filtered list saved and shared from the project header, opened again from the
 * board as the same filtered list, and deleted; no axe finding on the open menu in either theme.
 */
const PASSWORD = 'correct horse battery';
const ada = { name: 'Ada Lovelace', email: 'ada@example.com' };

let stack: Stack;
let page: Page;
let projectUrl = '';
const pageErrors: string[] = [];

beforeAll(async () => {
  stack = await startStack({ admin: { ...ada, password: PASSWORD } });
  page = await openPage(stack, pageErrors);
  await signInAs(stack, page, { ...ada, password: PASSWORD });
  const { projectId, boardPath } = await workspaceWithProject(page);
  for (const [title, status] of [
    ['Write the announcement', 'todo'],
    ['Ship the release', 'done'],
  ]) {
    await callAs(page, 'POST', `/projects/${projectId}/tasks`, { title, status });
  }
  projectUrl = `${stack.url}${boardPath}`;
});
afterAll(async () => {
  await stack?.close();
});

const rows = () => page.getByTestId('task-table').locator('tbody tr');

describe('saved views', () => {
  it('saves a filtered list, shared, and opens it again from the board', async () => {
    await page.goto(`${projectUrl}/list`);
    await page.getByLabel('Status').selectOption('done');
    await expect.poll(() => page.url()).toContain('status=done');
    await expect.poll(() => rows().count()).toBe(1);

    await page.getByTestId('saved-views').click();
    await page.getByLabel('Save this list view as').fill('Shipped');
    await page.getByLabel('Share with everyone in the project').check();
    const findings: string[] = [];
    for (const theme of THEMES) {
      await setTheme(page, theme);
      findings.push(...report('saved views menu', theme, await axeViolations(page)));
    }
    expect(findings).toEqual([]);
    await page.getByRole('button', { name: 'Save view' }).click();
    await page.getByRole('list', { name: 'Saved views' }).getByText('list · shared').waitFor();

    await page.goto(projectUrl);
    await page.getByTestId('saved-views').click();
    await page.getByRole('link', { name: 'Shipped' }).click();
    await expect.poll(() => page.url()).toMatch(/\/list\?status=done$/);
    await expect.poll(() => rows().allInnerTexts()).toEqual([expect.stringContaining('Ship the release')]);
    expect(await page.getByLabel('Status').inputValue()).toBe('done');
  });

  it('deletes a view from the menu', async () => {
    await page.getByTestId('saved-views').click();
    await page.getByRole('button', { name: 'Delete view Shipped' }).click();
    await page.getByText('No saved views yet.').waitFor();
    const views = await callAs<unknown[]>(page, 'GET', `/projects/${projectUrl.split('/').at(-1)}/views`);
    expect(views).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});
