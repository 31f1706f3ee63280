/**
 * Entry run by Pulumi's deployment step (`node --conditions=@taskstack/source --import tsx stack/src/pulumi/deploy-main.ts`):
 * reads the request from stdin and deploys. Errors are one line; values are never printed, they are secrets.
 */
import { readFileSync } from 'node:fs';
import { deployOverSsh, remoteDeployRequest } from './deploy-remote.js';

/** The request, or undefined when stdin is not JSON (reported like any other bad request). */
function readRequest(): unknown {
  try {
    return JSON.parse(readFileSync(0, 'utf8'));
  } catch {
    return undefined;
  }
}

const parsed = remoteDeployRequest.safeParse(readRequest());
if (!parsed.success) {
  const fields = parsed.error.issues.map((issue) => issue.path.join('.') || '(not a JSON object)').join(', ');
  process.stderr.write(`deploy: bad request from Pulumi (fields: ${fields})\n`);
  process.exit(2);
}
deployOverSsh(parsed.data).catch((error: unknown) => {
  process.stderr.write(`deploy failed: ${(error as Error).message}\n`);
  process.exit(1);
});
