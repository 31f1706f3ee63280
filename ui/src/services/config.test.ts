// @vitest-environment node
import { afterEach, expect, it } from 'vitest';
import { reply, startServer } from '../testing/server.js';
import { loadRuntimeConfig } from './config.js';

let close: (() => Promise<void>) | undefined;
afterEach(async () => close?.());

async function serve(status: number, body?: unknown) {
  const server = await startServer((req, res) => {
    expect(req.url).toBe('/config.json');
    reply(res, status, body);
  });
  close = server.close;
  return ((path: string, init?: RequestInit) => fetch(`${server.url}${path}`, init)) as typeof fetch;
}

it('reads the API address from /config.json', async () => {
  const fetcher = await serve(200, { apiBaseUrl: 'https://api.example.com/api/v1/' });
  expect(await loadRuntimeConfig(fetcher)).toEqual({ apiBaseUrl: 'https://api.example.com/api/v1' });
});

it('falls back to same-origin /api/v1 when the file is missing or malformed', async () => {
  expect(await loadRuntimeConfig(await serve(404, { title: 'Not Found' }))).toEqual({
    apiBaseUrl: '/api/v1',
  });
  await close?.();
  expect(await loadRuntimeConfig(await serve(200, { apiBaseUrl: 42 }))).toEqual({ apiBaseUrl: '/api/v1' });
});
