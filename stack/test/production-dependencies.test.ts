/**
 * What `npm ci --omit=dev` installs — the api and worker images' node_modules — holds no server that only development
 * and tests start (a fake S3, an SMTP sink): code an image never runs is still code an attacker could reach.
 */
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../src/deployer/images.js';

/** Names of the packages npm counts as production dependencies of the workspace tree. */
const production = (selector: string): string[] =>
  (
    JSON.parse(execFileSync('npm', ['query', selector], { cwd: repoRoot, encoding: 'utf8' })) as {
      name: string;
    }[]
  ).map((p) => p.name);

describe('production dependencies', () => {
  it('leave out the development servers of @taskstack/devservices', () => {
    const devOnly = ['s3rver', 'smtp-server', 'mailparser'];
    expect(production(devOnly.map((name) => `#${name}`).join(', ')).sort()).toEqual(devOnly.sort());
    expect(production(devOnly.map((name) => `#${name}.prod`).join(', '))).toEqual([]);
  }, 120_000);
});
