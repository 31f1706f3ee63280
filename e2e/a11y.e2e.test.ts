import type { BrowserContext, Locator, Page } from 'playwright-core';
import { Secret, TOTP } from 'otpauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  axeViolations,
  focusEscapes,
  focusInvisible,
  report,
  setTheme,
  THEMES,
  type Violation,
} from './accessibility.js';
import { callAs, joinWorkspace } from './session.js';
import { linkFromMail, startStack, type Stack } from './stack.js';

/**
 * WCAG 2.1 AA on every screen, in the light and the dark theme: axe-core finds no serious or critical violation
 * (contrast, names, label-in-name, roles…), every Tab stop shows focus, and dialogs keep focus and give it back.
 */
const PASSWORD = 'correct horse battery';
const ada = { name: 'Ada Lovelace', email: 'ada@example.com' };

let stack: Stack;
let guest: BrowserContext;
let guestPage: Page;
let page: Page;
let workspaceId = '';
let projectId = '';
let taskId = '';
/** Every violation of any impact, for the summary printed at the end. */
const found: string[] = [];

/** Serious and critical axe violations of the page as shown now, in both themes, one line each. */
async function violations(on: Page, screen: string): Promise<string[]> {
  const failing: string[] = [];
  for (const theme of THEMES) {
    await setTheme(on, theme);
    const all: Violation[] = await axeViolations(on);
    found.push(...report(screen, theme, all));
    failing.push(
      ...report(
        screen,
        theme,
        all.filter((v) => v.impact === 'serious' || v.impact === 'critical'),
      ),
    );
  }
  return failing;
}

async function open(on: Page, path: string, ready: Locator) {
  await on.goto(`${stack.url}${path}`);
  await ready.waitFor();
}

const heading = (on: Page, name: string) => on.getByRole('heading', { name, exact: true });
const newContext = (browser: Stack['browser']) =>
  // The app's CSP allows only its own scripts; axe is injected by the test.
  browser.newContext({ viewport: { width: 1280, height: 800 }, bypassCSP: true, reducedMotion: 'reduce' });

beforeAll(async () => {
  stack = await startStack({ admin: { ...ada, password: PASSWORD } });
  guest = await newContext(stack.browser);
  guestPage = await guest.newPage();
  page = await (await newContext(stack.browser)).newPage();
});
afterAll(async () => {
  if (found.length) console.log(`axe findings of any impact (${found.length}):\n${found.join('\n')}`);
  await stack?.close();
});

describe('accessibility, signed out', () => {
  it('sign in, also with an error shown', async () => {
    await open(guestPage, '/signin', heading(guestPage, 'Sign in'));
    const failing = await violations(guestPage, 'sign in');
    await guestPage.getByLabel('Email').fill('nobody@example.com');
    await guestPage.getByLabel('Password').fill('not the password');
    await guestPage.getByRole('button', { name: 'Sign in' }).click();
    await guestPage.getByRole('alert').waitFor();
    failing.push(...(await violations(guestPage, 'sign in (error)')));
    expect(failing).toEqual([]);
    expect(await focusInvisible(guestPage), 'Tab stops without a visible focus').toEqual([]);
  });

  it('sign up', async () => {
    await open(guestPage, '/signup', heading(guestPage, 'Create your account'));
    expect(await violations(guestPage, 'sign up')).toEqual([]);
    expect(await focusInvisible(guestPage)).toEqual([]);
  });

  it('forgot and reset password', async () => {
    await open(guestPage, '/forgot-password', heading(guestPage, 'Forgot your password?'));
    const failing = await violations(guestPage, 'forgot password');
    await open(
      guestPage,
      '/reset-password?token=abcdefghijklmnopqrstuvwxyz',
      heading(guestPage, 'Choose a new password'),
    );
    failing.push(...(await violations(guestPage, 'reset password')));
    await open(guestPage, '/no/such/page', guestPage.getByRole('heading').first());
    failing.push(...(await violations(guestPage, 'not found')));
    expect(failing).toEqual([]);
  });
});

