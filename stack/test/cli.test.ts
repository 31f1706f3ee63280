import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const stackDir = fileURLToPath(new URL('..', import.meta.url));

/** Runs the CLI as operators do (`npm run stack -- …` runs exactly this). */
function cli(...args: string[]) {
  return cliWithInput(undefined, ...args);
}

function cliWithInput(input: string | undefined, ...args: string[]) {
  const result = spawnSync(
    'node',
    ['--conditions=@taskstack/source', '--import', 'tsx', 'src/cli/main.ts', ...args],
    {
      cwd: stackDir,
      encoding: 'utf8',
      timeout: 30_000,
      input,
    },
  );
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('stack CLI', () => {
  it('prints usage with --help', () => {
    const { code, stdout } = cli('--help');
    expect(code).toBe(0);
    expect(stdout).toMatch(/deploy .*status .*logs|deploy[\s\S]*status[\s\S]*logs[\s\S]*rollback[\s\S]*down/);
  });

  it.each([
    [['deploy', '--target', 'ftp://host'], /--target must be "local" or "ssh:\/\/user@host/],
    [['deploy', '--replicas', 'many'], /--replicas must be a whole number/],
    [['explode'], /unknown command "explode"/],
    [['logs'], /logs needs a service name/],
    [['deploy', '--domain', 'Not A Host'], /domain: a lowercase DNS name/],
    [['admin'], /admin needs "create"/],
    [['admin', 'create'], /admin create needs --email/],
    [['admin', 'create', '--email', 'nobody'], /--email must be an email address, got "nobody"/],
    [
      ['admin', 'create', '--email', 'a@example.com', '--password', 'secret-pw-123'],
      /^stack: --password is not accepted/,
    ],
  ])('rejects %j with one clear line and exit code 2', (args, message) => {
    const { code, stderr } = cli(...args);
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
    expect(stderr).not.toMatch(/\n\s+at /);
    expect(stderr).not.toContain('secret-pw-123');
  });

  it('refuses a short admin password from stdin before starting any job', () => {
    const { code, stderr } = cliWithInput('short\n', 'admin', 'create', '--email', 'a@example.com');
    expect(code).toBe(2);
    expect(stderr).toBe('stack: the password must be 10 to 256 characters\n');
  });
});
