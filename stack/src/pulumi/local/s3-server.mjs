// The local stack's object store: s3rver serving the stack's buckets on all interfaces of its container
// (argv: port, buckets…).
// Plain JavaScript so the stock Node image runs it from the read-only repository without a TypeScript loader.
import S3rver from 's3rver';

const [port, ...buckets] = process.argv.slice(2);
const server = new S3rver({
  address: '0.0.0.0',
  port: Number(port),
  directory: '/tmp/s3',
  silent: true,
  configureBuckets: buckets.map((name) => ({ name })),
});
await server.run();
process.stdout.write(`s3rver: buckets ${buckets.join(', ')} on :${port}\n`);
process.on('SIGTERM', () => server.close().then(() => process.exit(0)));
