import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callAs, joinWorkspace, openPage, signInAs, workspaceWithProject } from './session.js';
import { startStack, type Stack } from './stack.js';

/**
 * The calendar in the browser: a project's tasks in a month and a week (in the workspace's time zone, Berlin,
 * while the browser is in New York), one dragged to another day and one moved with the keyboard (the API then
 * holds the new due date at the same time of day, across Berlin's DST change), the task panel's due date on the
 * calendar's day, a teammate's change arriving live,
 * "My tasks" across projects, a saved calendar view, and the iCal feed: created, fetched with the URL shown, revoked.
 */
const PASSWORD = 'correct horse battery';
const ada = { name: 'Ada Lovelace', email: 'ada@example.com' };
const bob = { name: 'Bob Hopper', email: 'bob@example.com' };

type Task = { id: string; dueAt: string | null };

let stack: Stack;
let page: Page;
let bobPage: Page;
let workspaceId = '';
let projectId = '';
let adaId = '';
const tasks: Record<string, Task> = {};
const pageErrors: string[] = [];

const calendarUrl = (query: string) =>
  `${stack.url}/w/${workspaceId}/projects/${projectId}/calendar?${query}`;
const day = (on: Page, date: string) => on.locator(`[data-day="${date}"]`);
const chip = (on: Page, date: string, title: string) =>
  day(on, date).getByRole('button', { name: new RegExp(title) });
const dueOf = async (id: string) => (await callAs<Task>(page, 'GET', `/tasks/${id}`)).dueAt;

beforeAll(async () => {
  stack = await startStack({ admin: { ...ada, password: PASSWORD } });
  // Not the workspace's zone: the calendar lays days out in the workspace's, so the team sees the same days.
  page = await openPage(stack, pageErrors, {
    viewport: { width: 1280, height: 900 },
    timezoneId: 'America/New_York',
  });
  await signInAs(stack, page, { ...ada, password: PASSWORD });
  adaId = (await callAs<{ id: string }>(page, 'GET', '/me')).id;
  ({ workspaceId, projectId } = await workspaceWithProject(page));
  await callAs(page, 'PUT', `/workspaces/${workspaceId}/time-zone`, { timeZone: 'Europe/Berlin' });
  const other = await callAs<{ id: string }>(page, 'POST', `/workspaces/${workspaceId}/projects`, {
    name: 'Office',
  });
  for (const [key, project, body] of [
    // 09:30 in Berlin on Friday 28 March 2031 (UTC+1); Berlin goes to UTC+2 on Sunday the 30th.
    ['posters', projectId, { title: 'Print the posters', dueAt: '2031-03-28T08:30:00.000Z' }],
    // 23:59 in Berlin: a date without a time, as the date pickers save it.
    ['venue', projectId, { title: 'Book the venue', dueAt: '2031-03-12T22:59:00.000Z' }],
    [
      'invitations',
      projectId,
      { title: 'Send invitations', dueAt: '2031-03-20T11:00:00.000Z', assigneeId: adaId },
    ],
    ['keys', other.id, { title: 'Order office keys', dueAt: '2031-03-21T09:00:00.000Z', assigneeId: adaId }],
    ['someday', projectId, { title: 'Someday maybe' }],
  ] as const) {
    tasks[key] = await callAs<Task>(page, 'POST', `/projects/${project}/tasks`, body);
  }
  bobPage = await openPage(stack, pageErrors);
  await joinWorkspace(stack, bobPage, page, workspaceId, { ...bob, password: PASSWORD });
});
afterAll(async () => {
  await stack?.close();
});

