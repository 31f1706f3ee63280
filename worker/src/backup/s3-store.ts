import {
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { backupTime, manifestName } from './names.js';

export type S3Settings = {
  S3_ENDPOINT?: string | undefined;
  S3_REGION: string;
  S3_FORCE_PATH_STYLE: boolean;
  S3_BACKUP_BUCKET?: string | undefined;
  S3_BACKUP_ACCESS_KEY_ID?: string | undefined;
  S3_BACKUP_SECRET_ACCESS_KEY?: string | undefined;
  S3_BACKUP_PREFIX: string;
};

/** Off-site copies of backups in S3-compatible storage (DigitalOcean Spaces): a bucket of their own, one key prefix. */
export class S3BackupStore {
  private readonly client: S3Client;
  readonly bucket: string;
  private readonly prefix: string;

  constructor(settings: S3Settings & { S3_BACKUP_BUCKET: string }) {
    this.bucket = settings.S3_BACKUP_BUCKET;
    this.prefix = settings.S3_BACKUP_PREFIX;
    this.client = new S3Client({
      region: settings.S3_REGION,
      forcePathStyle: settings.S3_FORCE_PATH_STYLE,
      ...(settings.S3_ENDPOINT ? { endpoint: settings.S3_ENDPOINT } : {}),
      ...(settings.S3_BACKUP_ACCESS_KEY_ID && settings.S3_BACKUP_SECRET_ACCESS_KEY
        ? {
            credentials: {
              accessKeyId: settings.S3_BACKUP_ACCESS_KEY_ID,
              secretAccessKey: settings.S3_BACKUP_SECRET_ACCESS_KEY,
            },
          }
        : {}),
    });
  }

  key(name: string): string {
    return `${this.prefix}${name}`;
  }

  /** Streams the dump up in 8 MiB parts (never whole in memory), then its manifest; returns the dump's key. */
  async upload(dir: string, name: string): Promise<string> {
    await new Upload({
      client: this.client,
      params: { Bucket: this.bucket, Key: this.key(name), Body: createReadStream(join(dir, name)) },
      partSize: 8 * 1024 * 1024,
      queueSize: 2,
    }).done();
    await this.client.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: this.key(manifestName(name)),
        Body: await readFile(join(dir, manifestName(name))),
        ContentType: 'application/json',
      }),
    );
    return this.key(name);
  }

  /** Names (without the prefix) of the backups stored remotely. */
  async list(): Promise<string[]> {
    const names: string[] = [];
    let token: string | undefined;
    do {
      const page = await this.client.send(
        new ListObjectsV2Command({ Bucket: this.bucket, Prefix: this.prefix, ContinuationToken: token }),
      );
      for (const object of page.Contents ?? []) {
        const name = (object.Key ?? '').slice(this.prefix.length);
        if (!name.includes('/') && backupTime(name)) names.push(name);
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return names;
  }

  async remove(name: string): Promise<void> {
    for (const key of [this.key(name), this.key(manifestName(name))]) {
      await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
    }
  }

  /** Fetches a backup and its manifest into `dir` (each via `.tmp` + rename); returns the local dump path. */
  async download(name: string, dir: string): Promise<string> {
    await mkdir(dir, { recursive: true });
    for (const file of [manifestName(name), name]) {
      const target = join(dir, file);
      const object = await this.client.send(
        new GetObjectCommand({ Bucket: this.bucket, Key: this.key(file) }),
      );
      try {
        await pipeline(object.Body as Readable, createWriteStream(`${target}.tmp`));
        await rename(`${target}.tmp`, target);
      } catch (error) {
        await rm(`${target}.tmp`, { force: true });
        throw error;
      }
    }
    return join(dir, name);
  }

  close(): void {
    this.client.destroy();
  }
}

/** The store when S3_BACKUP_BUCKET is configured; backups stay local-only otherwise. */
export function s3StoreFrom(settings: S3Settings): S3BackupStore | undefined {
  const bucket = settings.S3_BACKUP_BUCKET;
  return bucket ? new S3BackupStore({ ...settings, S3_BACKUP_BUCKET: bucket }) : undefined;
}
