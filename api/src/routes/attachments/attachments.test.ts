import { Attachment, Membership } from '@taskstack/db';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildProject, createTask } from '../../../test/board-factories.js';
import { buildMember, buildUser, buildWorkspace, tokenFor } from '../../../test/factories.js';
import { startTestApi, type TestApi } from '../../../test/harness.js';
import { cleanFilename } from './receive-file.js';

const LIMIT = 100_000;
let api: TestApi;
let dir: string;
let workspace: { id: string };
let project: { id: string };
let member: { user: { id: string }; token: string };
let viewer: { user: { id: string }; token: string };
let outsider: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'taskstack-attachments-'));
  api = await startTestApi({ STORAGE_DRIVER: 'local', STORAGE_DIR: dir, MAX_UPLOAD_BYTES: String(LIMIT) });
  workspace = await buildWorkspace(await buildUser());
  project = await buildProject(workspace);
  member = await buildMember(api, workspace, 'member');
  viewer = await buildMember(api, workspace, 'viewer');
  outsider = await tokenFor(api, await buildUser());
});
afterAll(async () => {
  await api.close();
  rmSync(dir, { recursive: true, force: true });
});

const storedFiles = () =>
  readdirSync(dir, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile()).length;

function form(bytes: Uint8Array, filename = 'report.pdf', type = 'application/pdf', field = 'file') {
  const data = new FormData();
  data.append(field, new Blob([bytes], { type }), filename);
  return data;
}

const upload = (taskId: string, body: FormData | string, token = member.token, headers = {}) =>
  api.call('POST', `/api/v1/tasks/${taskId}/attachments`, { token, rawBody: body, headers });

