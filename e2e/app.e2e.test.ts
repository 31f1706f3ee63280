import { mkdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ENDPOINTS } from '@taskstack/ui/endpoints';
import { linkFromMail, startStack, type Stack } from './stack.js';

const SHOTS = resolve(import.meta.dirname, '../test-results/screenshots');
const PASSWORD = 'correct horse battery';
const ada = { name: 'Ada Lovelace', email: 'ada@example.com' };
const bob = { name: 'Bob Builder', email: 'bob@example.com' };

let stack: Stack;
let adaContext: BrowserContext;
let bobContext: BrowserContext;
let adaPage: Page;
let bobPage: Page;
let boardUrl = '';
/** Uncaught exceptions in any page: a product must not throw while people use it. */
const pageErrors: string[] = [];

const shot = (page: Page, name: string) => page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: false });

/** Reads what the API holds, with the page's own session (refresh cookie → access token). */
async function apiAs<T>(page: Page, path: string): Promise<T> {
  return page.evaluate(async (p) => {
    const refreshed = await fetch('/api/v1/auth/refresh', { method: 'POST', credentials: 'include' });
    const { accessToken } = (await refreshed.json()) as { accessToken: string };
    const response = await fetch(`/api/v1${p}`, { headers: { Authorization: `Bearer ${accessToken}` } });
    return response.json();
  }, path) as Promise<T>;
}

async function signUp(page: Page, who: { name: string; email: string }) {
  await page.getByLabel('Name').fill(who.name);
  await page.getByLabel('Email').fill(who.email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Create account' }).click();
}

const card = (page: Page, title: string) => page.locator('[data-task-id]', { hasText: title });
const column = (page: Page, status: string) => page.locator(`[data-column="${status}"]`);

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  // Ada is the instance admin, made by the operator before anyone signs in; Bob signs up.
  stack = await startStack({ admin: { ...ada, password: PASSWORD } });
  adaContext = await stack.browser.newContext({ viewport: { width: 1366, height: 860 } });
  bobContext = await stack.browser.newContext({ viewport: { width: 1280, height: 800 } });
  adaPage = await adaContext.newPage();
  bobPage = await bobContext.newPage();
  for (const page of [adaPage, bobPage]) page.on('pageerror', (error) => pageErrors.push(error.message));
});
afterAll(async () => {
  await stack?.close();
});
// A failing step leaves a picture of every open page behind, next to the screenshots the suite takes anyway.
beforeEach(({ task, onTestFailed }) => {
  onTestFailed(async () => {
    const name = task.name.replace(/\W+/g, '-').slice(0, 40);
    const pages = stack.browser.contexts().flatMap((context) => context.pages());
    await Promise.all(pages.map((page, i) => shot(page, `failed-${name}-${i}`).catch(() => undefined)));
  });
});

