import { createInstanceAdmin } from '../src/commands/create-instance-admin.js';
import type { TestApi } from './harness.js';
import { refreshCookieOf } from './sessions.js';

let counter = 0;
/**
 * The deliberate first admin, as `npm run admin -- create` makes one (the same command, without the argument
 * parsing the CLI's own test covers), signed in through the API. Signing up makes no admin.
 */
export async function signInAsInstanceAdmin(api: TestApi) {
  counter += 1;
  const email = `admin-${process.pid}-${counter}-${Date.now()}@example.com`;
  const password = 'correct horse battery';
  await createInstanceAdmin(api.context.sql, { email, name: `Admin ${counter}`, password });
  const res = await api.call('POST', '/api/v1/auth/login', { body: { email, password } });
  if (res.status !== 200) throw new Error(`login answered ${res.status}: ${JSON.stringify(res.body)}`);
  return {
    email,
    password,
    user: res.body.user as { id: string; email: string; isInstanceAdmin: boolean },
    token: res.body.accessToken as string,
    refresh: refreshCookieOf(res.headers)!,
  };
}
