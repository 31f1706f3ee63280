/**
 * What the tests of the api's and the worker's entry points share: each runs as production runs it (minus the
 * build), with only the environment a test gives it (and PATH), either to its exit (a start-up failure) or serving
 * until the test kills it.
 */
import { spawn, spawnSync } from 'node:child_process';
import { expect } from 'vitest';

const root = new URL('../..', import.meta.url).pathname;
const node = [process.execPath, '--conditions=@taskstack/source', '--import', 'tsx'];
const environment = (env: Record<string, string>) => ({
  PATH: process.env.PATH!,
  LOG_LEVEL: 'silent',
  ...env,
});

/** The api and the worker: entry point, health path, and the settings of a start on `port` besides its services'. */
export const ENTRY_POINTS = [
  {
    name: 'api',
    entry: 'api/src/main.ts',
    health: '/ready',
    env: (port: number) => ({ PORT: String(port), JWT_SECRET: 'x'.repeat(40) }),
  },
  {
    name: 'worker',
    entry: 'worker/src/main.ts',
    health: '/health',
    env: (port: number) => ({
      WORKER_HTTP_PORT: String(port),
      SMTP_URL: 'smtp://127.0.0.1:2525',
      MAIL_FROM: 'a@example.com',
    }),
  },
];

/** Runs `entry` to its exit: its exit code and stderr lines. */
export function runToExit(entry: string, env: Record<string, string>) {
  const result = spawnSync(node[0]!, [...node.slice(1), entry], {
    cwd: root,
    env: environment(env),
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: result.status, lines: result.stderr.split('\n').filter(Boolean) };
}

/**
 * Starts `entry` and waits until its health answers 200: GET `health` when a URL, else what `health` resolves to
 * (a client of its own, e.g. HTTPS verified against a test CA, answering 0 while it cannot connect). The function
 * returned stops it.
 */
export async function serving(
  entry: string,
  env: Record<string, string>,
  health: string | (() => Promise<number>),
) {
  const child = spawn(node[0]!, [...node.slice(1), entry], {
    cwd: root,
    env: environment(env),
    stdio: 'ignore',
  });
  const stop = () => child.kill('SIGTERM');
  const status =
    typeof health === 'string'
      ? () =>
          fetch(health).then(
            (r) => r.status,
            () => 0,
          )
      : health;
  try {
    await expect.poll(status, { timeout: 45_000, interval: 250 }).toBe(200);
  } catch (error) {
    stop();
    throw error;
  }
  return stop;
}
