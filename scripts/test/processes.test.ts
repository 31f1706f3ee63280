import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

const root = new URL('../..', import.meta.url).pathname;

/** Runs a process entry point as production would (minus the build), returning its stderr lines and exit code. */
function run(entry: string, env: Record<string, string>) {
  const result = spawnSync(process.execPath, ['--conditions=@taskstack/source', '--import', 'tsx', entry], {
    cwd: root,
    env: { PATH: process.env.PATH!, LOG_LEVEL: 'silent', ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: result.status, lines: result.stderr.split('\n').filter(Boolean) };
}

const reachable = () => ({
  DATABASE_URL: process.env.TEST_DATABASE_SERVER_URL!,
  REDIS_URL: process.env.TEST_REDIS_URL!,
});

describe.each([
  ['api', 'api/src/main.ts', { JWT_SECRET: 'x'.repeat(40) }],
  ['worker', 'worker/src/main.ts', { SMTP_URL: 'smtp://127.0.0.1:2525', MAIL_FROM: 'a@example.com' }],
])('%s process start-up', (name, entry, required) => {
  it('reports every invalid setting on its own line, naming it, and exits non-zero', () => {
    const { code, lines } = run(entry, {
      ...reachable(),
      ...required,
      DATABASE_URL: 'mysql://x',
      REDIS_URL: '',
    });
    expect(code).toBe(1);
    expect(lines).toEqual([
      expect.stringMatching(
        new RegExp(`^${name}: invalid configuration: DATABASE_URL: must be a URL starting with postgres://`),
      ),
      `${name}: invalid configuration: REDIS_URL: is required`,
    ]);
  });

  it('names an unreachable Redis in one line', () => {
    const { code, lines } = run(entry, { ...reachable(), ...required, REDIS_URL: 'redis://127.0.0.1:1' });
    expect(code).toBe(1);
    expect(lines).toEqual([
      expect.stringMatching(new RegExp(`^${name}: REDIS_URL: cannot connect \\(.*ECONNREFUSED`)),
    ]);
  });
});
