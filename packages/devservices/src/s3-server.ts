import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// @ts-expect-error -- s3rver ships no type declarations; the part used here is typed below.
import S3rverUntyped from 's3rver';
import { makeCertificates } from './certificates.js';
import { freePort } from './processes.js';

type S3rverOptions = {
  port: number;
  address: string;
  silent?: boolean;
  directory: string;
  configureBuckets?: Array<{ name: string }>;
  key?: Buffer;
  cert?: Buffer;
};
const S3rver = S3rverUntyped as new (options: S3rverOptions) => {
  run(): Promise<unknown>;
  close(): Promise<void>;
};

/**
 * A real S3-compatible server (s3rver) on loopback with the uploads' bucket and the backups' own `<bucket>-backups`,
 * the S3_* settings that reach them, and a lister. s3rver takes any key, so the two logins only differ in name here.
 * With `tls`, it serves HTTPS with a certificate for `localhost` from a CA of its own (`caFile`: what clients trust), as
 * pgBackRest insists on TLS for S3.
 */
export async function startS3Server(bucket = 'taskstack', options: { tls?: boolean } = {}) {
  const backupBucket = `${bucket}-backups`;
  const directory = mkdtempSync(join(tmpdir(), 'taskstack-s3-'));
  // Readable by other users: pgBackRest runs as the database server's user and reads the certificate here.
  chmodSync(directory, 0o755);
  const tls = options.tls ? makeCertificates(directory, ['localhost']) : undefined;
  if (tls) chmodSync(tls.caFile, 0o644);
  const port = await freePort();
  const server = new S3rver({
    port,
    address: '127.0.0.1',
    silent: true,
    directory: join(directory, 'data'),
    configureBuckets: [{ name: bucket }, { name: backupBucket }],
    ...(tls && { key: readFileSync(tls.keyFile), cert: readFileSync(tls.certFile) }),
  });
  await server.run();
  const endpoint = tls ? `https://localhost:${port}` : `http://127.0.0.1:${port}`;
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
    port,
    /** With `tls`: the certificate to trust. */
    caFile: tls?.caFile,
    /** Keys of every object in the uploads' bucket, or in `of` (e.g. the backups' bucket); without `tls` only. */
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
