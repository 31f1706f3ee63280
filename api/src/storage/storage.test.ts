import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startS3Server } from '@taskstack/devservices';
import { LocalDiskStorage } from './local-disk.js';
import { S3Storage } from './s3.js';
import type { AttachmentStorage } from './storage.js';

const key = () => `${randomUUID()}/${randomUUID()}/${randomUUID()}`;

/** A body produced chunk by chunk (never one buffer), optionally failing after `failAfter` chunks. */
function chunked(chunks: Buffer[], failAfter?: number): Readable {
  let i = 0;
  return new Readable({
    read() {
      if (failAfter !== undefined && i === failAfter) return this.destroy(new Error('client went away'));
      this.push(i < chunks.length ? chunks[i++] : null);
    },
  });
}

async function readAll(stream: Readable): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const part of stream) parts.push(part as Buffer);
  return Buffer.concat(parts);
}

let dir: string;
let s3: Awaited<ReturnType<typeof startS3Server>>;
let s3Storage: S3Storage;
const listed: Record<string, () => Promise<string[]>> = {};
const drivers: Record<string, AttachmentStorage> = {};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'taskstack-local-'));
  s3 = await startS3Server();
  s3Storage = new S3Storage({
    endpoint: s3.env.S3_ENDPOINT,
    region: 'us-east-1',
    bucket: s3.env.S3_BUCKET,
    accessKeyId: 'S3RVER',
    secretAccessKey: 'S3RVER',
    forcePathStyle: true,
  });
  drivers.local = new LocalDiskStorage(dir);
  drivers.s3 = s3Storage;
  listed.local = async () =>
    readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => e.name);
  listed.s3 = s3.keys;
});
afterAll(async () => {
  s3Storage.close();
  await s3.close();
  rmSync(dir, { recursive: true, force: true });
});

describe.each(['local', 's3'])('%s storage driver', (name) => {
  it('streams a multi-part body in and out unchanged, then removes it', async () => {
    const storage = drivers[name]!;
    // 6 MiB in 64 KiB chunks: more than one S3 part (5 MiB), so the multipart path runs.
    const chunks = Array.from({ length: 96 }, () => randomBytes(64 * 1024));
    const k = key();
    await storage.put(k, chunked(chunks), 'application/pdf');
    expect((await readAll(await storage.get(k))).equals(Buffer.concat(chunks))).toBe(true);
    await storage.remove(k);
    await expect(storage.get(k)).rejects.toThrow();
    await storage.remove(k);
  });

  it('leaves nothing behind when the body fails midway', async () => {
    const storage = drivers[name]!;
    const before = await listed[name]!();
    const chunks = Array.from({ length: 120 }, () => randomBytes(64 * 1024));
    await expect(storage.put(key(), chunked(chunks, 90), 'text/plain')).rejects.toThrow();
    expect(await listed[name]!()).toEqual(before);
  });

  it('refuses keys it did not generate', async () => {
    await expect(drivers[name]!.get('../../etc/passwd')).rejects.toThrow(/invalid storage key/);
  });
});
