import { createHmac } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callAs, openPage, signInAs, workspaceWithProject } from './session.js';
import { startStack, type Stack } from './stack.js';

/**
 * Webhooks in the browser: an admin adds one pointing at a receiver on this machine and sees its secret once; a
 * task created through the app reaches the receiver signed with that secret; the delivery shows in the log, and a
 * replay of it arrives again with the same body. Editing moves it to another address and set of events; rotating
 * shows a new secret once, and from then on deliveries verify with it and no longer with the old one.
 */
const PASSWORD = 'correct horse battery';
const ada = { name: 'Ada Lovelace', email: 'ada@example.com' };

let stack: Stack;
let page: Page;
let workspaceId = '';
let projectId = '';
const pageErrors: string[] = [];
const received: { path: string; headers: http.IncomingHttpHeaders; body: string }[] = [];
let firstSecret = '';
let receiver: http.Server;
let receiverUrl = '';

beforeAll(async () => {
  receiver = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      received.push({ path: req.url ?? '/', headers: req.headers, body });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;
  stack = await startStack({ admin: { ...ada, password: PASSWORD } });
  page = await openPage(stack, pageErrors);
  await signInAs(stack, page, { ...ada, password: PASSWORD });
  ({ workspaceId, projectId } = await workspaceWithProject(page));
});
afterAll(async () => {
  await stack?.close();
  receiver?.closeAllConnections();
  receiver?.close();
});

const signatureOk = (r: (typeof received)[number], secret: string) => {
  const { t, v1 } = Object.fromEntries(
    String(r.headers['taskstack-signature'])
      .split(',')
      .map((part) => part.split('=') as [string, string]),
  );
  return createHmac('sha256', secret).update(`${t}.${r.body}`).digest('hex') === v1;
};

describe('webhooks', () => {
  it('adds a webhook, delivers a new task to it signed, logs the delivery and replays it', async () => {
    await page.goto(`${stack.url}/w/${workspaceId}`);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Webhooks' }).click();
    await page.getByRole('heading', { name: 'Webhooks', exact: true }).waitFor();
    await page.getByLabel('Payload URL').fill(receiverUrl);
    await page.getByLabel('Description').fill('Receiver');
    await page.getByRole('button', { name: 'Add webhook' }).click();
    const secretBox = page.getByTestId('webhook-secret');
    const secret = (await secretBox.locator('code').innerText()).trim();
    expect(secret).toMatch(/^whsec_/);
    firstSecret = secret;
    await page.getByRole('button', { name: 'Done' }).click();
    await expect.poll(() => secretBox.count()).toBe(0);
    const hook = page.getByTestId('webhooks').locator('li').filter({ hasText: receiverUrl });
    await hook.getByText('active').waitFor();

    await page.goto(`${stack.url}/w/${workspaceId}/projects/${projectId}`);
    await page.getByRole('button', { name: 'Add task to To do' }).click();
    await page.getByLabel('New task title in To do').fill('Write the announcement');
    await page.getByLabel('New task title in To do').press('Enter');
    await expect.poll(() => received.length, { timeout: 20_000 }).toBe(1);
    const first = received[0]!;
    expect(first.headers['taskstack-event']).toBe('task.created');
    expect(signatureOk(first, secret)).toBe(true);
    expect(JSON.parse(first.body)).toMatchObject({
      type: 'task.created',
      workspaceId,
      data: { task: { title: 'Write the announcement' } },
    });

    await page.goto(`${stack.url}/w/${workspaceId}/webhooks`);
    await hook.getByRole('button', { name: 'Deliveries' }).click();
    const log = hook.getByRole('table');
    const row = log.locator('tbody tr').filter({ hasText: 'task.created' });
    await row.filter({ hasText: 'succeeded' }).waitFor();
    await expect.poll(() => row.innerText()).toContain('HTTP 204');

    await row.getByRole('button', { name: 'Replay' }).click();
    await expect.poll(() => received.length, { timeout: 20_000 }).toBe(2);
    expect(received[1]!.body).toBe(first.body);
    expect(signatureOk(received[1]!, secret)).toBe(true);
    // The log refreshes by itself: the replay shows up, delivered.
    // By the row's name: every row's Replay button also holds the text "replay".
    await log.getByRole('row', { name: /replay succeeded/ }).waitFor();
    expect(pageErrors).toEqual([]);
  });

  it('edits the address and events, and a rotated secret signs from then on while the old one does not', async () => {
    await page.goto(`${stack.url}/w/${workspaceId}/webhooks`);
    const movedUrl = receiverUrl.replace(/\/hooks$/, '/moved');
    const hook = page.getByTestId('webhooks').locator('li').filter({ hasText: receiverUrl });
    await hook.getByRole('button', { name: 'Edit' }).click();
    const form = page.getByRole('form', { name: `Edit the webhook to ${receiverUrl}` });
    await form.getByLabel('Payload URL').fill('ftp://example.com/in');
    await form.getByRole('button', { name: 'Save' }).click();
    // The address is checked as a new webhook's is: refused, and nothing changed.
    await form.getByRole('alert').waitFor();
    await form.getByLabel('Payload URL').fill(movedUrl);
    await form.getByLabel('comment.created').check();
    await form.getByLabel('task.created').uncheck();
    await form.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => form.count()).toBe(0);
    const moved = page.getByTestId('webhooks').locator('li').filter({ hasText: movedUrl });
    await moved.waitFor();
    const [stored] = await callAs<{ url: string; events: string[] }[]>(
      page,
      'GET',
      `/workspaces/${workspaceId}/webhooks`,
    );
    expect(stored!.url).toBe(movedUrl);
    expect(stored!.events).toContain('comment.created');
    expect(stored!.events).not.toContain('task.created');

    page.once('dialog', (dialog) => void dialog.accept());
    await moved.getByRole('button', { name: 'Rotate secret' }).click();
    const secretBox = page.getByTestId('webhook-secret');
    await secretBox.getByText('New signing secret').waitFor();
    const rotated = (await secretBox.locator('code').innerText()).trim();
    expect(rotated).toMatch(/^whsec_/);
    expect(rotated).not.toBe(firstSecret);
    await page.getByRole('button', { name: 'Done' }).click();
    await expect.poll(() => secretBox.count()).toBe(0);

    const before = received.length;
    await moved.getByRole('button', { name: 'Ping' }).click();
    await expect.poll(() => received.length, { timeout: 20_000 }).toBe(before + 1);
    const ping = received.at(-1)!;
    expect(ping.path).toBe('/moved');
    expect(ping.headers['taskstack-event']).toBe('ping');
    expect(signatureOk(ping, rotated)).toBe(true);
    expect(signatureOk(ping, firstSecret)).toBe(false);
    expect(pageErrors).toEqual([]);
  });
});
