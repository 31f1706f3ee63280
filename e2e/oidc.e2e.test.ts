import { OidcTestProvider } from '@taskstack/devservices/oidc';
import type { BrowserContext, Page } from 'playwright-core';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Secret, TOTP } from 'otpauth';
import { axeViolations, report, setTheme, THEMES } from './accessibility.js';
import { callAs } from './session.js';
import { startStack, type Stack } from './stack.js';

/**
 * Signing in with an OpenID Connect provider in the browser: the sign-in page's "Sign in with …" button leads to a
 * real provider (oidc-provider on another origin), whose sign-in page sends the browser back through the callback
 * into the app, signed in; a refused sign-in lands on the sign-in page with the reason. A second stack with
 * OIDC_ONLY shows no password form at all, and lets the operator's first admin in through the provider.
 */
const CLIENT = { clientId: 'taskstack-e2e', clientSecret: randomBytes(24).toString('hex') };

let stack: Stack;
let strict: Stack;
let idp: OidcTestProvider;
const contexts: BrowserContext[] = [];
const pageErrors: string[] = [];

async function newPage(on: Stack): Promise<Page> {
  // The app's CSP allows only its own scripts; axe is injected by the test.
  const context = await on.browser.newContext({ viewport: { width: 1280, height: 800 }, bypassCSP: true });
  contexts.push(context);
  const page = await context.newPage();
  page.on('pageerror', (error) => pageErrors.push(error.message));
  return page;
}

/** At the provider's own page: type the account and continue, as a person would. */
async function signInAtProvider(page: Page, account: string) {
  await page.waitForURL(`${idp.issuer}/interaction/**`);
  await page.getByLabel('Account').fill(account);
  await page.getByRole('button', { name: 'Continue' }).click();
}

beforeAll(async () => {
  // The provider's address goes into the API's settings before it runs; the API asks it for discovery only at
  // the first sign-in, and the provider learns the app's redirect URI once the stack has its URL. It holds its
  // port from the start (a port only found free could be taken by a stack's servers in between).
  idp = await OidcTestProvider.listen();
  const oidc = {
    OIDC_ISSUER: idp.issuer,
    OIDC_CLIENT_ID: CLIENT.clientId,
    OIDC_CLIENT_SECRET: CLIENT.clientSecret,
    OIDC_DISPLAY_NAME: 'Acme ID',
  };
  stack = await startStack({ api: { ...oidc, OIDC_AUTO_PROVISION: 'true' } });
  // Without auto-provisioning: the operator's first admin (`npm run admin -- create`) is Grace's account.
  strict = await startStack({
    api: { ...oidc, OIDC_ONLY: 'true' },
    admin: { email: 'grace@example.com', name: 'Grace Hopper', password: 'unused password' },
  });
  idp.configure({
    clients: [{ ...CLIENT, redirectUris: [stack, strict].map((s) => `${s.url}/api/v1/auth/oidc/callback`) }],
    accounts: {
      grace: { email: 'grace@example.com', email_verified: true, name: 'Grace Hopper' },
      mallory: { email: 'ada@example.com', email_verified: false, name: 'Not Ada' },
      turing: { email: 'turing@example.com', email_verified: true, name: 'Alan Turing' },
    },
  });
});
afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => undefined);
  await strict?.close();
  await stack?.close();
  await idp?.close();
});