describe('attachments on local disk', () => {
  it('uploads, lists and downloads a file as an attachment, never sniffed', async () => {
    const task = await createTask(api, member.token, project);
    const bytes = new TextEncoder().encode('<html><script>alert(1)</script></html>');
    const res = await upload(task.id, form(bytes, '../../evil.html', 'text/html'));
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      taskId: task.id,
      filename: 'evil.html',
      size: bytes.length,
      contentType: 'text/html',
      uploadedBy: member.user.id,
    });
    const list = await api.call('GET', `/api/v1/tasks/${task.id}/attachments`, { token: viewer.token });
    expect(list.body.map((a: { id: string }) => a.id)).toEqual([res.body.id]);

    const download = await fetch(`${api.url}/api/v1/attachments/${res.body.id}`, {
      headers: { authorization: `Bearer ${viewer.token}` },
    });
    expect(download.status).toBe(200);
    expect(download.headers.get('content-disposition')).toMatch(/^attachment; filename="?evil\.html"?$/);
    expect(download.headers.get('x-content-type-options')).toBe('nosniff');
    expect(download.headers.get('content-security-policy')).toMatch(/sandbox/);
    expect(new Uint8Array(await download.arrayBuffer())).toEqual(bytes);
  });

  it('answers 413 above MAX_UPLOAD_BYTES and stores nothing, whether declared or discovered while streaming', async () => {
    const task = await createTask(api, member.token, project);
    const files = storedFiles();
    const rows = await Attachment.count();
    // Just over the limit: passes the Content-Length pre-check, so the streaming limit must catch it.
    const slightly = await upload(task.id, form(new Uint8Array(LIMIT + 1)));
    expect(slightly.status).toBe(413);
    expect(slightly.body).toMatchObject({ title: 'Payload Too Large' });
    const far = await upload(task.id, form(new Uint8Array(LIMIT * 5)));
    expect(far.status).toBe(413);
    expect(storedFiles()).toBe(files);
    expect(await Attachment.count()).toBe(rows);
    const exact = await upload(task.id, form(new Uint8Array(LIMIT)));
    expect(exact).toMatchObject({ status: 201, body: { size: LIMIT } });
  });

  it('refuses requests that are not multipart or lack the file field', async () => {
    const task = await createTask(api, member.token, project);
    const plain = await upload(task.id, 'hello', member.token, { 'content-type': 'text/plain' });
    expect(plain.status).toBe(400);
    const wrongField = await upload(task.id, form(new Uint8Array(10), 'a.txt', 'text/plain', 'document'));
    expect(wrongField.status).toBe(400);
    expect(wrongField.body.detail).toMatch(/field named "file"/);
  });

  it('re-checks authorization on download: a removed member loses access at once', async () => {
    const task = await createTask(api, member.token, project);
    const leaving = await buildMember(api, workspace, 'viewer');
    const { body: file } = await upload(task.id, form(new Uint8Array([1, 2, 3])));
    const path = `/api/v1/attachments/${file.id}`;
    expect((await api.call('GET', path, { token: leaving.token })).status).toBe(200);
    await Membership.destroy({ where: { userId: leaving.user.id, workspaceId: workspace.id } });
    expect((await api.call('GET', path, { token: leaving.token })).status).toBe(404);
    expect((await api.call('GET', path, { token: outsider })).status).toBe(404);
    expect((await api.call('GET', path)).status).toBe(401);
  });

  it('lets members delete (file removed too) and keeps viewers and strangers out', async () => {
    const task = await createTask(api, member.token, project);
    expect((await upload(task.id, form(new Uint8Array(5)), viewer.token)).status).toBe(403);
    expect((await upload(task.id, form(new Uint8Array(5)), outsider)).status).toBe(404);
    const { body: file } = await upload(task.id, form(new Uint8Array(5)));
    const files = storedFiles();
    expect((await api.call('DELETE', `/api/v1/attachments/${file.id}`, { token: viewer.token })).status).toBe(
      403,
    );
    expect((await api.call('DELETE', `/api/v1/attachments/${file.id}`, { token: member.token })).status).toBe(
      204,
    );
    expect(storedFiles()).toBe(files - 1);
    expect((await api.call('GET', `/api/v1/attachments/${file.id}`, { token: member.token })).status).toBe(
      404,
    );
  });

  it("keeps a trashed task's files until an admin purges it", async () => {
    const admin = await buildMember(api, workspace, 'admin');
    const task = await createTask(api, member.token, project);
    await upload(task.id, form(new Uint8Array(5)));
    await upload(task.id, form(new Uint8Array(6)));
    const files = storedFiles();
    expect((await api.call('DELETE', `/api/v1/tasks/${task.id}`, { token: member.token })).status).toBe(204);
    expect(storedFiles()).toBe(files);
    const purged = await api.call('DELETE', `/api/v1/trash/task/${task.id}`, { token: admin.token });
    expect(purged.status).toBe(204);
    await expect.poll(storedFiles).toBe(files - 2);
  });

  it("removes a trashed project's files when an admin purges it", async () => {
    const admin = await buildMember(api, workspace, 'admin');
    const doomed = await buildProject(workspace);
    const task = await createTask(api, member.token, doomed);
    await upload(task.id, form(new Uint8Array(7)));
    const files = storedFiles();
    expect((await api.call('DELETE', `/api/v1/projects/${doomed.id}`, { token: admin.token })).status).toBe(
      204,
    );
    expect(storedFiles()).toBe(files);
    expect(
      (await api.call('DELETE', `/api/v1/trash/project/${doomed.id}`, { token: admin.token })).status,
    ).toBe(204);
    await expect.poll(storedFiles).toBe(files - 1);
    expect(await Attachment.count({ where: { taskId: task.id } })).toBe(0);
  });

  it('reads UTF-8 file names and keeps no C1 or bidi control characters', async () => {
    const task = await createTask(api, member.token, project);
    const res = await upload(task.id, form(new Uint8Array([1]), 'résumé\u202etxt.exe\u0085.pdf'));
    expect(res.status).toBe(201);
    expect(res.body.filename).toBe('résumétxt.exe.pdf');
  });

  it('cleans file names', () => {
    expect(cleanFilename('C:\\Users\\me\\plan.txt')).toBe('plan.txt');
    expect(cleanFilename('a\u2066b\u200fc\u061c\u009b.txt')).toBe('abc.txt');
    expect(cleanFilename(`${'x'.repeat(254)}😀😀`)).toBe(`${'x'.repeat(254)}😀`);
    expect(cleanFilename('a\u0000b\nc.txt')).toBe('abc.txt');
    expect(cleanFilename(undefined)).toBe('file');
    expect(cleanFilename('x'.repeat(300)).length).toBe(255);
  });
});