describe('the project calendar', () => {
  it('is a view of the project beside the board and the list, and marks today', async () => {
    await page.goto(`${stack.url}/w/${workspaceId}/projects/${projectId}`);
    await page
      .getByRole('navigation', { name: 'Project views' })
      .getByRole('link', { name: 'Calendar' })
      .click();
    await page.waitForURL(/\/calendar$/);
    const today = page.locator('[aria-current="date"]');
    await today.waitFor();
    const berlinToday = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Berlin' }).format(new Date());
    expect(await today.getAttribute('data-day')).toBe(berlinToday);
    expect(await today.getAttribute('aria-label')).toMatch(/, today/);
    await page.getByText('Dates in Europe/Berlin').waitFor();
  });

  it('shows tasks on their due dates in a month, moves between months and switches to a week', async () => {
    await page.goto(calendarUrl('date=2031-03-15'));
    await page.getByRole('heading', { name: 'March 2031', exact: true }).waitFor();
    await chip(page, '2031-03-28', 'Print the posters').waitFor();
    expect(await chip(page, '2031-03-28', 'Print the posters').textContent()).toMatch(/9:30\sAM/);
    await chip(page, '2031-03-12', 'Book the venue').waitFor();
    await chip(page, '2031-03-20', 'Send invitations').waitFor();
    expect(await page.locator('[data-task-id]').count()).toBe(3);

    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByRole('heading', { name: 'April 2031', exact: true }).waitFor();
    expect(await page.locator('[data-task-id]').count()).toBe(0);
    await page.getByRole('button', { name: 'Previous' }).click();
    await page.getByRole('heading', { name: 'March 2031', exact: true }).waitFor();

    await page.getByRole('button', { name: 'Week', exact: true }).click();
    await expect.poll(() => page.url()).toContain('mode=week');
    await expect.poll(() => page.locator('[data-day]').count()).toBe(7);
    await chip(page, '2031-03-12', 'Book the venue').waitFor();
    expect(await page.locator('[data-task-id]').count()).toBe(1);
    expect(await page.getByRole('button', { name: 'Week', exact: true }).getAttribute('aria-pressed')).toBe(
      'true',
    );
    await page.getByRole('button', { name: 'Month', exact: true }).click();
    await page.getByRole('heading', { name: 'March 2031', exact: true }).waitFor();
  });

  it('moves a dragged task to the day it is dropped on, at the same time of day across DST', async () => {
    const source = chip(page, '2031-03-28', 'Print the posters');
    const target = day(page, '2031-03-31');
    const from = (await source.boundingBox())!;
    const to = (await target.boundingBox())!;
    await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
    await page.mouse.down();
    await page.mouse.move(to.x + to.width / 2, to.y + to.height / 2, { steps: 8 });
    await page.mouse.up();
    await chip(page, '2031-03-31', 'Print the posters').waitFor();
    // 09:30 in Berlin again, now at UTC+2.
    await expect.poll(() => dueOf(tasks.posters!.id)).toBe('2031-03-31T07:30:00.000Z');
    expect(await chip(page, '2031-03-31', 'Print the posters').textContent()).toMatch(/9:30\sAM/);
    // A drag is not a click: no task panel opened.
    expect(await page.getByTestId('task-panel').count()).toBe(0);
  });

  it('moves a task with the keyboard and says so', async () => {
    await chip(page, '2031-03-12', 'Book the venue').focus();
    await page.keyboard.press('Space');
    await page
      .getByText('Picked up Book the venue, due Wednesday, March 12, 2031.', { exact: false })
      .waitFor();
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('Enter');
    await page.getByText('Moved Book the venue to Friday, March 14, 2031.').waitFor();
    await expect.poll(() => dueOf(tasks.venue!.id)).toBe('2031-03-14T22:59:00.000Z');
    // Focus stays on the task, on its new day.
    expect(
      await page.evaluate(() => document.activeElement?.closest('[data-day]')?.getAttribute('data-day')),
    ).toBe('2031-03-14');
    // Escape puts a picked-up task back without saving.
    await page.keyboard.press('Space');
    await page.keyboard.press('ArrowDown');
    await chip(page, '2031-03-21', 'Book the venue').waitFor();
    await page.keyboard.press('Escape');
    await chip(page, '2031-03-14', 'Book the venue').waitFor();
    expect(await dueOf(tasks.venue!.id)).toBe('2031-03-14T22:59:00.000Z');
  });

  it("shows a teammate's change of a due date live", async () => {
    await page.getByTestId('live-state').getByText('Live').waitFor();
    await callAs(bobPage, 'PATCH', `/tasks/${tasks.invitations!.id}`, { dueAt: '2031-03-05T11:00:00.000Z' });
    await chip(page, '2031-03-05', 'Send invitations').waitFor();
    expect(await chip(page, '2031-03-20', 'Send invitations').count()).toBe(0);
  });

  it('opens a task in the task panel', async () => {
    await chip(page, '2031-03-05', 'Send invitations').click();
    const panel = page.getByTestId('task-panel');
    await panel.waitFor();
    await expect.poll(() => page.url()).toContain(`task=${tasks.invitations!.id}`);
    await page.keyboard.press('Escape');
    await panel.waitFor({ state: 'detached' });
  });

  it('shows and picks due dates in the task panel on the days the calendar shows them', async () => {
    await chip(page, '2031-03-14', 'Book the venue').click();
    const panel = page.getByTestId('task-panel');
    const due = panel.locator('#task-due');
    // 23:59 in Berlin on the 14th: the 14th in the panel too, though the browser's (New York) clock reads 18:59.
    await expect.poll(() => due.inputValue()).toBe('2031-03-14');
    // A date picked in New York is the end of that day in Berlin, so the calendar shows it on that day, timeless.
    await due.fill('2031-03-13');
    await expect.poll(() => dueOf(tasks.venue!.id)).toBe('2031-03-13T22:59:00.000Z');
    await chip(page, '2031-03-13', 'Book the venue').waitFor();
    expect(await chip(page, '2031-03-13', 'Book the venue').textContent()).not.toMatch(/\d:\d\d/);
    expect(await due.inputValue()).toBe('2031-03-13');
    await panel.getByRole('button', { name: 'Close task' }).click();
    await panel.waitFor({ state: 'detached' });
  });

  it('is saved as a calendar view and opened again as one', async () => {
    await page.getByTestId('saved-views').click();
    await page.getByLabel('Save this calendar view as').fill('Schedule');
    await page.getByRole('button', { name: 'Save view' }).click();
    await page.getByRole('list', { name: 'Saved views' }).getByText('calendar', { exact: true }).waitFor();
    await page.goto(`${stack.url}/w/${workspaceId}/projects/${projectId}/list`);
    await page.getByTestId('saved-views').click();
    await page.getByRole('link', { name: 'Schedule' }).click();
    await page.waitForURL(/\/calendar$/);
    await page.getByText('Dates in Europe/Berlin').waitFor();
  });
});