describe('accessibility, signed in', () => {
  it('first workspace and an empty project list', async () => {
    // Ada is the instance admin the operator made (the administration screen needs one); sign-up is checked above.
    await open(page, '/signin', heading(page, 'Sign in'));
    await page.getByLabel('Email').fill(ada.email);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await heading(page, 'Create your first workspace').waitFor();
    const failing = await violations(page, 'first workspace');
    await page.getByLabel('Workspace name').fill('Acme');
    await page.getByRole('button', { name: 'Create workspace' }).click();
    await heading(page, 'No projects yet').waitFor();
    failing.push(...(await violations(page, 'projects (empty)')));
    await page.getByRole('button', { name: 'Create a project' }).click();
    await page.getByRole('dialog').waitFor();
    failing.push(...(await violations(page, 'new project dialog')));

    // The rest of the screens need something to show: a project with tasks, labels, a comment, an invitation.
    workspaceId = page.url().split('/w/')[1]!.split('/')[0]!;
    await page.keyboard.press('Escape');
    const project = await callAs<{ id: string }>(page, 'POST', `/workspaces/${workspaceId}/projects`, {
      name: 'Website relaunch',
      description: 'Everything for the new site',
    });
    projectId = project.id;
    const labels = [];
    for (const [name, color] of [
      ['copywriting', '#6366f1'],
      ['design', '#db2777'],
      ['bug', '#f59e0b'],
      ['ready', '#22c55e'],
    ] as const) {
      labels.push(
        await callAs<{ id: string }>(page, 'POST', `/workspaces/${workspaceId}/labels`, { name, color }),
      );
    }
    const statuses = ['backlog', 'todo', 'in_progress', 'done'];
    const priorities = ['low', 'medium', 'high', 'urgent'];
    for (let i = 0; i < 8; i += 1) {
      const task = await callAs<{ id: string }>(page, 'POST', `/projects/${projectId}/tasks`, {
        title: `Task number ${i + 1}`,
        status: statuses[i % 4],
        priority: priorities[i % 4],
        dueAt: i % 2 ? '2020-01-01T12:00:00.000Z' : '2030-05-17T12:00:00.000Z',
        labelIds: [labels[i % 4]!.id],
        description: '**Tone:** friendly\n\n- one\n- two\n\n`code` and [a link](https://example.com)',
      });
      taskId ||= task.id;
    }
    await callAs(page, 'POST', `/tasks/${taskId}/comments`, { body: 'First draft is **in**.' });
    await callAs(page, 'POST', `/workspaces/${workspaceId}/invitations`, {
      email: 'bob@example.com',
      role: 'member',
    });
    expect(failing).toEqual([]);
  });

  it('projects list', async () => {
    await open(page, `/w/${workspaceId}`, page.getByRole('link', { name: /Website relaunch/ }));
    expect(await violations(page, 'projects')).toEqual([]);
    expect(await focusInvisible(page)).toEqual([]);
  });

  it('board, and the task panel with its comments', async () => {
    const board = `/w/${workspaceId}/projects/${projectId}`;
    await open(page, board, page.locator('[data-task-id]').first());
    const failing = await violations(page, 'board');
    expect(await focusInvisible(page), 'board Tab stops without a visible focus').toEqual([]);
    const first = page.locator('[data-task-id]').first();
    await first.focus();
    await page.keyboard.press('Enter');
    const panel = page.getByTestId('task-panel');
    await panel.getByTestId('comments').getByText('First draft is').waitFor();
    failing.push(...(await violations(page, 'task panel')));
    expect(failing).toEqual([]);
    expect(await focusEscapes(page, '[data-testid="task-panel"]'), 'focus left the task panel').toEqual([]);
    await page.keyboard.press('Escape');
    await panel.waitFor({ state: 'detached' });
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-task-id'))).toBe(
      await first.getAttribute('data-task-id'),
    );
  });

  it('the keyboard shortcuts dialog, opened with ?, keeps focus and gives it back', async () => {
    const second = page.locator('[data-task-id]').nth(1);
    await second.focus();
    await page.keyboard.press('?');
    const dialog = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await dialog.getByText('Pick the card up, or drop it').waitFor();
    expect(await violations(page, 'shortcuts dialog')).toEqual([]);
    expect(await focusEscapes(page, 'dialog[open]'), 'focus left the dialog').toEqual([]);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-task-id'))).toBe(
      await second.getAttribute('data-task-id'),
    );
    // In a field, ? is a character like any other.
    await page.getByRole('button', { name: 'Add task to To do' }).click();
    await page.getByLabel('New task title in To do').press('?');
    expect(await page.getByLabel('New task title in To do').inputValue()).toBe('?');
    expect(await dialog.isVisible()).toBe(false);
    await page.keyboard.press('Escape');
  });

  it('list view', async () => {
    await open(page, `/w/${workspaceId}/projects/${projectId}/list`, page.getByTestId('task-table'));
    expect(await violations(page, 'list')).toEqual([]);
    expect(await focusInvisible(page)).toEqual([]);
  });

  it('members, invitations and labels', async () => {
    await open(
      page,
      `/w/${workspaceId}/members`,
      page.getByTestId('invitations').getByText('bob@example.com'),
    );
    expect(await violations(page, 'members')).toEqual([]);
    expect(await focusInvisible(page)).toEqual([]);
  });

  it('webhooks: the shown-once secret, the list, an open delivery log and an edit form', async () => {
    const { webhook } = await callAs<{ webhook: { id: string } }>(
      page,
      'POST',
      `/workspaces/${workspaceId}/webhooks`,
      {
        url: 'http://127.0.0.1:9/unreachable',
      },
    );
    await callAs(page, 'POST', `/workspaces/${workspaceId}/webhooks/${webhook.id}/ping`);
    await open(page, `/w/${workspaceId}/webhooks`, heading(page, 'Add a webhook'));
    await page.getByLabel('Payload URL').fill('https://hooks.example.com/in');
    await page.getByRole('button', { name: 'Add webhook' }).click();
    await page.getByTestId('webhook-secret').waitFor();
    const first = page.getByTestId('webhooks').locator('li').filter({ hasText: '127.0.0.1:9' });
    await first.getByRole('button', { name: 'Deliveries' }).click();
    await first.getByRole('table').getByText('ping').waitFor();
    await first.getByRole('button', { name: 'Edit' }).click();
    await page.getByRole('form', { name: 'Edit the webhook to http://127.0.0.1:9/unreachable' }).waitFor();
    expect(await violations(page, 'webhooks')).toEqual([]);
    expect(await focusInvisible(page)).toEqual([]);
  });

  it('import and export: an export ready to download, a CSV column mapping and an import report', async () => {
    await open(page, `/w/${workspaceId}/import-export`, heading(page, 'Import & export'));
    await page.getByRole('button', { name: 'Export workspace' }).click();
    await page.getByRole('button', { name: /^Download / }).waitFor({ timeout: 30_000 });
    await page.getByLabel('Source').selectOption('csv');
    await page.getByLabel('File', { exact: true }).setInputFiles({
      name: 'tasks.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from('Title,Owner\nOne,nobody@elsewhere.test\n,\n'),
    });
    await page.getByRole('group', { name: 'Columns' }).waitFor();
    const failing = await violations(page, 'import and export (mapping)');
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    await page.getByRole('listitem', { name: 'Import from CSV file, Done' }).waitFor({ timeout: 30_000 });
    failing.push(...(await violations(page, 'import and export (report)')));
    expect(failing).toEqual([]);
    expect(await focusInvisible(page)).toEqual([]);
  });

  it('inbox, empty and with items from a teammate', async () => {
    await open(page, `/w/${workspaceId}/inbox`, heading(page, 'Nothing in your inbox'));
    const failing = await violations(page, 'inbox (empty)');
    const grace = await (await newContext(stack.browser)).newPage();
    const graceId = await joinWorkspace(stack, grace, page, workspaceId, {
      name: 'Grace Hopper',
      email: 'grace@example.com',
      password: PASSWORD,
    });
    const adaId = (await callAs<{ id: string }>(page, 'GET', '/me')).id;
    await callAs(grace, 'POST', `/projects/${projectId}/tasks`, {
      title: 'Check the forms',
      assigneeId: adaId,
    });
    await callAs(grace, 'POST', `/tasks/${taskId}/comments`, {
      body: `@[Ada Lovelace](user:${adaId}) the copy reads well; @[Grace Hopper](user:${graceId}) will test it.`,
    });
    await page.getByTestId('inbox-items').getByRole('listitem').nth(1).waitFor();
    failing.push(...(await violations(page, 'inbox')));
    expect(failing).toEqual([]);
    expect(await focusInvisible(page)).toEqual([]);
  });

  it('calendar: a project month and week, and my tasks', async () => {
    const adaId = (await callAs<{ id: string }>(page, 'GET', '/me')).id;
    await callAs(page, 'POST', `/projects/${projectId}/tasks`, {
      title: 'Plan the launch party',
      dueAt: '2030-05-20T09:00:00.000Z',
      assigneeId: adaId,
    });
    const calendar = `/w/${workspaceId}/projects/${projectId}/calendar?date=2030-05-17`;
    const due = page.locator('[data-day="2030-05-17"] [data-task-id]').first();
    await open(page, calendar, due);
    const failing = await violations(page, 'calendar (month)');
    expect(await focusInvisible(page), 'calendar Tab stops without a visible focus').toEqual([]);
    // A task picked up with the keyboard looks different from one that is only focused.
    await due.focus();
    await page.keyboard.press('Space');
    failing.push(...(await violations(page, 'calendar (a task picked up)')));
    await page.keyboard.press('Escape');
    await open(page, `${calendar}&mode=week`, due);
    failing.push(...(await violations(page, 'calendar (week)')));
    await open(
      page,
      `/w/${workspaceId}/my-tasks?date=2030-05-17`,
      page.locator('[data-day="2030-05-20"] [data-task-id]'),
    );
    failing.push(...(await violations(page, 'my tasks')));
    expect(failing).toEqual([]);
    expect(await focusInvisible(page)).toEqual([]);
  });

  it('trash, with a deleted task and comment and the retention form', async () => {
    const doomed = await callAs<{ id: string }>(page, 'POST', `/projects/${projectId}/tasks`, {
      title: 'Old draft',
    });
    await callAs(page, 'DELETE', `/tasks/${doomed.id}`);
    const comment = await callAs<{ id: string }>(page, 'POST', `/tasks/${taskId}/comments`, {
      body: 'Never mind',
    });
    await callAs(page, 'DELETE', `/comments/${comment.id}`);
    await open(page, `/w/${workspaceId}/trash`, page.getByTestId('trash').getByText('Old draft'));
    expect(await violations(page, 'trash')).toEqual([]);
    expect(await focusInvisible(page)).toEqual([]);
  });

  it('the new-workspace dialog keeps focus and gives it back', async () => {
    const switcher = page.getByTestId('workspace-switcher');
    await switcher.focus();
    await switcher.selectOption({ label: '+ New workspace…' });
    const dialog = page.getByRole('dialog', { name: 'New workspace' });
    await dialog.getByLabel('Name').waitFor();
    expect(await violations(page, 'new workspace dialog')).toEqual([]);
    expect(await focusEscapes(page, 'dialog[open]'), 'focus left the dialog').toEqual([]);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('workspace-switcher');
  });

  it('administration', async () => {
    await open(page, '/admin', page.getByTestId('users').getByText(ada.email));
    expect(await violations(page, 'admin')).toEqual([]);
    expect(await focusInvisible(page)).toEqual([]);
  });

  it('account security: two-factor set-up with its QR code, the recovery codes, and turning it off', async () => {
    await open(page, '/account/security', page.getByRole('button', { name: 'Set up two-factor sign-in' }));
    await page.getByRole('radio', { name: 'Immediately', exact: true }).waitFor();
    const failing = await violations(page, 'account security');
    await page.getByRole('button', { name: 'Set up two-factor sign-in' }).click();
    await page.getByLabel('Code from the app').waitFor();
    failing.push(...(await violations(page, 'account security (set-up)')));
    const secret = Secret.fromBase32((await page.getByTestId('totp-secret').textContent())!.trim());
    const code = (steps: number) => new TOTP({ secret }).generate({ timestamp: Date.now() + steps * 30_000 });
    await page.getByLabel('Code from the app').fill(code(-1));
    await page.getByRole('button', { name: 'Turn on' }).click();
    await page.getByTestId('recovery-codes').waitFor();
    failing.push(...(await violations(page, 'account security (recovery codes)')));
    expect(await focusInvisible(page)).toEqual([]);
    // The second step of signing in, signed out.
    await open(guestPage, '/signin', heading(guestPage, 'Sign in'));
    await guestPage.getByLabel('Email').fill(ada.email);
    await guestPage.getByLabel('Password').fill(PASSWORD);
    await guestPage.getByRole('button', { name: 'Sign in' }).click();
    await heading(guestPage, 'Two-factor sign-in').waitFor();
    failing.push(...(await violations(guestPage, 'sign in (two-factor code)')));
    // Off again, so Ada signs in with her password alone wherever the suite needs it.
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByLabel('Code or recovery code').fill(code(0));
    await page.getByRole('button', { name: 'Turn off' }).click();
    await page.getByRole('button', { name: 'Set up two-factor sign-in' }).waitFor();
    expect(failing).toEqual([]);
  });

  it('account security: the calendar feed, its URL shown once, and revoking it', async () => {
    await open(page, '/account/security', page.getByRole('button', { name: 'Create calendar feed' }));
    await page.getByRole('button', { name: 'Create calendar feed' }).click();
    await page.getByLabel('Feed URL').waitFor();
    const failing = await violations(page, 'account security (calendar feed URL)');
    expect(await focusInvisible(page)).toEqual([]);
    page.once('dialog', (dialog) => void dialog.accept());
    await page.getByRole('button', { name: 'Revoke feed' }).click();
    await page.getByRole('button', { name: 'Create calendar feed' }).waitFor();
    expect(failing).toEqual([]);
  });

  it('an invitation, opened signed out', async () => {
    const link = await linkFromMail(stack.sink, 'bob@example.com', '/invitations/');
    await guestPage.goto(link);
    await guestPage.getByText('Join Acme as').waitFor();
    expect(await violations(guestPage, 'invitation')).toEqual([]);
  });
});
