import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildMember, buildUser, buildWorkspace, tokenFor } from '../../../test/factories.js';
import { startTestApi, type TestApi } from '../../../test/harness.js';
import { LocalDiskStorage } from '../../storage/local-disk.js';

let api: TestApi;
let owner: string;
let member: string;
let workspace: { id: string };
const filesDir = mkdtempSync(join(tmpdir(), 'taskstack-transfer-api-'));
const storage = new LocalDiskStorage(filesDir);

beforeAll(async () => {
  api = await startTestApi({ STORAGE_DIR: filesDir, IMPORT_MAX_BYTES: '1000' });
  const founder = await buildUser();
  workspace = await buildWorkspace(founder);
  owner = await tokenFor(api, founder);
  member = (await buildMember(api, workspace, 'member')).token;
});
afterAll(async () => {
  await api.close();
  rmSync(filesDir, { recursive: true, force: true });
});

const base = (ws = workspace.id) => `/api/v1/workspaces/${ws}`;
const form = (text: string | Uint8Array, name = 'board.json') => {
  const f = new FormData();
  f.append('file', new Blob([text]), name);
  return f;
};
/** The jobs waiting on the transfers queue (no worker runs here, so they stay there). */
const waiting = async () =>
  (await api.context.transfers.queue.getJobs(['waiting'])).map((job) => ({ name: job.name, data: job.data }));
const finish = (id: string) =>
  api.context.sql.query(`UPDATE workspace_transfers SET status = 'succeeded' WHERE id = $1`, [id]);

describe('import and export routes', () => {
  it('queues an export once at a time and serves its zip only while it is ready', async () => {
    const res = await api.call('POST', `${base()}/exports`, { token: owner });
    expect(res).toMatchObject({
      status: 202,
      body: { kind: 'export', status: 'queued', progress: 0, downloadable: false, report: null },
    });
    expect(await waiting()).toContainEqual({ name: 'export-workspace', data: { transferId: res.body.id } });
    const again = await api.call('POST', `${base()}/exports`, { token: owner });
    expect(again).toMatchObject({
      status: 409,
      body: { detail: expect.stringMatching(/already queued or running/) },
    });

    const download = `${base()}/transfers/${res.body.id}/download`;
    expect((await api.call('GET', download, { token: owner })).status).toBe(404);
    // What the worker does at the end: the zip stored, the row finished with its expiry.
    const key = `${workspace.id}/${res.body.id}/${crypto.randomUUID()}`;
    await storage.put(key, Readable.from([Buffer.from('PK zip bytes')]));
    await api.context.sql.query(
      `UPDATE workspace_transfers SET status = 'succeeded', progress = 100, file_key = $2, file_name = 'Acme.zip',
         file_size = 12, expires_at = now() + interval '1 hour' WHERE id = $1`,
      [res.body.id, key],
    );
    const shown = await api.call('GET', `${base()}/transfers/${res.body.id}`, { token: owner });
    expect(shown.body).toMatchObject({
      status: 'succeeded',
      progress: 100,
      downloadable: true,
      fileName: 'Acme.zip',
    });
    const file = await fetch(`${api.url}${download}`, { headers: { authorization: `Bearer ${owner}` } });
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toBe('application/zip');
    expect(file.headers.get('content-disposition')).toContain('Acme.zip');
    expect(await file.text()).toBe('PK zip bytes');

    await api.context.sql.query(`UPDATE workspace_transfers SET expires_at = now() WHERE id = $1`, [
      res.body.id,
    ]);
    expect((await api.call('GET', download, { token: owner })).status).toBe(404);
  });

  it('stores an upload and queues its import, with the CSV mapping it was given', async () => {
    const res = await api.call('POST', `${base()}/imports?source=csv&titleColumn=Name&statusColumn=State`, {
      token: owner,
      rawBody: form('Name,State\nA,done\n', 'tasks.csv'),
    });
    expect(res).toMatchObject({
      status: 202,
      body: { kind: 'import', source: 'csv', status: 'queued', fileName: 'tasks.csv', fileSize: 18 },
    });
    expect(await waiting()).toContainEqual({ name: 'import-workspace', data: { transferId: res.body.id } });
    const [row] = (
      await api.context.sql.query(`SELECT options, file_key FROM workspace_transfers WHERE id = $1`, [
        res.body.id,
      ])
    ).rows as { options: unknown; file_key: string }[];
    expect(row!.options).toEqual({ mapping: { title: 'Name', status: 'State' } });
    const stored: Buffer[] = [];
    for await (const chunk of await storage.get(row!.file_key)) stored.push(chunk as Buffer);
    expect(Buffer.concat(stored).toString()).toBe('Name,State\nA,done\n');

    const second = await api.call('POST', `${base()}/imports?source=trello`, {
      token: owner,
      rawBody: form('{}'),
    });
    expect(second.status).toBe(409);
    await finish(res.body.id);
    const list = await api.call('GET', `${base()}/transfers`, { token: owner });
    expect(list.body.map((t: { id: string }) => t.id)).toContain(res.body.id);
  });

  it('answers bad uploads with 4xx and stores nothing', async () => {
    const count = async () =>
      Number(
        (await api.context.sql.query(`SELECT count(*) AS n FROM workspace_transfers WHERE kind = 'import'`))
          .rows[0]!.n,
      );
    const before = await count();
    const tooBig = await api.call('POST', `${base()}/imports?source=trello`, {
      token: owner,
      rawBody: form(new Uint8Array(1001)),
    });
    expect(tooBig).toMatchObject({ status: 413, body: { detail: 'Files are limited to 1000 bytes.' } });
    const noTitle = await api.call('POST', `${base()}/imports?source=csv`, {
      token: owner,
      rawBody: form('a,b'),
    });
    expect(noTitle).toMatchObject({ status: 400, body: { detail: expect.stringMatching(/titleColumn/) } });
    const badSource = await api.call('POST', `${base()}/imports?source=asana`, {
      token: owner,
      rawBody: form('{}'),
    });
    expect(badSource.status).toBe(400);
    const notMultipart = await api.call('POST', `${base()}/imports?source=trello`, {
      token: owner,
      body: {},
    });
    expect(notMultipart.status).toBe(400);
    const empty = await api.call('POST', `${base()}/imports?source=trello`, {
      token: owner,
      rawBody: form(''),
    });
    expect(empty).toMatchObject({ status: 400, body: { detail: 'The file is empty.' } });
    expect(await count()).toBe(before);
  });

  it('is for admins: a member gets 403, another workspace 404', async () => {
    expect((await api.call('POST', `${base()}/exports`, { token: member })).status).toBe(403);
    expect((await api.call('GET', `${base()}/transfers`, { token: member })).status).toBe(403);
    const other = await buildWorkspace(await buildUser());
    expect((await api.call('GET', `${base(other.id)}/transfers`, { token: owner })).status).toBe(404);
  });
});
