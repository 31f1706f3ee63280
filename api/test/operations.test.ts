import helmet from 'helmet';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from './harness.js';

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(() => api.close());

describe('operations endpoints', () => {
  it('/health answers while the process lives', async () => {
    const res = await api.call('GET', '/health');
    expect(res).toMatchObject({ status: 200, body: { status: 'ok' } });
  });

  it('/ready checks Postgres, Redis and migrations', async () => {
    const res = await api.call('GET', '/ready');
    expect(res).toMatchObject({ status: 200, body: { database: 'ok', redis: 'ok' } });
  });

  it('/ready is 503 while Postgres does not answer, though /health stays 200', async () => {
    const other = await startTestApi({ DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' });
    try {
      const res = await other.call('GET', '/ready');
      expect(res).toMatchObject({ status: 503, body: { database: 'unreachable', redis: 'ok' } });
      expect((await other.call('GET', '/health')).status).toBe(200);
    } finally {
      await other.close();
    }
  });

  it('keeps serving through the drain after SIGTERM while /ready says draining, then stops accepting', async () => {
    const draining = await startTestApi({ SHUTDOWN_DRAIN_SECONDS: '1' });
    const closed = draining.close();
    try {
      const ready = await draining.call('GET', '/ready');
      expect(ready).toMatchObject({ status: 503, body: { status: 'draining' } });
      expect((await draining.call('GET', '/health')).status).toBe(200);
      expect((await draining.call('GET', '/api/v1/me')).status).toBe(401);
    } finally {
      await closed;
    }
    await expect(draining.call('GET', '/health')).rejects.toThrow();
  });

  it('/metrics exposes request counts by route template', async () => {
    await api.call('GET', '/health');
    const res = await api.call('GET', '/metrics');
    expect(res.status).toBe(200);
    expect(res.body).toMatch(/http_requests_total\{method="GET",route="\/health",status="200"\} \d+/);
    expect(res.body).toMatch(/nodejs_eventloop_lag_seconds/);
  });

  it('answers unknown routes and malformed JSON with problem+json, never HTML', async () => {
    const missing = await api.call('GET', '/api/v1/nope');
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toMatch(/application\/problem\+json/);
    const bad = await api.call('POST', '/api/v1/nope', {
      rawBody: '{"a":',
      headers: { 'content-type': 'application/json' },
    });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({
      status: 400,
      title: 'Bad Request',
      detail: 'Request body is not valid JSON.',
    });
  });

  it('refuses JSON bodies over 1 MiB with 413', async () => {
    const res = await api.call('POST', '/api/v1/nope', { body: { text: 'x'.repeat(1024 * 1024 + 10) } });
    expect(res.status).toBe(413);
    expect(res.body.title).toBe('Payload Too Large');
  });

  it('serves the OpenAPI 3.1 document', async () => {
    const res = await api.call('GET', '/api/v1/openapi.json');
    expect(res.status).toBe(200);
    expect(res.body.openapi).toBe('3.1.0');
  });

  it('sends a request id and security headers', async () => {
    const res = await api.call('GET', '/api/v1/openapi.json');
    expect(res.headers.get('x-request-id')).toMatch(/[0-9a-f-]{36}/);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('sends every header helmet sets, with its values', async () => {
    // The API sets helmet's headers from one copy taken at start-up: compare with helmet run on a request.
    const server = createServer((req, res) => helmet()(req, res, () => res.end()));
    await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
    const reference = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
    server.close();
    const transport = ['date', 'connection', 'keep-alive', 'content-length', 'transfer-encoding'];
    const names = [...reference.headers.keys()].filter((name) => !transport.includes(name));
    expect(names.length).toBeGreaterThan(10);
    const res = await api.call('GET', '/api/v1/openapi.json');
    for (const name of names) expect(res.headers.get(name), name).toBe(reference.headers.get(name));
  });
});
