import type { TestApi } from './harness.js';

/** The refresh token from a response's Set-Cookie, as a browser would keep it. */
export function refreshCookieOf(headers: Headers): string | undefined {
  const cookie = headers.getSetCookie().find((c) => c.startsWith('taskstack_refresh='));
  const value = cookie?.split(';')[0]!.slice('taskstack_refresh='.length);
  return value || undefined;
}

let counter = 0;
/** Registers a fresh account through the API and returns its token and refresh cookie. */
export async function registerThroughApi(api: TestApi, overrides: Record<string, string> = {}) {
  counter += 1;
  const body = {
    email: `person-${process.pid}-${counter}-${Date.now()}@example.com`,
    password: 'correct horse battery',
    name: `Person ${counter}`,
    ...overrides,
  };
  const res = await api.call('POST', '/api/v1/auth/register', { body });
  if (res.status !== 201) throw new Error(`register answered ${res.status}: ${JSON.stringify(res.body)}`);
  return {
    ...body,
    user: res.body.user as { id: string; email: string; isInstanceAdmin: boolean },
    token: res.body.accessToken as string,
    refresh: refreshCookieOf(res.headers)!,
  };
}

/**
 * Confirms an account's address as its owner would: the token of the link in its welcome email, posted to
 * /auth/email/verify. Accepting an invitation needs it.
 */
export async function confirmEmail(api: TestApi, userId: string): Promise<void> {
  const job = await eventually(
    async () => (await api.context.emails.queue.getJob(`welcome-${userId}`)) ?? undefined,
  );
  const token = new URL(job.data.verifyUrl as string).searchParams.get('token');
  const res = await api.call('POST', '/api/v1/auth/email/verify', { body: { token } });
  if (res.status !== 204) throw new Error(`verify answered ${res.status}: ${JSON.stringify(res.body)}`);
}

/** Polls until `probe` returns a value (jobs enqueued after the response was sent). */
export async function eventually<T>(probe: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
