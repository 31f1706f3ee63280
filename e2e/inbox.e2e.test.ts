import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, report, setTheme, THEMES } from './accessibility.js';
import { callAs, joinWorkspace, openPage, signInAs, workspaceWithProject } from './session.js';
import { startStack, type Stack } from './stack.js';

/**
 * Mentions and the inbox in the browser: Ada assigns Bob a task, then mentions him through the @-autocomplete of
 * the comment box and of the description editor; Bob's header badge counts up live, his inbox lists the three
 * (axe-clean in both themes), the mention's link opens the task and marks it read, "Mark all read" clears the rest,
 * and his email preference sticks.
 */
const PASSWORD = 'correct horse battery';
const ada = { name: 'Ada Lovelace', email: 'ada@example.com' };
const bob = { name: 'Bob Hopper', email: 'bob@example.com' };

let stack: Stack;
let adaPage: Page;
let bobPage: Page;
let workspaceId = '';
let projectId = '';
let bobId = '';
const pageErrors: string[] = [];

/** The header's Inbox link by its whole accessible name: "Inbox", or "Inbox, 2 unread". */
const inbox = (on: Page, name: string) => on.getByRole('banner').getByRole('link', { name, exact: true });
const readStates = (on: Page) =>
  on
    .getByTestId('inbox-items')
    .getByRole('listitem')
    .evaluateAll((li) => li.map((e) => e.getAttribute('data-read')));

beforeAll(async () => {
  stack = await startStack({ admin: { ...ada, password: PASSWORD } });
  // The app's CSP allows only its own scripts; axe is injected by the test.
  adaPage = await openPage(stack, pageErrors, { bypassCSP: true });
  bobPage = await openPage(stack, pageErrors, { bypassCSP: true });

  await signInAs(stack, adaPage, { ...ada, password: PASSWORD });
  ({ workspaceId, projectId } = await workspaceWithProject(adaPage));
  bobId = await joinWorkspace(stack, bobPage, adaPage, workspaceId, { ...bob, password: PASSWORD });
});
afterAll(async () => {
  await stack?.close();
});

