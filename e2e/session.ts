import type { BrowserContextOptions, Page } from 'playwright-core';
import { linkFromMail, type Stack } from './stack.js';

/**
 * Calls the API from `page`, with the session its refresh cookie holds (refresh → access token → the call).
 * A refused call throws with its status and body, so a test's setup cannot fail unnoticed.
 */
export async function callAs<T>(page: Page, method: string, path: string, body?: unknown): Promise<T> {
  return page.evaluate(
    async ({ method, path, body }) => {
      const refreshed = await fetch('/api/v1/auth/refresh', { method: 'POST', credentials: 'include' });
      const { accessToken } = (await refreshed.json()) as { accessToken: string };
      const response = await fetch(`/api/v1${path}`, {
        method,
        headers: { Authorization: `Bearer ${accessToken}`, 'Content-Type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
      return response.status === 204 ? null : response.json();
    },
    { method, path, body },
  ) as Promise<T>;
}

/**
 * A page in a browser context of its own (a separate person or device: own cookies), desktop-sized with reduced
 * motion unless `options` say otherwise; its uncaught exceptions go to `errors`, which tests expect to stay empty.
 */
export async function openPage(
  stack: Stack,
  errors?: string[],
  options: BrowserContextOptions = {},
): Promise<Page> {
  const context = await stack.browser.newContext({
    viewport: { width: 1280, height: 800 },
    reducedMotion: 'reduce',
    ...options,
  });
  const page = await context.newPage();
  if (errors) page.on('pageerror', (error) => errors.push(error.message));
  return page;
}

/** Fills and sends the sign-in form in `page`; where it goes next (the app, or the two-factor step) is the caller's. */
export async function submitSignIn(
  stack: Stack,
  page: Page,
  person: { email: string; password: string },
): Promise<void> {
  await page.goto(`${stack.url}/signin`);
  await page.getByLabel('Email').fill(person.email);
  await page.getByLabel('Password').fill(person.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** Signs `person` in through the form and waits until the app has them; `callAs(page, …)` then works. */
export async function signInAs(
  stack: Stack,
  page: Page,
  person: { email: string; password: string },
): Promise<void> {
  await submitSignIn(stack, page, person);
  await page.waitForURL((url) => !url.pathname.startsWith('/signin'));
}

/**
 * A workspace with one project, made through the API as whoever `page` is signed in as; `boardPath` is the
 * project's board in the app.
 */
export async function workspaceWithProject(
  page: Page,
  names: { workspace?: string; project?: string } = {},
): Promise<{ workspaceId: string; projectId: string; boardPath: string }> {
  const workspace = await callAs<{ id: string }>(page, 'POST', '/workspaces', {
    name: names.workspace ?? 'Acme',
  });
  const project = await callAs<{ id: string }>(page, 'POST', `/workspaces/${workspace.id}/projects`, {
    name: names.project ?? 'Launch',
  });
  return {
    workspaceId: workspace.id,
    projectId: project.id,
    boardPath: `/w/${workspace.id}/projects/${project.id}`,
  };
}

/**
 * A teammate in a few calls: signs `person` up in `page` (a browser context of their own), confirms the address
 * with the welcome email's link (invitations bind only to confirmed ones) and accepts an invitation that `owner`
 * sends to `workspaceId`. Returns their user id.
 */
export async function joinWorkspace(
  stack: Stack,
  page: Page,
  owner: Page,
  workspaceId: string,
  person: { name: string; email: string; password: string },
): Promise<string> {
  await page.goto(`${stack.url}/signin`);
  const userId = await page.evaluate(async (body) => {
    const response = await fetch('/api/v1/auth/register', {
      method: 'POST',
      credentials: 'include',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`register: ${response.status} ${await response.text()}`);
    return ((await response.json()) as { user: { id: string } }).user.id;
  }, person);
  await page.goto(await linkFromMail(stack.sink, person.email, '/verify-email'));
  await page.getByText('Your email address is confirmed.').waitFor();
  await callAs(owner, 'POST', `/workspaces/${workspaceId}/invitations`, {
    email: person.email,
    role: 'member',
  });
  const link = await linkFromMail(stack.sink, person.email, '/invitations/');
  await callAs(page, 'POST', `/invitations/${link.split('/invitations/')[1]!}/accept`);
  return userId;
}
