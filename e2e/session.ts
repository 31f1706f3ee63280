import type { Page } from 'playwright-core';

/**
 * Calls the API from `page`, with the session its refresh cookie holds (refresh → access token → the call).
 * A refused call throws with its status and body, so a test's setup cannot fail unnoticed.
 */
export async function callAs<T>(page: Page, method: string, path: string, body?: unknown): Promise<T> {
  return page.evaluate(
    async ({ method, path, body }) => {
      const refreshed = await fetch('/api/v1/auth/refresh', { method: 'POST', credentials: 'include' });
      const { accessToken } = (await refreshed.json()) as { accessToken: string };
      const response = await fetch(`/api/v1${path}`, {
        method,
        headers: { Authorization: `Bearer ${accessToken}`, 'Content-Type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
      return response.status === 204 ? null : response.json();
    },
    { method, path, body },
  ) as Promise<T>;
}
