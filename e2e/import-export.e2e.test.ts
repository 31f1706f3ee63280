import type { BrowserContext, Page } from 'playwright-core';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import yauzl from 'yauzl';
import { callAs } from './session.js';
import { startStack, type Stack } from './stack.js';

/**
 * Import and export in the browser, against the real API and worker: an admin exports the workspace and downloads
 * the zip (its workspace.json holds the task made through the app), then imports a CSV with the column mapping the
 * screen guessed from its header, and reads the report.
 */
const PASSWORD = 'correct horse battery';
const ada = { name: 'Ada Lovelace', email: 'ada@example.com' };

let stack: Stack;
let context: BrowserContext;
let page: Page;
let workspaceId = '';
const pageErrors: string[] = [];

beforeAll(async () => {
  stack = await startStack({ admin: { ...ada, password: PASSWORD } });
  context = await stack.browser.newContext({
    viewport: { width: 1280, height: 800 },
    reducedMotion: 'reduce',
    acceptDownloads: true,
  });
  page = await context.newPage();
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await page.goto(`${stack.url}/signin`);
  await page.getByLabel('Email').fill(ada.email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((url) => !url.pathname.startsWith('/signin'));
  workspaceId = (await callAs<{ id: string }>(page, 'POST', '/workspaces', { name: 'Acme' })).id;
  const project = await callAs<{ id: string }>(page, 'POST', `/workspaces/${workspaceId}/projects`, {
    name: 'Launch',
  });
  await callAs(page, 'POST', `/projects/${project.id}/tasks`, {
    title: 'Write the press release',
    status: 'in_progress',
  });
});
afterAll(async () => {
  await stack?.close();
});

/** One entry of a zip file on disk, as text. */
async function entryText(path: string, name: string): Promise<string | undefined> {
  const zip = await yauzl.fromBufferPromise(await readFile(path), { lazyEntries: true });
  for await (const entry of zip.eachEntry()) {
    if (entry.fileName !== name) continue;
    const chunks: Buffer[] = [];
    for await (const chunk of await zip.openReadStreamPromise(entry)) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  }
  return undefined;
}

describe('import and export', () => {
  it('exports the workspace and downloads the zip', async () => {
    await page.goto(`${stack.url}/w/${workspaceId}/projects`);
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Import & export' })
      .click();
    await page.getByRole('heading', { name: 'Import & export', exact: true }).waitFor();
    await page.getByRole('button', { name: 'Export workspace' }).click();
    const downloadButton = page.getByRole('button', { name: /^Download Acme-\d{4}-\d{2}-\d{2}\.zip$/ });
    await downloadButton.waitFor({ timeout: 30_000 });
    const [download] = await Promise.all([page.waitForEvent('download'), downloadButton.click()]);
    expect(download.suggestedFilename()).toMatch(/^Acme-.*\.zip$/);
    const doc = JSON.parse((await entryText((await download.path())!, 'workspace.json'))!);
    expect(doc.projects[0]).toMatchObject({
      name: 'Launch',
      tasks: [
        expect.objectContaining({
          title: 'Write the press release',
          status: 'in_progress',
          createdBy: ada.email,
        }),
      ],
    });
    await page.getByRole('listitem', { name: 'Export, Done' }).waitFor();
  });

  it('imports a CSV with the mapping guessed from its header and shows the report', async () => {
    await page.getByLabel('Source').selectOption('csv');
    await page.getByLabel('File', { exact: true }).setInputFiles({
      name: 'backlog.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(
        'Title,Status,Owner\nBook the venue,done,ada@example.com\nOrder snacks,todo,zoe@elsewhere.test\n,todo,\n',
      ),
    });
    await expect.poll(() => page.getByLabel('Title', { exact: true }).inputValue()).toBe('Title');
    expect(await page.getByLabel('Assignee email').inputValue()).toBe('Owner');
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    const row = page.getByRole('listitem', { name: 'Import from CSV file, Done' });
    await row.waitFor({ timeout: 30_000 });
    await row.getByText('Created: 2 tasks, 1 projects').waitFor();
    await row.getByText('1 × row: its title is empty').waitFor();
    await row.getByText('zoe@elsewhere.test').waitFor();
    const projects = await callAs<{ name: string }[]>(page, 'GET', `/workspaces/${workspaceId}/projects`);
    expect(projects.map((p) => p.name).sort()).toEqual(['Launch', 'backlog']);
    expect(pageErrors).toEqual([]);
  });
});
