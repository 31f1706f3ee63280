import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// @ts-expect-error -- s3rver ships no type declarations; the part used here is typed below.
import S3rverUntyped from 's3rver';
import { freePort } from './processes.js';

type S3rverOptions = {
  port: number;
  address: string;
  silent?: boolean;
  directory: string;
  configureBuckets?: Array<{ name: string }>;
};
const S3rver = S3rverUntyped as new (options: S3rverOptions) => {
  run(): Promise<unknown>;
  close(): Promise<void>;
};

/**
 * A real S3-compatible server (s3rver) on loopback with the uploads' bucket and the backups' own `<bucket>-backups`,
 * the S3_* settings that reach them, and a lister. s3rver takes any key, so the two logins only differ in name here.
 */
export async function startS3Server(bucket = 'taskstack') {
  const backupBucket = `${bucket}-backups`;
  const directory = mkdtempSync(join(tmpdir(), 'taskstack-s3-'));
  const port = await freePort();
  const server = new S3rver({
    port,
    address: '127.0.0.1',
    silent: true,
    directory,
    configureBuckets: [{ name: bucket }, { name: backupBucket }],
  });
  await server.run();
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new S3Client({
    endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
  });
  return {
    env: {
      S3_ENDPOINT: endpoint,
      S3_REGION: 'us-east-1',
      S3_BUCKET: bucket,
      S3_ACCESS_KEY_ID: 'S3RVER',
      S3_SECRET_ACCESS_KEY: 'S3RVER',
      S3_FORCE_PATH_STYLE: 'true',
      S3_BACKUP_BUCKET: backupBucket,
      S3_BACKUP_ACCESS_KEY_ID: 'S3RVER',
      S3_BACKUP_SECRET_ACCESS_KEY: 'S3RVER',
    },
    /** Keys of every object in the uploads' bucket, or in `of` (e.g. the backups' bucket). */
    keys: async (of = bucket) => {
      const listed = await client.send(new ListObjectsV2Command({ Bucket: of }));
      return (listed.Contents ?? []).map((object) => object.Key!);
    },
    close: async () => {
      client.destroy();
      await server.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
