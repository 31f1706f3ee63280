import type { ApiConfig } from '../config.js';
import { LocalDiskStorage } from './local-disk.js';
import { S3Storage } from './s3.js';
import type { AttachmentStorage } from './storage.js';

export type { AttachmentStorage } from './storage.js';

/** The storage driver STORAGE_DRIVER names, configured from the validated environment. */
export function createStorage(config: ApiConfig): AttachmentStorage & { close?: () => void } {
  if (config.STORAGE_DRIVER === 's3') {
    return new S3Storage({
      endpoint: config.S3_ENDPOINT,
      region: config.S3_REGION,
      bucket: config.S3_BUCKET!,
      accessKeyId: config.S3_ACCESS_KEY_ID,
      secretAccessKey: config.S3_SECRET_ACCESS_KEY,
      forcePathStyle: config.S3_FORCE_PATH_STYLE,
    });
  }
  return new LocalDiskStorage(config.STORAGE_DIR);
}
