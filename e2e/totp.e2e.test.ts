import type { Page } from 'playwright-core';
import { Secret, TOTP } from 'otpauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callAs, openPage, signInAs, submitSignIn } from './session.js';
import { startStack, type Stack } from './stack.js';

/**
 * Two-factor sign-in in the browser: set up from the header's Security link by scanning (here: reading) the secret
 * and confirming with a code, recovery codes shown once; the owner then requires it of the workspace; signing in
 * again asks for a code after the password, refuses a wrong one and lets the right one in.
 */
const PASSWORD = 'correct horse battery';
const ada = { name: 'Ada Lovelace', email: 'ada@example.com' };

let stack: Stack;
let laptop: Page;
let workspaceId = '';
const pageErrors: string[] = [];

/** What an authenticator app shows for `secret`, `steps` periods of 30 s from now. */
const codeOf = (secret: string, steps = 0) =>
  new TOTP({ secret: Secret.fromBase32(secret) }).generate({ timestamp: Date.now() + steps * 30_000 });

beforeAll(async () => {
  stack = await startStack({ admin: { ...ada, password: PASSWORD } });
  laptop = await openPage(stack, pageErrors);
  await signInAs(stack, laptop, { ...ada, password: PASSWORD });
  workspaceId = (await callAs<{ id: string }>(laptop, 'POST', '/workspaces', { name: 'Acme' })).id;
});
afterAll(async () => {
  await stack?.close();
});

describe('two-factor sign-in', () => {
  let secret = '';

  it('is set up from Account security with a QR code and a first code, and shows recovery codes once', async () => {
    await laptop.goto(`${stack.url}/w/${workspaceId}`);
    await laptop.getByRole('link', { name: 'Security' }).click();
    await laptop.waitForURL('**/account/security');
    await laptop.getByRole('button', { name: 'Set up two-factor sign-in' }).click();
    const qr = laptop.getByRole('img', { name: 'QR code of your two-factor secret' });
    await qr.waitFor();
    expect(await qr.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
    secret = (await laptop.getByTestId('totp-secret').textContent())!.trim();
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);

    await laptop.getByLabel('Code from the app').fill('000000');
    await laptop.getByRole('button', { name: 'Turn on' }).click();
    await laptop.getByRole('alert').getByText('That code is not right').waitFor();
    // The step before now: the sign-in below uses the current one, and each code works once.
    await laptop.getByLabel('Code from the app').fill(codeOf(secret, -1));
    await laptop.getByRole('button', { name: 'Turn on' }).click();
    const codes = laptop.getByTestId('recovery-codes');
    await codes.waitFor();
    expect(await codes.getByRole('listitem').count()).toBe(10);
    await laptop.getByRole('button', { name: 'I have saved them' }).click();
    await codes.waitFor({ state: 'hidden' });
    expect(await laptop.getByTestId('totp-status').textContent()).toContain('10 recovery codes left');
    await laptop.reload();
    await laptop.getByTestId('totp-status').waitFor();
    expect(await laptop.getByTestId('recovery-codes').count()).toBe(0);
  });

  it('lets the owner require it of the workspace', async () => {
    await laptop.goto(`${stack.url}/w/${workspaceId}/members`);
    const toggle = laptop.getByLabel('Require two-factor sign-in of every member');
    await toggle.check();
    await laptop.getByText('Two-factor sign-in required').waitFor();
    await laptop.reload();
    await toggle.waitFor();
    expect(await toggle.isChecked()).toBe(true);
  });

  it('asks for a code after the password, refuses a wrong one and signs in with the right one', async () => {
    const phone = await openPage(stack, pageErrors);
    await submitSignIn(stack, phone, { ...ada, password: PASSWORD });
    await phone.getByRole('heading', { name: 'Two-factor sign-in' }).waitFor();
    await phone.getByLabel('Code').fill('000000');
    await phone.getByRole('button', { name: 'Verify' }).click();
    await phone.getByRole('alert').getByText('That code is not right').waitFor();
    await phone.getByLabel('Code').fill(codeOf(secret));
    await phone.getByRole('button', { name: 'Verify' }).click();
    await phone.waitForURL((url) => !url.pathname.startsWith('/signin'));
    await phone.goto(`${stack.url}/w/${workspaceId}`);
    await phone.getByRole('heading', { name: 'Projects', exact: true }).waitFor();
    expect(pageErrors).toEqual([]);
  });

  it('is reset by an instance admin from the Admin screen (lost device): the password alone signs in again', async () => {
    await laptop.goto(`${stack.url}/admin`);
    const row = laptop.getByTestId('users').getByRole('row').filter({ hasText: ada.email });
    await row.getByText('on', { exact: true }).waitFor();
    await row.getByRole('button', { name: `Reset two-factor sign-in of ${ada.name}` }).click();
    await laptop.getByRole('dialog', { name: 'Reset two-factor sign-in' }).waitFor();
    await laptop.getByTestId('confirm-totp-reset').click();
    await row.getByText('off', { exact: true }).waitFor();

    const tablet = await openPage(stack, pageErrors);
    await signInAs(stack, tablet, { ...ada, password: PASSWORD });
    expect(await tablet.getByRole('heading', { name: 'Two-factor sign-in' }).count()).toBe(0);
    expect(pageErrors).toEqual([]);
  });
});