describe('taskstack in a browser', () => {
  it('calls only operations that the API documents', async () => {
    const doc = (await (await fetch(`${stack.url}/api/v1/openapi.json`)).json()) as {
      paths: Record<string, Record<string, unknown>>;
      components: { schemas: Record<string, { properties?: Record<string, unknown> }> };
    };
    const missing = Object.values(ENDPOINTS).filter((endpoint) => {
      const [method, path] = endpoint.split(' ') as [string, string];
      return !doc.paths[path]?.[method.toLowerCase()];
    });
    expect(missing, 'operations the web app calls but the API does not document').toEqual([]);
    // Every field the screens read is in the API's schema of that resource.
    const reads: Record<string, string[]> = {
      Task: [
        'id',
        'projectId',
        'number',
        'title',
        'description',
        'status',
        'position',
        'priority',
        'dueAt',
      ].concat(['assigneeId', 'labelIds', 'updatedAt', 'parentId', 'checklist', 'subtasks']),
      Project: ['id', 'workspaceId', 'name', 'description', 'archived', 'taskCounts'],
      Label: ['id', 'name', 'color'],
      User: ['id', 'email', 'name', 'isInstanceAdmin'],
      ChecklistItem: ['id', 'taskId', 'text', 'done', 'assigneeId', 'dueAt'],
      Comment: ['id', 'taskId', 'authorId', 'body', 'createdAt'],
      Attachment: ['id', 'filename', 'size', 'contentType'],
      ActivityEvent: ['id', 'actorId', 'verb', 'subject', 'data', 'createdAt'],
    };
    for (const [schema, fields] of Object.entries(reads)) {
      const documented = Object.keys(doc.components.schemas[schema]?.properties ?? {});
      expect(
        fields.filter((f) => !documented.includes(f)),
        `${schema} fields`,
      ).toEqual([]);
    }
  });

  it('signs in as the admin the operator made, creates a workspace and a project, and lands on its board', async () => {
    await adaPage.goto(`${stack.url}/`);
    await adaPage.getByRole('heading', { name: 'Sign in' }).waitFor();
    await shot(adaPage, 'sign-in');
    await adaPage.getByLabel('Email').fill(ada.email);
    await adaPage.getByLabel('Password').fill(PASSWORD);
    await adaPage.getByRole('button', { name: 'Sign in' }).click();
    await adaPage.getByLabel('Workspace name').fill('Acme');
    await adaPage.getByRole('button', { name: 'Create workspace' }).click();
    await adaPage.getByRole('heading', { name: 'No projects yet' }).waitFor();
    await adaPage.getByRole('button', { name: 'Create a project' }).click();
    await adaPage.getByLabel('Name').fill('Website relaunch');
    await adaPage.getByLabel('Description').fill('Everything for the new site');
    await adaPage.getByRole('button', { name: 'Create project' }).click();
    await adaPage.getByRole('heading', { name: 'Website relaunch' }).waitFor();
    await expect.poll(() => adaPage.locator('[data-column]').count()).toBe(4);
    boardUrl = adaPage.url();
    expect(boardUrl).toMatch(/\/w\/[0-9a-f-]+\/projects\/[0-9a-f-]+$/);
  });

  it('quick-adds tasks in a column', async () => {
    const todo = column(adaPage, 'todo');
    await todo.getByRole('button', { name: 'Add task to To do' }).click();
    const input = todo.getByLabel('New task title in To do');
    for (const title of ['Write the copy', 'Pick the fonts', 'Review the copy']) {
      await input.fill(title);
      await input.press('Enter');
      await card(adaPage, title).waitFor();
    }
    await input.press('Escape');
    await expect
      .poll(() => todo.locator('[data-task-id]').allInnerTexts())
      .toEqual([
        expect.stringContaining('Write the copy'),
        expect.stringContaining('Pick the fonts'),
        expect.stringContaining('Review the copy'),
      ]);
  });

  it('edits a task: title, markdown description with preview, priority, due date, comment', async () => {
    await card(adaPage, 'Write the copy').click();
    const panel = adaPage.getByTestId('task-panel');
    await panel.getByText('Task #1').waitFor();
    const title = panel.getByLabel('Title');
    await title.fill('Write the landing page copy');
    await title.press('Enter');
    await card(adaPage, 'Write the landing page copy').waitFor();

    await panel.getByRole('button', { name: 'Edit' }).click();
    await panel
      .getByLabel('Description (Markdown)')
      .fill(
        '**Tone:** friendly, plain words\n\n- hero: one sentence\n- pricing: three plans\n\n`Draft` is due before the review.',
      );
    await panel.getByRole('tab', { name: 'Preview' }).click();
    const preview = panel.getByTestId('description-preview');
    await expect.poll(() => preview.locator('strong').textContent()).toBe('Tone:');
    await panel.getByRole('button', { name: 'Save' }).click();
    await panel.locator('.prose li', { hasText: 'pricing' }).waitFor();

    await panel.getByLabel('Priority').selectOption('high');
    await panel.getByLabel('Due date').fill('2030-05-17');
    // Attachments: upload through the file input, then download the same bytes back.
    await panel.getByLabel('Attach a file').setInputFiles({
      name: 'brief.txt',
      mimeType: 'text/plain',
      buffer: Buffer.from('The brief, version 1.\n'),
    });
    await panel.getByRole('button', { name: 'Download brief.txt' }).waitFor();
    const [download] = await Promise.all([
      adaPage.waitForEvent('download'),
      panel.getByRole('button', { name: 'Download brief.txt' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('brief.txt');
    expect(await readFile((await download.path())!, 'utf8')).toBe('The brief, version 1.\n');

    await panel.getByLabel('Write a comment').fill('First draft is in the doc.');
    await panel.getByRole('button', { name: 'Comment' }).click();
    await panel.getByTestId('comments').getByText('First draft is in the doc.').waitFor();
    await panel.getByText(/commented/).waitFor();
    await shot(adaPage, 'task-detail');

    const tasks = await apiAs<{
      items: { title: string; priority: string; dueAt: string; description: string }[];
    }>(adaPage, `/projects/${boardUrl.split('/').pop()}/tasks?q=landing`);
    expect(tasks.items[0]).toMatchObject({ title: 'Write the landing page copy', priority: 'high' });
    expect(tasks.items[0]!.dueAt).toMatch(/^2030-05-1[78]/);
    expect(tasks.items[0]!.description).toContain('**Tone:**');
    await panel.getByRole('button', { name: 'Close task' }).click();
    await panel.waitFor({ state: 'detached' });
  });

  it('moves a card with the mouse and with the keyboard, and the API keeps the order', async () => {
    const source = card(adaPage, 'Pick the fonts');
    const target = column(adaPage, 'in_progress').locator('[data-cards]');
    const from = (await source.boundingBox())!;
    const to = (await target.boundingBox())!;
    await adaPage.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
    await adaPage.mouse.down();
    for (let step = 1; step <= 12; step += 1) {
      await adaPage.mouse.move(
        from.x + ((to.x + to.width / 2 - from.x) * step) / 12,
        from.y + ((to.y + 30 - from.y) * step) / 12,
      );
    }
    await adaPage.mouse.up();
    await column(adaPage, 'in_progress').locator('[data-task-id]', { hasText: 'Pick the fonts' }).waitFor();

    // Keyboard: focus "Review the copy", pick it up, carry it right twice (to Done), drop.
    const review = card(adaPage, 'Review the copy');
    await review.focus();
    await adaPage.keyboard.press('Space');
    await adaPage.keyboard.press('ArrowRight');
    await adaPage.keyboard.press('ArrowRight');
    await adaPage.keyboard.press('Space');
    await column(adaPage, 'done').locator('[data-task-id]', { hasText: 'Review the copy' }).waitFor();
    // Focus stays on the moved card, so the next key press acts on it.
    expect(await adaPage.evaluate(() => document.activeElement?.textContent)).toContain('Review the copy');

    const projectId = boardUrl.split('/').pop();
    await expect
      .poll(async () => {
        const { items } = await apiAs<{ items: { title: string; status: string }[] }>(
          adaPage,
          `/projects/${projectId}/tasks`,
        );
        return Object.fromEntries(items.map((t) => [t.title, t.status]));
      })
      .toEqual({
        'Write the landing page copy': 'todo',
        'Pick the fonts': 'in_progress',
        'Review the copy': 'done',
      });
  });

  it('invites a teammate; the emailed link lets them sign up and join', async () => {
    await adaPage.getByRole('link', { name: 'Projects' }).click();
    await adaPage.getByRole('link', { name: /Website relaunch/ }).waitFor();
    await shot(adaPage, 'projects');
    await adaPage.getByRole('link', { name: 'Members' }).click();
    await adaPage.getByLabel('Email').fill(bob.email);
    await adaPage.getByLabel('Role', { exact: true }).selectOption('member');
    await adaPage.getByRole('button', { name: 'Send invitation' }).click();
    await adaPage.getByTestId('invitations').getByText(bob.email).waitFor();

    const link = await linkFromMail(stack.sink, bob.email, '/invitations/');
    expect(link.startsWith(stack.url)).toBe(true);
    await bobPage.goto(link);
    await bobPage.getByText('Join Acme as').waitFor();
    await bobPage.getByRole('link', { name: 'Create an account to join' }).click();
    await signUp(bobPage, bob);
    // An invitation binds only to a confirmed address: Bob confirms his with the welcome email's link first.
    await bobPage.getByTestId('confirm-first').waitFor();
    await bobPage.getByRole('button', { name: 'Accept invitation' }).click();
    await bobPage
      .getByRole('alert')
      .getByText(/Confirm bob@example\.com first/)
      .waitFor();
    await bobPage.goto(await linkFromMail(stack.sink, bob.email, '/verify-email'));
    await bobPage.getByText('Your email address is confirmed.').waitFor();
    await bobPage.goto(link);
    await bobPage.getByText('Join Acme as').waitFor();
    await bobPage.getByRole('button', { name: 'Accept invitation' }).click();
    await bobPage.getByRole('heading', { name: 'Projects', exact: true }).waitFor();
    await bobPage.getByRole('link', { name: /Website relaunch/ }).click();
    await card(bobPage, 'Pick the fonts').waitFor();
  });

  it("shows a teammate's changes live, without a reload", async () => {
    await adaPage.goto(boardUrl);
    await card(adaPage, 'Pick the fonts').waitFor();
    await bobPage.getByTestId('live-state').getByText('Live').waitFor();
    await adaPage.getByTestId('live-state').getByText('Live').waitFor();

    // Ada adds a task: it appears on Bob's board.
    const backlog = column(adaPage, 'backlog');
    await backlog.getByRole('button', { name: 'Add task to Backlog' }).click();
    await backlog.getByLabel('New task title in Backlog').fill('Set up analytics');
    await backlog.getByLabel('New task title in Backlog').press('Enter');
    await column(bobPage, 'backlog').locator('[data-task-id]', { hasText: 'Set up analytics' }).waitFor();

    // Bob moves it with the keyboard: it moves on Ada's board.
    await card(bobPage, 'Set up analytics').focus();
    await bobPage.keyboard.press('Space');
    await bobPage.keyboard.press('ArrowRight');
    await bobPage.keyboard.press('Space');
    await column(adaPage, 'todo').locator('[data-task-id]', { hasText: 'Set up analytics' }).waitFor();

    // Bob comments on the task Ada has open: the comment appears in her panel.
    await card(adaPage, 'Set up analytics').click();
    await adaPage
      .getByTestId('task-panel')
      .getByText('No activity yet.')
      .or(adaPage.getByText(/created this task/))
      .first()
      .waitFor();
    await card(bobPage, 'Set up analytics').click();
    await bobPage
      .getByLabel('Write a comment')
      .fill('I can take this one. <img src=x onerror="window.__xss=1">');
    await bobPage.getByRole('button', { name: 'Comment' }).click();
    await adaPage.getByTestId('comments').getByText('I can take this one.').waitFor();
    // Markdown from teammates is sanitised: no event handler survives into Ada's page.
    expect(await adaPage.locator('[onerror]').count()).toBe(0);
    expect(await adaPage.evaluate(() => (window as { __xss?: number }).__xss)).toBeUndefined();
    await bobPage.getByRole('button', { name: 'Close task' }).click();
    await adaPage.getByRole('button', { name: 'Close task' }).click();
  });

  it('assigns a teammate and a label from the task panel', async () => {
    await adaPage.getByRole('link', { name: 'Members' }).click();
    await adaPage.getByLabel('New label').fill('copywriting');
    await adaPage.getByRole('button', { name: 'Add label' }).click();
    await adaPage.locator('.label-list').getByText('copywriting').waitFor();
    await adaPage.getByLabel('New label').fill('design');
    await adaPage.getByLabel('Colour').fill('#db2777');
    await adaPage.getByRole('button', { name: 'Add label' }).click();
    await adaPage.locator('.label-list').getByText('design').waitFor();
    await shot(adaPage, 'members');
    await adaPage.goto(boardUrl);
    await card(adaPage, 'Write the landing page copy').click();
    const panel = adaPage.getByTestId('task-panel');
    await panel.getByLabel('Assignee').selectOption({ label: bob.name });
    await panel.getByRole('button', { name: 'copywriting' }).click();
    await expect
      .poll(() => panel.getByRole('button', { name: 'copywriting' }).getAttribute('aria-pressed'))
      .toBe('true');
    await panel.getByRole('button', { name: 'Close task' }).click();
    await card(adaPage, 'Pick the fonts').click();
    await panel.getByRole('button', { name: 'design' }).click();
    await panel.getByLabel('Priority').selectOption('urgent');
    await panel.getByRole('button', { name: 'Close task' }).click();
    const copy = card(adaPage, 'Write the landing page copy');
    await expect.poll(() => copy.textContent()).toContain(`assigned to ${bob.name}`);
    await copy.getByText('copywriting').waitFor();
    // Bob's board shows the same, live.
    await card(bobPage, 'Write the landing page copy').getByText('copywriting').waitFor();
    await shot(adaPage, 'board');
  });

  it('filters the list view by status and search, and keeps the filters in the URL', async () => {
    await adaPage.goto(`${boardUrl}/list`);
    await adaPage.getByTestId('task-table').waitFor();
    await adaPage.getByLabel('Search tasks').fill('copy');
    await expect.poll(() => adaPage.url()).toContain('q=copy');
    await expect.poll(() => adaPage.getByTestId('task-table').locator('tbody tr').count()).toBe(2);
    await shot(adaPage, 'list');
    await adaPage.getByLabel('Status').selectOption('done');
    await expect.poll(() => adaPage.url()).toContain('status=done');
    await expect
      .poll(() => adaPage.getByTestId('task-table').locator('tbody tr').allInnerTexts())
      .toEqual([expect.stringContaining('Review the copy')]);
    // The same URL, opened fresh, shows the same filtered list.
    await adaPage.reload();
    await expect.poll(() => adaPage.getByTestId('task-table').locator('tbody tr').count()).toBe(1);
    expect(await adaPage.getByLabel('Search tasks').inputValue()).toBe('copy');
  });

  it('refreshes an invalid access token silently, reconnects the live stream, and signs out when the session ends', async () => {
    await adaPage.goto(boardUrl);
    await adaPage.getByTestId('live-state').getByText('Live').waitFor();
    await bobPage.goto(boardUrl);
    await bobPage.getByTestId('live-state').getByText('Live').waitFor();
    await stack.restartApi();
    // Both streams drop and come back by themselves, now with tokens refreshed through the cookie.
    await adaPage.getByTestId('live-state').getByText('Live').waitFor({ timeout: 30_000 });
    await bobPage.getByTestId('live-state').getByText('Live').waitFor({ timeout: 30_000 });
    await card(bobPage, 'Set up analytics').click();
    await bobPage.getByLabel('Priority').selectOption('low');
    await expect
      .poll(() => card(adaPage, 'Set up analytics').textContent(), { timeout: 15_000 })
      .toContain('Low');
    await bobPage.getByRole('button', { name: 'Close task' }).click();

    // Bob's refresh cookie goes away (say, it expired): the next call that needs a new token sends him to sign-in.
    await bobContext.clearCookies();
    await stack.restartApi();
    await card(bobPage, 'Set up analytics').click();
    await bobPage.getByRole('heading', { name: 'Sign in' }).waitFor({ timeout: 30_000 });
    await bobPage.getByText('Your session has ended').waitFor();
    expect(new URL(bobPage.url()).searchParams.get('redirect')).toContain('/projects/');
  });

  it('resets a forgotten password through the emailed link', async () => {
    const context = await stack.browser.newContext();
    const page = await context.newPage();
    await page.goto(`${stack.url}/signin`);
    await page.getByRole('link', { name: 'Forgot password?' }).click();
    // The next screen loads lazily: wait for it, or the fill lands in the sign-in form that is still showing.
    await page.getByRole('heading', { name: 'Forgot your password?' }).waitFor();
    await page.getByLabel('Email').fill(bob.email);
    await page.getByRole('button', { name: 'Send reset link' }).click();
    await page.getByText('a reset link is on its way').waitFor();
    const link = await linkFromMail(stack.sink, bob.email, '/reset-password');
    await page.goto(link);
    await page.getByLabel('New password', { exact: true }).fill('a brand new password');
    await page.getByLabel('Repeat new password').fill('a brand new password');
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await page.getByLabel('Email').fill(bob.email);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page
      .getByRole('alert')
      .getByText(/incorrect/)
      .waitFor();
    await page.getByLabel('Password').fill('a brand new password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Projects', exact: true }).waitFor();
    await context.close();
  });

  it('archives a project out of the list and restores it', async () => {
    await adaPage.goto(boardUrl);
    await adaPage.getByRole('button', { name: 'Archive project' }).click();
    await adaPage.getByRole('button', { name: 'Restore project' }).waitFor();
    await adaPage.getByRole('link', { name: 'Projects', exact: true }).first().click();
    await adaPage.getByRole('heading', { name: 'Every project is archived' }).waitFor();
    await adaPage.getByLabel('Show archived').check();
    await adaPage.getByRole('link', { name: /Website relaunch/ }).click();
    await adaPage.getByRole('button', { name: 'Restore project' }).click();
    await adaPage.getByRole('button', { name: 'Archive project' }).waitFor();
  });

  it('creates a second workspace from the switcher and switches between them', async () => {
    await adaPage.getByTestId('workspace-switcher').selectOption({ label: '+ New workspace…' });
    const dialog = adaPage.getByRole('dialog', { name: 'New workspace' });
    await dialog.getByLabel('Name').fill('Side project');
    await dialog.getByRole('button', { name: 'Create workspace' }).click();
    await adaPage.getByRole('heading', { name: 'No projects yet' }).waitFor();
    expect(await adaPage.getByTestId('workspace-switcher').inputValue()).not.toBe(boardUrl.split('/')[4]);
    await adaPage.getByTestId('workspace-switcher').selectOption({ label: 'Acme' });
    await adaPage.getByRole('link', { name: /Website relaunch/ }).waitFor();
    expect(adaPage.url()).toContain(`/w/${boardUrl.split('/')[4]}`);
  });

  it('lets the instance admin back up now and see it finish and its size', async () => {
    await adaPage.goto(`${stack.url}/admin`);
    await adaPage.getByRole('heading', { name: 'Administration' }).waitFor();
    await adaPage.getByTestId('queues').getByText('backups').waitFor();
    await adaPage.getByTestId('users').getByText(bob.email).waitFor();
    await adaPage.getByTestId('backup-now').click();
    const row = adaPage.getByTestId('backups').locator('tbody tr').first();
    await row.getByText(/succeeded|completed|verified/).waitFor({ timeout: 45_000 });
    expect(await row.innerText()).toMatch(/\d+(\.\d)? (KB|MB)/);
    await shot(adaPage, 'admin');
  });

  it('works at 360 px wide and in the dark theme', async () => {
    const context = await stack.browser.newContext({
      viewport: { width: 360, height: 740 },
      colorScheme: 'dark',
      storageState: await adaContext.storageState(),
    });
    const page = await context.newPage();
    await page.goto(boardUrl);
    await card(page, 'Pick the fonts').waitFor();
    await shot(page, 'board-mobile-dark');
    const tooWide = await page.evaluate(() =>
      [...document.querySelectorAll('body *')]
        .filter((e) => !e.closest('.board') && e.getBoundingClientRect().right > window.innerWidth + 1)
        .map((e) => `${e.tagName}.${e.className}`),
    );
    expect(tooWide).toEqual([]);
    expect(
      await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth),
    ).toBeLessThanOrEqual(0);
    const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(background).toBe('rgb(15, 17, 21)');
    // The task panel takes the whole screen on a phone, and its fields stack.
    await card(page, 'Pick the fonts').click();
    const panel = page.getByTestId('task-panel');
    await panel.getByLabel('Priority').waitFor();
    expect((await panel.boundingBox())!.width).toBeCloseTo(360, 0);
    await shot(page, 'task-detail-mobile-dark');
    await context.close();
  });

  it('threw no uncaught script errors in any page along the way', () => {
    expect(pageErrors).toEqual([]);
  });
});
