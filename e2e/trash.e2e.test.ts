import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callAs, openPage, signInAs, workspaceWithProject } from './session.js';
import { startStack, type Stack } from './stack.js';

/**
 * The trash in the browser: a task deleted from its panel comes back with the toast's Undo, and once more from
 * the Trash screen; a second tab on the same board follows both deletes and restores live. Comments and
 * projects have the same Undo.
 */
const PASSWORD = 'correct horse battery';
const ada = { name: 'Ada Lovelace', email: 'ada@example.com' };

let stack: Stack;
let page: Page;
let watcher: Page;
let workspaceId = '';
let boardPath = '';
const pageErrors: string[] = [];

const card = (on: Page, title: string) => on.locator('[data-task-id]', { hasText: title });

async function deleteFromPanel(title: string) {
  await card(page, title).click();
  const panel = page.getByTestId('task-panel');
  await panel.getByRole('button', { name: 'Delete', exact: true }).click();
  await panel.waitFor({ state: 'hidden' });
  await card(page, title).waitFor({ state: 'detached' });
  await card(watcher, title).waitFor({ state: 'detached' });
}

beforeAll(async () => {
  stack = await startStack({ admin: { ...ada, password: PASSWORD } });
  page = await openPage(stack, pageErrors);
  watcher = await openPage(stack, pageErrors);
  await signInAs(stack, page, { ...ada, password: PASSWORD });
  const made = await workspaceWithProject(page);
  ({ workspaceId, boardPath } = made);
  for (const title of ['Write the announcement', 'Ship the release']) {
    await callAs(page, 'POST', `/projects/${made.projectId}/tasks`, { title });
  }
  await signInAs(stack, watcher, { ...ada, password: PASSWORD });
  for (const p of [page, watcher]) {
    await p.goto(`${stack.url}${boardPath}`);
    await card(p, 'Ship the release').waitFor();
  }
});
afterAll(async () => {
  await stack?.close();
});

describe('trash and undo', () => {
  it('deletes a task without asking and brings it back with the Undo of the toast', async () => {
    // No confirm() any more: one would be dismissed here, nothing deleted, and the test would fail.
    page.on('dialog', (dialog) => void dialog.dismiss());
    await deleteFromPanel('Ship the release');
    const toast = page.getByRole('status').filter({ hasText: 'Task deleted' });
    await toast.getByText('Ship the release').waitFor();
    await toast.getByRole('button', { name: 'Undo' }).click();
    await card(page, 'Ship the release').waitFor();
    await card(watcher, 'Ship the release').waitFor();
    await page.getByRole('status').filter({ hasText: 'Restored' }).waitFor();
    expect(await card(page, 'Write the announcement').count()).toBe(1);
  });

  it('restores it from the Trash screen after the Undo is gone', async () => {
    await deleteFromPanel('Ship the release');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Trash' }).click();
    await page.getByRole('heading', { name: 'Trash', exact: true }).waitFor();
    const row = page.getByTestId('trash').locator('tbody tr', { hasText: 'Ship the release' });
    await row.waitFor();
    expect(await row.innerText()).toContain('Ada Lovelace');
    await row.getByRole('button', { name: 'Restore Ship the release' }).click();
    await row.waitFor({ state: 'detached' });
    await page.getByRole('heading', { name: 'The trash is empty' }).waitFor();
    await card(watcher, 'Ship the release').waitFor();
    await page.goto(`${stack.url}${boardPath}`);
    await card(page, 'Ship the release').waitFor();
  });

  it('undoes deleting a comment and a project too', async () => {
    await page.goto(`${stack.url}${boardPath}`);
    await card(page, 'Ship the release').click();
    const panel = page.getByTestId('task-panel');
    await panel.getByLabel('Write a comment').fill('Looks good to me');
    await panel.getByRole('button', { name: 'Comment', exact: true }).click();
    const comments = panel.getByTestId('comments');
    await comments.getByText('Looks good to me').waitFor();
    await comments.getByRole('button', { name: 'Delete the comment by Ada Lovelace' }).click();
    await comments.getByText('Looks good to me').waitFor({ state: 'detached' });
    await page
      .getByRole('status')
      .filter({ hasText: 'Comment deleted' })
      .getByRole('button', { name: 'Undo' })
      .click();
    await comments.getByText('Looks good to me').waitFor();
    await panel.getByRole('button', { name: 'Close task' }).click();
    await panel.waitFor({ state: 'hidden' });

    await page.getByRole('button', { name: 'Delete project' }).click();
    await page.getByRole('heading', { name: 'Projects', exact: true }).waitFor();
    const launch = page.getByRole('link', { name: /Launch/ });
    await launch.waitFor({ state: 'detached' });
    await page
      .getByRole('status')
      .filter({ hasText: 'Project deleted' })
      .getByRole('button', { name: 'Undo' })
      .click();
    await launch.waitFor();
  });

  it('lets an admin set the retention and delete forever', async () => {
    await page.goto(`${stack.url}${boardPath}`);
    await deleteFromPanel('Write the announcement');
    await page.goto(`${stack.url}/w/${workspaceId}/trash`);
    const row = page.getByTestId('trash').locator('tbody tr', { hasText: 'Write the announcement' });
    await row.waitFor();
    await page.getByLabel('Days to keep deleted items').fill('7');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.locator('.page-header').getByText('kept 7 days').waitFor();
    page.removeAllListeners('dialog');
    page.once('dialog', (dialog) => void dialog.accept());
    await row.getByRole('button', { name: 'Delete forever: Write the announcement' }).click();
    await row.waitFor({ state: 'detached' });
    const trash = await callAs<{ items: unknown[] }>(page, 'GET', `/workspaces/${workspaceId}/trash`);
    expect(trash.items).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});
