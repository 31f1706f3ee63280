import { DeleteObjectCommand, GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { once } from 'node:events';
import { dirname, join, resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { WorkerConfig } from '../config.js';

/**
 * Files where the API stores attachments: the trash purge removes them, an export reads them, an import writes
 * them (and its uploaded file and an export's zip live there too, under the same kind of key).
 */
export type AttachmentFiles = {
  /** A missing file is not an error, so a purge that is run again after a crash removes nothing twice. */
  remove(key: string): Promise<void>;
  /** The stored bytes; rejects when the key is missing. */
  read(key: string): Promise<Readable>;
  /** Stores `body` under `key`; a body that fails midway leaves nothing behind. */
  write(key: string, body: Readable, contentType: string): Promise<void>;
  close(): void;
};

// The API's key format (<workspace>/<task>/<uuid>): a key from the database never names a path outside the root.
const STORAGE_KEY = /^[0-9a-f-]{36}\/[0-9a-f-]{36}\/[0-9a-f-]{36}$/;
const checked = (key: string) => {
  if (!STORAGE_KEY.test(key)) throw new Error(`invalid storage key: ${key}`);
  return key;
};

/** The files of STORAGE_DRIVER: the directory STORAGE_DIR (the volume the API writes) or the S3 bucket. */
export function attachmentFilesFrom(config: WorkerConfig): AttachmentFiles {
  if (config.STORAGE_DRIVER === 's3') {
    const client = new S3Client({
      region: config.S3_REGION,
      forcePathStyle: config.S3_FORCE_PATH_STYLE,
      ...(config.S3_ENDPOINT ? { endpoint: config.S3_ENDPOINT } : {}),
      ...(config.S3_ACCESS_KEY_ID && config.S3_SECRET_ACCESS_KEY
        ? {
            credentials: {
              accessKeyId: config.S3_ACCESS_KEY_ID,
              secretAccessKey: config.S3_SECRET_ACCESS_KEY,
            },
          }
        : {}),
    });
    const Bucket = config.S3_BUCKET!;
    return {
      async remove(key) {
        await client.send(new DeleteObjectCommand({ Bucket, Key: checked(key) }));
      },
      async read(key) {
        const object = await client.send(new GetObjectCommand({ Bucket, Key: checked(key) }));
        return object.Body as Readable;
      },
      async write(key, body, contentType) {
        // Parts stream through (two 5 MiB parts in memory at most); a failure aborts the multipart upload.
        const params = { Bucket, Key: checked(key), Body: body, ContentType: contentType };
        await new Upload({ client, params, queueSize: 2, leavePartsOnError: false }).done();
      },
      close: () => client.destroy(),
    };
  }
  const root = resolve(config.STORAGE_DIR);
  return {
    remove: async (key) => rm(join(root, checked(key)), { force: true }),
    async read(key) {
      const stream = createReadStream(join(root, checked(key)));
      await once(stream, 'open');
      return stream;
    },
    async write(key, body) {
      // Written to a temporary name and renamed when complete, like the API does.
      const path = join(root, checked(key));
      await mkdir(dirname(path), { recursive: true });
      const partial = `${path}.${randomUUID()}.partial`;
      try {
        await pipeline(body, createWriteStream(partial, { flags: 'wx', mode: 0o640 }));
        await rename(partial, path);
      } catch (error) {
        await rm(partial, { force: true });
        throw error;
      }
    },
    close: () => {},
  };
}