describe('the inbox', () => {
  it('counts an assignment and the mentions typed with the autocomplete live in the header', async () => {
    await bobPage.goto(`${stack.url}/w/${workspaceId}`);
    await bobPage.getByTestId('live-state').getByText('Live').waitFor();
    await inbox(bobPage, 'Inbox').waitFor();

    await callAs(adaPage, 'POST', `/projects/${projectId}/tasks`, {
      title: 'Pick the fonts',
      assigneeId: bobId,
    });
    await inbox(bobPage, 'Inbox, 1 unread').waitFor();

    // A comment: "@bo" offers Bob, Enter inserts the mention, and it shows as his name.
    const task = await callAs<{ id: string }>(adaPage, 'POST', `/projects/${projectId}/tasks`, {
      title: 'Write the announcement',
    });
    await adaPage.goto(`${stack.url}/w/${workspaceId}/projects/${projectId}?task=${task.id}`);
    const panel = adaPage.getByTestId('task-panel');
    const comment = panel.getByLabel('Write a comment');
    await comment.pressSequentially('@bo');
    const suggestions = panel.getByRole('listbox', { name: 'Members to mention' });
    const options = suggestions.getByRole('option');
    await options.filter({ hasText: bob.email }).waitFor();
    expect(await options.count()).toBe(1);
    expect(await comment.getAttribute('aria-activedescendant')).toBe(
      await options.first().getAttribute('id'),
    );
    await comment.press('Enter');
    await comment.pressSequentially('could you review this?');
    expect(await comment.inputValue()).toBe(`@[${bob.name}](user:${bobId}) could you review this?`);
    await panel.getByRole('button', { name: 'Comment', exact: true }).click();
    const posted = panel.getByTestId('comments').locator('.mention');
    await expect.poll(() => posted.textContent()).toBe(`@${bob.name}`);
    await inbox(bobPage, 'Inbox, 2 unread').waitFor();

    // The description editor: a word of the name ("hop") finds him too; Escape closes only the list.
    await panel.getByRole('button', { name: 'Edit', exact: true }).click();
    const description = panel.getByLabel('Description (Markdown)');
    await description.pressSequentially('Owner: @hop');
    await options.filter({ hasText: bob.name }).waitFor();
    await description.press('Escape');
    expect(await suggestions.count()).toBe(0);
    await description.press('Backspace');
    await description.pressSequentially('p');
    expect(await suggestions.count()).toBe(0);
    await description.fill('Owner: ');
    await description.pressSequentially('@hop');
    await description.press('Tab');
    await panel.getByRole('button', { name: 'Save', exact: true }).click();
    await expect.poll(() => panel.locator('.prose .mention').allTextContents()).toContain(`@${bob.name}`);
    await inbox(bobPage, 'Inbox, 3 unread').waitFor();
  });

  it('lists the items, axe-clean in both themes; the link opens the task and marks it read', async () => {
    await inbox(bobPage, 'Inbox, 3 unread').click();
    await bobPage.getByRole('heading', { name: 'Inbox', exact: true }).waitFor();
    const items = bobPage.getByTestId('inbox-items').getByRole('listitem');
    await expect.poll(() => items.count()).toBe(3);
    const mentions = items.filter({ hasText: 'Ada Lovelace mentioned you' });
    expect(await mentions.allTextContents()).toEqual([
      expect.stringContaining(`Owner: @${bob.name}`),
      expect.stringContaining(`@${bob.name} could you review this?`),
    ]);
    expect(await items.filter({ hasText: 'Ada Lovelace assigned you' }).textContent()).toContain(
      '#1 Pick the fonts',
    );
    const findings: string[] = [];
    for (const theme of THEMES) {
      await setTheme(bobPage, theme);
      findings.push(...report('inbox', theme, await axeViolations(bobPage)));
    }
    expect(findings).toEqual([]);

    await mentions.last().getByRole('link', { name: '#2 Write the announcement' }).click();
    await bobPage
      .getByTestId('task-panel')
      .getByTestId('comments')
      .getByText('could you review this?')
      .waitFor();
    await expect.poll(() => bobPage.url()).toContain(`/projects/${projectId}?task=`);
    await inbox(bobPage, 'Inbox, 2 unread').waitFor();
  });

  it('marks one read and unread again, then everything read', async () => {
    // The task panel is modal: closed first, as a person would, to reach the header again.
    await bobPage.getByTestId('task-panel').getByRole('button', { name: 'Close task' }).click();
    await inbox(bobPage, 'Inbox, 2 unread').click();
    await expect.poll(() => readStates(bobPage)).toEqual(['false', 'true', 'false']);
    const first = bobPage.getByTestId('inbox-items').getByRole('listitem').first();
    await first.getByRole('button', { name: /^Mark read/ }).click();
    await inbox(bobPage, 'Inbox, 1 unread').waitFor();
    await first.getByRole('button', { name: /^Mark unread/ }).click();
    await inbox(bobPage, 'Inbox, 2 unread').waitFor();

    await bobPage.getByRole('button', { name: 'Mark all read' }).click();
    await inbox(bobPage, 'Inbox').waitFor();
    expect(await readStates(bobPage)).toEqual(['true', 'true', 'true']);
    const { unread } = await callAs<{ unread: number }>(
      bobPage,
      'GET',
      `/workspaces/${workspaceId}/inbox/unread`,
    );
    expect(unread).toBe(0);
  });

  it('keeps the email preference picked on Account security', async () => {
    await bobPage.goto(`${stack.url}/account/security`);
    await bobPage.getByRole('radio', { name: 'Immediately', exact: true, checked: true }).waitFor();
    await bobPage.getByRole('radio', { name: 'Daily digest', exact: true }).check();
    await bobPage.getByText('Email preference saved').waitFor();
    await bobPage.reload();
    await bobPage.getByRole('radio', { name: 'Daily digest', exact: true, checked: true }).waitFor();
    expect(await callAs(bobPage, 'GET', '/me/notification-preferences')).toEqual({ email: 'daily' });
    expect(pageErrors).toEqual([]);
  });
});
