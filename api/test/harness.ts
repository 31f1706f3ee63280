import { createTestDatabase } from '@taskstack/db/testing';
import { randomBytes } from 'node:crypto';
import { loadApiConfig, type ApiConfig } from '../src/config.js';
import { startApi, type RunningApi } from '../src/server.js';

type StartOptions = Parameters<typeof startApi>[1];

export type Response<T = any> = { status: number; headers: Headers; body: T }; // eslint-disable-line @typescript-eslint/no-explicit-any
export type CallOptions = {
  token?: string;
  body?: unknown;
  rawBody?: string | Uint8Array | FormData;
  headers?: Record<string, string>;
};

export type TestApi = RunningApi & {
  config: ApiConfig;
  /** Calls the running API over real HTTP; JSON bodies are parsed, others returned as text. */
  call: <T = any>(method: string, path: string, options?: CallOptions) => Promise<Response<T>>; // eslint-disable-line @typescript-eslint/no-explicit-any
};

/**
 * A real API on a free port, with its own database (cloned template) and its own Redis key prefix. Given
 * `env.DATABASE_URL` it serves that database instead (another process of an API under test, as after a restart), and
 * leaves it be on close.
 */
export async function startTestApi(
  env: Record<string, string> = {},
  options: StartOptions = {},
): Promise<TestApi> {
  const db = env.DATABASE_URL ? undefined : await createTestDatabase();
  const config = loadApiConfig({
    DATABASE_URL: db?.url,
    REDIS_URL: process.env.TEST_REDIS_URL,
    REDIS_PREFIX: `t${randomBytes(6).toString('hex')}`,
    JWT_SECRET: randomBytes(32).toString('hex'),
    DATA_ENCRYPTION_KEY: randomBytes(32).toString('base64url'),
    LOG_LEVEL: 'silent',
    ...env,
  });
  const api = await startApi(config, { ...options, port: 0 });
  const call: TestApi['call'] = async (method, path, options = {}) => {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    let body: string | Uint8Array | FormData | undefined = options.rawBody;
    if (options.body !== undefined) {
      headers['content-type'] ??= 'application/json';
      body = JSON.stringify(options.body);
    }
    const response = await fetch(`${api.url}${path}`, { method, headers, body });
    const text = await response.text();
    const type = response.headers.get('content-type') ?? '';
    return {
      status: response.status,
      headers: response.headers,
      body: /json/.test(type) && text ? JSON.parse(text) : text,
    };
  };
  return {
    ...api,
    config,
    call,
    close: async () => {
      await api.close();
      await db?.drop();
    },
  };
}
