import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runbookBlocks, runbookDir, runbookFiles } from './runbook-blocks.js';
import { repoRoot } from './paths.js';

const scratch = mkdtempSync(join(tmpdir(), 'taskstack-runbooks-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const shellcheck = (path: string) => {
  try {
    execFileSync('shellcheck', ['--severity=warning', '--shell=bash', path], { encoding: 'utf8' });
    return '';
  } catch (error) {
    return (error as { stdout: string }).stdout;
  }
};

describe('runbooks', () => {
  it('cover what the operations issue asks for', () => {
    expect(runbookFiles().sort()).toEqual(
      expect.arrayContaining([
        'deploy-and-rollback.md',
        'restore-backup.md',
        'rotate-secret.md',
        'scale-api.md',
        'nodes.md',
        'replace-manager.md',
        'renew-certificate.md',
        'upgrade-postgres.md',
        'alerts.md',
        'README.md',
      ]),
    );
  });

  it('give commands and a check in every runbook', () => {
    const lacking = runbookFiles()
      .filter((f) => !['README.md', 'alerts.md'].includes(f))
      .filter(
        (f) =>
          runbookBlocks(f).length < 2 ||
          !/\*\*Check|## Check/.test(readFileSync(join(runbookDir, f), 'utf8')),
      );
    expect(lacking).toEqual([]);
  });

  it('have shell blocks that pass shellcheck', () => {
    const problems: string[] = [];
    for (const file of runbookFiles()) {
      for (const block of runbookBlocks(file)) {
        // `<domain>`-style placeholders are for the reader to fill in; the rest must be valid bash.
        const code = block.code.replace(/<[a-z][^<>\n]*>/g, 'PLACEHOLDER');
        const path = join(scratch, `${file}-${block.line}.sh`);
        writeFileSync(path, `#!/usr/bin/env bash\n: "\${STACK:?}" "\${TARGET:?}"\n${code}\n`);
        const out = shellcheck(path);
        if (out) problems.push(`${file}:${block.line}\n${out}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('link only to files that exist', () => {
    const broken = runbookFiles().flatMap((file) => {
      const text = readFileSync(join(runbookDir, file), 'utf8');
      const links = [...text.matchAll(/\]\(([^)#]+)(#[^)]*)?\)/g)].map((m) => m[1]!);
      const scripts = [...text.matchAll(/bash (docs\/runbooks\/[\w.-]+)/g)].map((m) => join(repoRoot, m[1]!));
      return [...links.map((l) => join(runbookDir, l)), ...scripts]
        .filter((p) => !existsSync(p))
        .map((p) => `${file}: ${p}`);
    });
    expect(broken).toEqual([]);
  });

  const cliFile = join(repoRoot, 'stack/src/cli/main.ts');
  it.skipIf(!existsSync(cliFile))('use only stack CLI commands that exist', () => {
    const cli = readFileSync(cliFile, 'utf8');
    const used = new Set(
      runbookFiles().flatMap((f) =>
        [...readFileSync(join(runbookDir, f), 'utf8').matchAll(/npm run stack -- (\w+)/g)].map((m) => m[1]!),
      ),
    );
    expect(used.size).toBeGreaterThan(1);
    expect([...used].filter((command) => !cli.includes(`case '${command}':`))).toEqual([]);
  });

  it('smoke-test.sh passes shellcheck', () => {
    expect(shellcheck(join(runbookDir, 'smoke-test.sh'))).toBe('');
  });
});
