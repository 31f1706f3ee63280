import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildProject, createTask } from '../../../test/board-factories.js';
import { buildMember, buildUser, buildWorkspace } from '../../../test/factories.js';
import { startTestApi, type TestApi } from '../../../test/harness.js';
import { startS3Server } from '@taskstack/devservices';

const LIMIT = 7 * 1024 * 1024;
let s3: Awaited<ReturnType<typeof startS3Server>>;
let api: TestApi;
let token: string;
let task: { id: string };

beforeAll(async () => {
  s3 = await startS3Server();
  api = await startTestApi({ ...s3.env, STORAGE_DRIVER: 's3', MAX_UPLOAD_BYTES: String(LIMIT) });
  const workspace = await buildWorkspace(await buildUser());
  token = (await buildMember(api, workspace, 'member')).token;
  task = await createTask(api, token, await buildProject(workspace));
});
afterAll(async () => {
  await api.close();
  await s3.close();
});

function form(bytes: Uint8Array) {
  const data = new FormData();
  data.append('file', new Blob([bytes], { type: 'application/octet-stream' }), 'data.bin');
  return data;
}

describe('attachments in S3-compatible storage', () => {
  it('streams an upload of several parts to the bucket and back', async () => {
    const bytes = new Uint8Array(6 * 1024 * 1024).map((_, i) => i % 251);
    const res = await api.call('POST', `/api/v1/tasks/${task.id}/attachments`, {
      token,
      rawBody: form(bytes),
    });
    expect(res).toMatchObject({ status: 201, body: { size: bytes.length, filename: 'data.bin' } });
    expect(await s3.keys()).toHaveLength(1);
    const download = await fetch(`${api.url}/api/v1/attachments/${res.body.id}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(download.status).toBe(200);
    expect(Buffer.from(await download.arrayBuffer()).equals(Buffer.from(bytes))).toBe(true);
    expect((await api.call('DELETE', `/api/v1/attachments/${res.body.id}`, { token })).status).toBe(204);
    expect(await s3.keys()).toHaveLength(0);
  });

  it('answers 413 above MAX_UPLOAD_BYTES and leaves no object in the bucket', async () => {
    const res = await api.call('POST', `/api/v1/tasks/${task.id}/attachments`, {
      token,
      rawBody: form(new Uint8Array(LIMIT + 1)),
    });
    expect(res.status).toBe(413);
    expect(await s3.keys()).toEqual([]);
  });
});
