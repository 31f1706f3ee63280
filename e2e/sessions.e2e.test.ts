import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, report, setTheme, THEMES } from './accessibility.js';
import { callAs, openPage, signInAs, workspaceWithProject } from './session.js';
import { startStack, type Stack } from './stack.js';

/**
 * The sessions screen in the browser: reached from the header's user menu, it lists the laptop's and the phone's
 * sessions, ends the phone's (whose next call is refused), and creates a personal API token whose secret is shown
 * once and works against the API until it is revoked; no axe finding in either theme.
 */
const PASSWORD = 'correct horse battery';
const ada = { name: 'Ada Lovelace', email: 'ada@example.com' };

let stack: Stack;
let laptop: Page;
let phone: Page;
let workspaceId = '';
const pageErrors: string[] = [];

beforeAll(async () => {
  stack = await startStack({ admin: { ...ada, password: PASSWORD } });
  laptop = await openPage(stack, pageErrors, { bypassCSP: true });
  // Signed out by the laptop during the test: what the phone's page then does is not what is under test.
  phone = await openPage(stack, undefined, {
    bypassCSP: true,
    userAgent: 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) Safari/604.1',
  });
  await signInAs(stack, laptop, { ...ada, password: PASSWORD });
  ({ workspaceId } = await workspaceWithProject(laptop));
  await signInAs(stack, phone, { ...ada, password: PASSWORD });
});
afterAll(async () => {
  await stack?.close();
});

describe('sessions screen', () => {
  it('lists both sessions from the user menu and ends the other one', async () => {
    await laptop.goto(`${stack.url}/w/${workspaceId}`);
    await laptop.getByRole('link', { name: 'Sessions' }).click();
    await laptop.waitForURL('**/account/sessions');
    const sessions = laptop.getByTestId('sessions');
    await sessions.getByText('Safari on iPhone').waitFor();
    expect(await sessions.locator('tbody tr').count()).toBe(2);
    const current = sessions.locator('tr[data-current]');
    expect(await current.getByText('this session').count()).toBe(1);

    await sessions
      .locator('tr', { hasText: 'Safari on iPhone' })
      .getByRole('button', { name: 'End session' })
      .click();
    await sessions.getByText('Safari on iPhone').waitFor({ state: 'detached' });
    await expect(callAs(phone, 'GET', '/me')).rejects.toThrow(/401/);
    expect(await callAs<{ email: string }>(laptop, 'GET', '/me')).toMatchObject({ email: ada.email });
  });

  it('creates a token shown once that works on the API until revoked', async () => {
    await laptop.getByLabel('Name').fill('CI import');
    await laptop.getByLabel('Access').selectOption('write');
    await laptop.getByRole('button', { name: 'Create token' }).click();
    const secret = (await laptop.getByTestId('new-token').locator('code').textContent())!.trim();
    expect(secret).toMatch(/^tsk_/);
    await laptop.getByTestId('tokens').getByText('CI import').waitFor();

    const projects = `${stack.url}/api/v1/workspaces/${workspaceId}/projects`;
    const auth = { authorization: `Bearer ${secret}` };
    expect((await fetch(projects, { headers: auth })).status).toBe(200);
    expect((await fetch(`${stack.url}/api/v1/me/tokens`, { headers: auth })).status).toBe(403);

    const findings: string[] = [];
    for (const theme of THEMES) {
      await setTheme(laptop, theme);
      findings.push(...report('sessions and tokens', theme, await axeViolations(laptop)));
    }
    expect(findings).toEqual([]);

    await laptop.getByRole('button', { name: 'Done' }).click();
    expect(await laptop.getByText(secret).count()).toBe(0);
    laptop.once('dialog', (dialog) => void dialog.accept());
    await laptop.getByRole('button', { name: 'Revoke CI import' }).click();
    await laptop.getByText('No tokens yet.').waitFor();
    expect((await fetch(projects, { headers: auth })).status).toBe(401);
    expect(pageErrors).toEqual([]);
  });
});
