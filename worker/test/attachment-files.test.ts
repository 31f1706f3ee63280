import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { startS3Server } from '@taskstack/devservices';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attachmentFilesFrom } from '../src/trash/attachment-files.js';
import { testConfig } from './helpers.js';

let s3: Awaited<ReturnType<typeof startS3Server>>;
let dir: string;

beforeAll(async () => {
  s3 = await startS3Server('attachments');
  dir = mkdtempSync(join(tmpdir(), 'taskstack-attachment-files-'));
});
afterAll(async () => {
  await s3?.close();
  rmSync(dir, { recursive: true, force: true });
});

const key = () => `${randomUUID()}/${randomUUID()}/${randomUUID()}`;

describe('attachment files the purge removes', () => {
  it('removes a file from the S3 bucket, a missing one without error, and refuses a key that is not ours', async () => {
    const config = await testConfig('postgres://unused/db', { ...s3.env, STORAGE_DRIVER: 's3' });
    const files = attachmentFilesFrom(config);
    const client = new S3Client({
      endpoint: s3.env.S3_ENDPOINT,
      region: s3.env.S3_REGION,
      forcePathStyle: true,
      credentials: { accessKeyId: s3.env.S3_ACCESS_KEY_ID, secretAccessKey: s3.env.S3_SECRET_ACCESS_KEY },
    });
    try {
      const doomed = key();
      const kept = key();
      for (const k of [doomed, kept]) {
        await client.send(new PutObjectCommand({ Bucket: 'attachments', Key: k, Body: 'x' }));
      }
      await files.remove(doomed);
      await files.remove(key());
      expect(await s3.keys()).toEqual([kept]);
      await expect(files.remove('../../etc/passwd')).rejects.toThrow(/invalid storage key/);
    } finally {
      client.destroy();
      files.close();
    }
  });

  it('removes a file under STORAGE_DIR and never one outside it', async () => {
    const config = await testConfig('postgres://unused/db', { STORAGE_DRIVER: 'local', STORAGE_DIR: dir });
    const files = attachmentFilesFrom(config);
    const doomed = join(dir, key());
    mkdirSync(dirname(doomed), { recursive: true });
    writeFileSync(doomed, 'x');
    await files.remove(doomed.slice(dir.length + 1));
    expect(existsSync(doomed)).toBe(false);
    await files.remove(key());
    await expect(files.remove(`${randomUUID()}/../../x`)).rejects.toThrow(/invalid storage key/);
  });
});
