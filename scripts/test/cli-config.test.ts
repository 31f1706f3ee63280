/**
 * The operators' commands load their settings before anything else, and a schema they cannot build crashes them
 * there (the restore CLIs did, when zod refused to `.pick()` from the worker's refined schema). Each one is run
 * here as `npm run …` runs it, without any server: with a minimal valid environment it must get past its
 * configuration (and stop at the first thing that needs a server or a file), and with one bad setting it must
 * stop with one line naming that setting.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = new URL('../..', import.meta.url).pathname;
// A port nothing listens on: every connection is refused at once.
const NO_SERVER = 'postgresql://taskstack@127.0.0.1:1/taskstack';

type Cli = { name: string; workspace: string; script: string; args: string[]; env: Record<string, string> };

/** The commands of package.json's scripts (restore, its --to mode, admin, migrate) and what they need at least. */
const CLIS: Cli[] = [
  {
    name: 'restore',
    workspace: 'worker',
    script: 'src/cli/restore.ts',
    args: ['nightly.dump'],
    env: { DATABASE_URL: NO_SERVER, BACKUP_DIR: mkdtempSync(join(tmpdir(), 'cli-config-')) },
  },
  {
    name: 'restore',
    workspace: 'worker',
    script: 'src/cli/restore.ts',
    args: ['--to', 'latest', '--dry-run'],
    env: { DATABASE_URL: NO_SERVER },
  },
  {
    name: 'admin',
    workspace: 'api',
    script: 'src/cli/admin.ts',
    args: ['create', '--email', 'root@example.com'],
    env: { DATABASE_URL: NO_SERVER, ADMIN_PASSWORD: 'a long admin password' },
  },
  {
    name: 'migrate',
    workspace: 'packages/db',
    script: 'src/cli/migrate.ts',
    args: [],
    env: { DATABASE_URL: NO_SERVER },
  },
];

function run(cli: Cli, env: Record<string, string>) {
  return new Promise<{ code: number | null; stderr: string }>((done) => {
    const child = spawn(
      process.execPath,
      ['--conditions=@taskstack/source', '--import', 'tsx', cli.script, ...cli.args],
      {
        cwd: join(root, cli.workspace),
        env: { PATH: process.env.PATH, ...env },
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (code) => done({ code, stderr }));
  });
}

const lines = (text: string) => text.trimEnd().split('\n');

// In parallel, and with room: each run starts node with tsx, seconds apiece on a loaded machine.
describe('the CLIs load their configuration', { timeout: 120_000 }, () => {
  it('with a minimal environment, get past it to the first thing that needs a server or a file', async () => {
    const runs = await Promise.all(CLIS.map((cli) => run(cli, cli.env)));
    const [restore, restoreTo, admin, migrate] = runs.map((r) => ({ code: r.code, lines: lines(r.stderr) }));
    expect(restore).toEqual({
      code: 1,
      lines: [
        expect.stringMatching(
          /^restore: failed: \/.*nightly\.dump: no such file \(and S3_BACKUP_BUCKET is not set/,
        ),
      ],
    });
    expect(restoreTo).toEqual({
      code: 1,
      lines: [expect.stringMatching(/^restore: PITR_STANZA is not set/)],
    });
    expect(admin).toEqual({
      code: 1,
      lines: [expect.stringMatching(/^admin: DATABASE_URL: cannot connect \(/)],
    });
    expect(migrate).toEqual({
      code: 1,
      lines: [expect.stringMatching(/^migrate: DATABASE_URL: cannot connect \(/)],
    });
  });

  it('with one bad setting, stop with one line naming it', async () => {
    const bad: [Cli, Record<string, string>, RegExp][] = [
      [CLIS[0]!, { S3_ENDPOINT: 'not a url' }, /^restore: invalid configuration: S3_ENDPOINT: /],
      [CLIS[1]!, { PITR_RETENTION_DAYS: '0' }, /^restore: invalid configuration: PITR_RETENTION_DAYS: /],
      [CLIS[2]!, { DATABASE_URL: 'redis://127.0.0.1:6379' }, /^admin: invalid configuration: DATABASE_URL: /],
      [
        CLIS[3]!,
        { API_DATABASE_PASSWORD: 'short' },
        /^migrate: invalid configuration: API_DATABASE_PASSWORD: must be at least 16 characters$/,
      ],
    ];
    const runs = await Promise.all(bad.map(([cli, change]) => run(cli, { ...cli.env, ...change })));
    runs.forEach((result, i) => {
      const [cli, change, expected] = bad[i]!;
      expect(
        { code: result.code, lines: lines(result.stderr) },
        `${cli.name} ${JSON.stringify(change)}`,
      ).toEqual({
        code: 1,
        lines: [expect.stringMatching(expected)],
      });
    });
  });
});
