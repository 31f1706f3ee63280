/**
 * `npm run admin -- create`: the deliberate way to an instance admin. Run as the operator runs it (a child process
 * on the sources), against the database of a real API that the new admin then signs in to.
 */
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from './harness.js';

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(() => api.close());

const PASSWORD = 'a long admin password';

/** Runs the CLI with `args`, `stdin` piped in and DATABASE_URL of the test API; resolves with its exit and output. */
function admin(args: string[], options: { stdin?: string; env?: Record<string, string> } = {}) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((done) => {
    const child = spawn(
      process.execPath,
      ['--conditions=@taskstack/source', '--import', 'tsx', 'src/cli/admin.ts', ...args],
      {
        cwd: resolve(import.meta.dirname, '..'),
        env: { PATH: process.env.PATH, DATABASE_URL: api.config.DATABASE_URL, ...options.env },
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdin.end(options.stdin ?? '');
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

const signIn = (email: string, password: string) =>
  api.call('POST', '/api/v1/auth/login', { body: { email, password } });

describe('npm run admin -- create', () => {
  it('makes an instance admin with a confirmed address from a password on stdin', async () => {
    const run = await admin(['create', '--email', 'Root@Example.com', '--name', 'Root'], {
      stdin: `${PASSWORD}\n`,
    });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^admin: created instance admin root@example\.com \(id [0-9a-f-]+\)/);
    expect(run.stdout).not.toContain(PASSWORD);
    const session = await signIn('root@example.com', PASSWORD);
    expect(session.status).toBe(200);
    const me = await api.call('GET', '/api/v1/me', { token: session.body.accessToken });
    expect(me.body).toMatchObject({ name: 'Root', isInstanceAdmin: true, emailVerified: true });
    const users = await api.call('GET', '/api/v1/admin/users', { token: session.body.accessToken });
    expect(users.status).toBe(200);
  });

  it('takes the password from ADMIN_PASSWORD (a Docker secret as ADMIN_PASSWORD_FILE in the stack)', async () => {
    const run = await admin(['create', '--email', 'env@example.com'], { env: { ADMIN_PASSWORD: PASSWORD } });
    expect(run.code).toBe(0);
    expect((await signIn('env@example.com', PASSWORD)).status).toBe(200);
  });

  it('refuses bad arguments with one line naming the argument, and creates nothing', async () => {
    const cases: [string[], RegExp][] = [
      [['create', '--email', 'x@example.com', '--password', PASSWORD], /^admin: --password is not accepted/],
      [
        ['create', '--email', 'x@example.com', `--password=${PASSWORD}`],
        /^admin: --password is not accepted/,
      ],
      [
        ['create', '--email', 'not-an-address'],
        /^admin: --email must be an email address, got "not-an-address"/,
      ],
      [['create'], /^admin: --email is required/],
      [['create', '--email', 'x@example.com', '--name', ' '], /^admin: --name must be/],
      [['create', '--email', 'x@example.com', '--colour', 'red'], /^admin: Unknown option '--colour'/],
      [['promote', '--email', 'x@example.com'], /^admin: unknown command "promote"/],
    ];
    // In parallel: each run starts node with tsx (seconds on a loaded machine), eight in a row outlast a timeout.
    const runs = await Promise.all(cases.map(([args]) => admin(args, { stdin: `${PASSWORD}\n` })));
    cases.forEach(([args, line], i) => {
      expect(runs[i]!.code, args.join(' ')).toBe(2);
      expect(runs[i]!.stderr, args.join(' ')).toMatch(line);
      expect(runs[i]!.stderr).not.toContain(PASSWORD);
    });
    const short = await admin(['create', '--email', 'x@example.com'], { stdin: 'short\n' });
    expect(short.code).toBe(2);
    expect(short.stderr).toBe('admin: the password must be 10 to 256 characters\n');
    expect((await signIn('x@example.com', PASSWORD)).status).toBe(401);
  }, 90_000);

  it('refuses an address that has an account already, and a database it cannot reach', async () => {
    const taken = await admin(['create', '--email', 'root@example.com'], { stdin: `${PASSWORD}\n` });
    expect(taken.code).toBe(1);
    expect(taken.stderr).toBe('admin: --email: an account with root@example.com exists already\n');
    const away = await admin(['create', '--email', 'y@example.com'], {
      stdin: `${PASSWORD}\n`,
      env: { DATABASE_URL: 'postgres://nobody:x@127.0.0.1:1/none' },
    });
    expect(away.code).toBe(1);
    expect(away.stderr).toMatch(/^admin: DATABASE_URL: cannot connect/);
  });
});