describe('my tasks', () => {
  it('shows what is assigned to me across projects, follows changes live and moves by keyboard', async () => {
    await page.goto(`${stack.url}/w/${workspaceId}`);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'My tasks' }).click();
    await page.getByRole('heading', { name: 'My tasks', exact: true }).waitFor();
    await page.goto(`${stack.url}/w/${workspaceId}/my-tasks?date=2031-03-15`);
    await chip(page, '2031-03-05', 'Send invitations').waitFor();
    await chip(page, '2031-03-21', 'Order office keys').waitFor();
    expect(await chip(page, '2031-03-21', 'Order office keys').textContent()).toContain('Office');
    expect(await page.locator('[data-task-id]').count()).toBe(2);

    // Bob gives Ada the posters: they appear; he takes the keys for himself: they go.
    await page.getByTestId('live-state').getByText('Live').waitFor();
    await callAs(bobPage, 'PATCH', `/tasks/${tasks.posters!.id}`, { assigneeId: adaId });
    await chip(page, '2031-03-31', 'Print the posters').waitFor();
    const bobId = (await callAs<{ id: string }>(bobPage, 'GET', '/me')).id;
    await callAs(bobPage, 'PATCH', `/tasks/${tasks.keys!.id}`, { assigneeId: bobId });
    await expect.poll(() => chip(page, '2031-03-21', 'Order office keys').count()).toBe(0);

    await chip(page, '2031-03-05', 'Send invitations').focus();
    await page.keyboard.press('Space');
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('Space');
    await page.getByText('Moved Send invitations to Tuesday, March 4, 2031.').waitFor();
    await expect.poll(() => dueOf(tasks.invitations!.id)).toBe('2031-03-04T11:00:00.000Z');

    // Carried a week on from the last day of March, the task takes the calendar into April with it.
    await chip(page, '2031-03-31', 'Print the posters').focus();
    await page.keyboard.press('Space');
    await page.keyboard.press('ArrowDown');
    await page.waitForURL(/date=2031-04-07/);
    await page.getByRole('heading', { name: 'April 2031' }).waitFor();
    await chip(page, '2031-04-07', 'Print the posters').waitFor();
    await page.keyboard.press('Space');
    await page.getByText('Moved Print the posters to Monday, April 7, 2031.').waitFor();
    await expect.poll(() => dueOf(tasks.posters!.id)).toBe('2031-04-07T07:30:00.000Z');
  });
});

describe('the iCal feed', () => {
  it('is created with its URL shown once, serves the tasks, and answers 404 once revoked', async () => {
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: stack.url });
    await page.goto(`${stack.url}/account/security`);
    const section = page.getByRole('region', { name: 'Calendar feed' });
    await section.getByRole('button', { name: 'Create calendar feed' }).click();
    const url = await section.getByLabel('Feed URL').inputValue();
    expect(url).toMatch(new RegExp(`^${stack.url}/api/v1/calendar/[A-Za-z0-9_-]{43}\\.ics$`));
    await section.getByRole('button', { name: 'Copy URL' }).click();
    await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe(url);

    // The feed reaches two years ahead: a task due next week, not the calendar's 2031 ones.
    const soon = await callAs<Task>(page, 'POST', `/projects/${projectId}/tasks`, {
      title: 'Water the plants',
      dueAt: new Date(Date.now() + 7 * 86400_000).toISOString(),
      assigneeId: adaId,
    });
    const served = await page.request.get(url);
    expect(served.status()).toBe(200);
    const body = (await served.text()).replace(/\r\n[ \t]/g, '');
    expect(body).toContain(`UID:${soon.id}@taskstack`);
    expect(body).toContain('SUMMARY:Water the plants');

    // After a reload the feed is on, and its URL is not shown again.
    await page.reload();
    await section.getByTestId('feed-status').getByText('On').waitFor();
    expect(await section.getByLabel('Feed URL').count()).toBe(0);
    page.once('dialog', (dialog) => void dialog.accept());
    await section.getByRole('button', { name: 'Revoke feed' }).click();
    await section.getByRole('button', { name: 'Create calendar feed' }).waitFor();
    expect((await page.request.get(url)).status()).toBe(404);
    expect(pageErrors).toEqual([]);
  });
});
