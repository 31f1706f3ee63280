// @vitest-environment node
import { afterEach, describe, expect, it } from 'vitest';
import { startServer, reply } from '../testing/server.js';
import { ApiError } from './errors.js';
import { ENDPOINTS } from './endpoints.js';
import { HttpClient } from './http.js';

let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  close = undefined;
});

async function serve(handler: Parameters<typeof startServer>[0]) {
  const server = await startServer(handler);
  close = server.close;
  const http = new HttpClient();
  http.configure(`${server.url}/api/v1/`);
  return http;
}

describe('HttpClient', () => {
  it('refreshes an expired token once and retries the call with the new one', async () => {
    let refreshes = 0;
    const http = await serve((req, res) => {
      if (req.url === '/api/v1/auth/refresh') {
        refreshes += 1;
        return reply(res, 200, { accessToken: 'fresh' });
      }
      if (req.headers.authorization !== 'Bearer fresh') {
        return reply(res, 401, { title: 'Unauthorized', status: 401, detail: 'Token expired.' });
      }
      reply(res, 200, { id: 'u1', email: 'a@b.c', name: 'A', isInstanceAdmin: false });
    });
    http.setAccessToken('stale');
    const [a, b] = await Promise.all([http.call(ENDPOINTS.me), http.call(ENDPOINTS.me)]);
    expect(a).toMatchObject({ id: 'u1' });
    expect(b).toMatchObject({ id: 'u1' });
    expect(refreshes).toBe(1);
  });

  it('announces the end of the session when the refresh cookie is refused', async () => {
    const http = await serve((_req, res) =>
      reply(res, 401, {
        title: 'Unauthorized',
        status: 401,
        detail: 'Your session has ended. Sign in again.',
      }),
    );
    let expired = 0;
    http.onSessionExpired(() => (expired += 1));
    http.setAccessToken('stale');
    await expect(http.call(ENDPOINTS.me)).rejects.toMatchObject({ status: 401 });
    expect(expired).toBe(1);
    expect(http.hasToken).toBe(false);
  });

  it('turns problem+json into an ApiError carrying detail and field errors', async () => {
    const http = await serve((_req, res, body) => {
      expect(JSON.parse(body)).toEqual({ email: 'x', password: 'short', name: '' });
      reply(res, 400, {
        type: 'about:blank',
        title: 'Bad Request',
        status: 400,
        detail: 'The request is invalid.',
        errors: [{ path: 'password', message: 'Too small: expected string to have >=10 characters' }],
      });
    });
    const error = await http
      .call(ENDPOINTS.register, { body: { email: 'x', password: 'short', name: '' } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).detail).toBe('The request is invalid.');
    expect((error as ApiError).fieldError('password')).toMatch(/>=10/);
  });

  it('fills path parameters, encodes them, and drops empty query values', async () => {
    let seen = '';
    const http = await serve((req, res) => {
      seen = req.url ?? '';
      reply(res, 200, { items: [], nextCursor: null });
    });
    http.setAccessToken('t');
    await http.call(ENDPOINTS.listTasks, {
      params: { id: 'a/b' },
      query: { q: 'fix bug', status: undefined, assigneeId: '' },
    });
    expect(seen).toBe('/api/v1/projects/a%2Fb/tasks?q=fix+bug');
  });

  it('reports an unreachable server as a network error, not a crash', async () => {
    const http = new HttpClient();
    http.configure('http://127.0.0.1:9/api/v1');
    await expect(http.call(ENDPOINTS.me)).rejects.toMatchObject({ status: 0, title: 'Network error' });
  });
});
