/**
 * Entry run by Pulumi's deployment step (`node --conditions=source --import tsx stack/src/pulumi/deploy-main.ts`):
 * reads the request from stdin and deploys. Errors are one line; values are never printed, they are secrets.
 */
import { readFileSync } from 'node:fs';
import { deployOverSsh, remoteDeployRequest } from './deploy-remote.js';

const parsed = remoteDeployRequest.safeParse(JSON.parse(readFileSync(0, 'utf8')));
if (!parsed.success) {
  const fields = parsed.error.issues.map((issue) => issue.path.join('.')).join(', ');
  process.stderr.write(`deploy: bad request from Pulumi (fields: ${fields})\n`);
  process.exit(2);
}
deployOverSsh(parsed.data).catch((error: unknown) => {
  process.stderr.write(`deploy failed: ${(error as Error).message}\n`);
  process.exit(1);
});
