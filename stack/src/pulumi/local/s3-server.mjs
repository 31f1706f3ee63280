// The local stack's object store: s3rver serving one bucket on all interfaces of its container (argv: bucket, port).
// Plain JavaScript so the stock Node image runs it from the read-only repository without a TypeScript loader.
import S3rver from 's3rver';

const [bucket, port] = process.argv.slice(2);
const server = new S3rver({
  address: '0.0.0.0',
  port: Number(port),
  directory: '/tmp/s3',
  silent: true,
  configureBuckets: [{ name: bucket }],
});
await server.run();
process.stdout.write(`s3rver: bucket ${bucket} on :${port}\n`);
process.on('SIGTERM', () => server.close().then(() => process.exit(0)));