describe('signing in with the provider', () => {
  it('goes from the sign-in button through the provider’s page into the app, signed in', async () => {
    const page = await newPage(stack);
    await page.goto(`${stack.url}/signin`);
    await page.getByRole('link', { name: 'Sign in with Acme ID' }).click();
    await signInAtProvider(page, 'grace');
    await page.waitForURL(`${stack.url}/`);
    await page.getByRole('heading', { name: 'Create your first workspace', exact: true }).waitFor();
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    // A reload resumes the session from the refresh cookie, like any other sign-in.
    await page.reload();
    await page.getByRole('heading', { name: 'Create your first workspace', exact: true }).waitFor();
    expect(pageErrors).toEqual([]);
  });

  it('comes back to the page that asked for sign-in', async () => {
    const page = await newPage(stack);
    await page.goto(`${stack.url}/account/sessions`);
    await page.waitForURL((url) => url.pathname === '/signin');
    await page.getByRole('link', { name: 'Sign in with Acme ID' }).click();
    await signInAtProvider(page, 'grace');
    await page.waitForURL(`${stack.url}/account/sessions`);
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
  });

  it('explains a refused sign-in on the sign-in page, which passes its accessibility checks', async () => {
    const page = await newPage(stack);
    await page.goto(`${stack.url}/signin`);
    await page.getByRole('link', { name: 'Sign in with Acme ID' }).click();
    await signInAtProvider(page, 'mallory');
    await page.waitForURL(`${stack.url}/signin?oidc_error=unverified-email`);
    await page.getByRole('alert').getByText('Your provider has not verified your email address').waitFor();
    // The password form is still there beside the button.
    await page.getByLabel('Password').waitFor();
    // The pointer rests where the provider's button was; axe judges the page at rest, not a hovered control.
    await page.mouse.move(0, 0);
    const failing: string[] = [];
    for (const theme of THEMES) {
      await setTheme(page, theme);
      const all = await axeViolations(page);
      failing.push(
        ...report(
          'sign in (provider refused)',
          theme,
          all.filter((v) => v.impact === 'serious' || v.impact === 'critical'),
        ),
      );
    }
    expect(failing).toEqual([]);
  });
  it('asks an account with two-factor for its code after the provider, then lets it in', async () => {
    const page = await newPage(stack);
    await page.goto(`${stack.url}/signin`);
    await page.getByRole('link', { name: 'Sign in with Acme ID' }).click();
    await signInAtProvider(page, 'turing');
    await page.waitForURL(`${stack.url}/`);
    const { secret } = await callAs<{ secret: string }>(page, 'POST', '/me/totp');
    const totp = new TOTP({ secret: Secret.fromBase32(secret) });
    // The step before now confirms; the sign-in below uses the current one (each code works once).
    await callAs(page, 'POST', '/me/totp/confirm', {
      code: totp.generate({ timestamp: Date.now() - 30_000 }),
    });
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL((url) => url.pathname === '/signin');

    // The provider still knows this browser (its own session), so it sends it straight back this time.
    await page.getByRole('link', { name: 'Sign in with Acme ID' }).click();
    await page.getByRole('heading', { name: 'Two-factor sign-in', exact: true }).waitFor();
    // The challenge came in the address's fragment; the page took it out again.
    expect(new URL(page.url()).hash).toBe('');
    await page.getByLabel('Code').fill(totp.generate());
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.waitForURL(`${stack.url}/`);
    await page.getByRole('button', { name: 'Sign out' }).waitFor();

    // The account was made by the provider and has no password: turning two-factor off takes a code alone.
    await page.goto(`${stack.url}/account/security`);
    await page.getByLabel('Code or recovery code').fill(totp.generate({ timestamp: Date.now() + 30_000 }));
    expect(await page.getByLabel('Password').count()).toBe(0);
    await page.getByRole('button', { name: 'Turn off' }).click();
    await page.getByTestId('totp-status').getByText('Off').waitFor();
  });
});

describe('with OIDC only', () => {
  it('shows the provider’s button and no password form, sign-up or reset link', async () => {
    const page = await newPage(strict);
    await page.goto(`${strict.url}/signin`);
    const button = page.getByRole('link', { name: 'Sign in with Acme ID' });
    await button.waitFor();
    expect(await page.getByLabel('Password').count()).toBe(0);
    expect(await page.getByRole('link', { name: 'Create an account' }).count()).toBe(0);
    expect(await page.getByRole('link', { name: 'Forgot password?' }).count()).toBe(0);
    // By keyboard: Enter on the focused button follows it; the operator's admin lands signed in, as admin.
    await button.focus();
    await page.keyboard.press('Enter');
    await signInAtProvider(page, 'grace');
    await page.waitForURL(`${strict.url}/`);
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    await page.getByRole('link', { name: 'Admin' }).waitFor();
  });
});
