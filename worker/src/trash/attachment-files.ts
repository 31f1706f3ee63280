import { DeleteObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { WorkerConfig } from '../config.js';

/** Removes attachment files where the API stored them; the worker never reads or writes one. */
export type AttachmentFiles = {
  /** A missing file is not an error, so a purge that is run again after a crash removes nothing twice. */
  remove(key: string): Promise<void>;
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
    return {
      async remove(key) {
        await client.send(new DeleteObjectCommand({ Bucket: config.S3_BUCKET!, Key: checked(key) }));
      },
      close: () => client.destroy(),
    };
  }
  const root = resolve(config.STORAGE_DIR);
  return {
    remove: async (key) => rm(join(root, checked(key)), { force: true }),
    close: () => {},
  };
}
