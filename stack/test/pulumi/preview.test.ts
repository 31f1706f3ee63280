/**
 * `pulumi preview` of staging and prod with the real engine that `npm run setup` builds (scripts/pulumi/): the real
 * CLI checks the stack files against Pulumi.yaml's schema, the real Node language host loads the TypeScript program
 * through Pulumi.yaml's nodeargs, secrets go through the passphrase provider into a file backend.
 *
 * The provider plugins cannot be built here (stack/PULUMI.md, "The engine"), so the engine stops at the first
 * provider the program needs. What this test pins is everything before that: the program ran and registered its
 * components, and the only errors are the missing plugins — not config, loading or validation.
 */
import { spawnSync } from 'node:child_process';
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../../src/deployer/images.js';

const pulumiScript = join(repoRoot, 'scripts/pulumi/run.sh');
const engine = spawnSync('bash', [pulumiScript, 'version'], { encoding: 'utf8' });
if (engine.status !== 0) console.warn(`preview.test: skipped, no Pulumi engine (${engine.stderr.trim()})`);

const SMTP_URL = 'smtp://mailer:preview-smtp-pa55word@smtp.example.com:587';
const COMPONENTS = [
  'taskstack:app:ApiTls',
  'taskstack:app:MonitoringTls',
  'taskstack:app:PostgresTls',
  'taskstack:app:RedisTls',
  'taskstack:app:Secrets',
  'taskstack:do:DataVolume',
  'taskstack:do:Droplets',
  'taskstack:do:Firewall',
  'taskstack:do:Images',
  // uploads and backups
  'taskstack:do:PrivateBucket',
  'taskstack:do:PrivateBucket',
  'taskstack:do:PublicAddress',
  'taskstack:do:Registry',
  'taskstack:do:SshKeys',
  'taskstack:do:Swarm',
];
const MISSING_PLUGIN =
  /^error: no resource plugin 'pulumi-resource-(command|digitalocean|docker|random|tls)' found/;

interface Preview {
  steps: { op: string; newState: { type: string } }[];
  diagnostics: { severity: string; message: string }[];
}

const scratch = mkdtempSync(join(tmpdir(), 'taskstack-preview-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Files under a directory, recursively, as one string (the file backend's state and history). */
function contents(dir: string): string {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((name) => join(dir, name))
    .filter((path) => statSync(path).isFile())
    .map((path) => readFileSync(path, 'utf8'))
    .join('\n');
}

/**
 * A project directory whose Pulumi.yaml and stack file are copies (the CLI rewrites the stack file it is given)
 * and whose program and node_modules are the repository's, then a stack in a fresh file backend.
 */
function preview(stack: string): { preview: Preview; stackFile: string; state: string } {
  const dir = mkdtempSync(join(scratch, `${stack}-`));
  const project = join(dir, 'project');
  const state = join(dir, 'state');
  for (const path of [project, state]) mkdirSync(path);
  copyFileSync(join(repoRoot, 'Pulumi.yaml'), join(project, 'Pulumi.yaml'));
  copyFileSync(join(repoRoot, `Pulumi.${stack}.yaml`), join(project, `Pulumi.${stack}.yaml`));
  for (const name of ['stack', 'node_modules', 'package.json'])
    symlinkSync(join(repoRoot, name), join(project, name));
  const env = {
    ...process.env,
    PULUMI_BACKEND_URL: `file://${state}`,
    PULUMI_CONFIG_PASSPHRASE: 'preview-test-passphrase',
  };
  const pulumi = (...args: string[]) =>
    spawnSync('bash', [pulumiScript, ...args, '--non-interactive'], { cwd: project, env, encoding: 'utf8' });
  for (const args of [
    ['stack', 'init', stack, '--secrets-provider', 'passphrase'],
    ['config', 'set', '--secret', 'smtpUrl', SMTP_URL, '-s', stack],
  ]) {
    const run = pulumi(...args);
    expect(run.status, run.stderr).toBe(0);
  }
  const run = pulumi('preview', '-s', stack, '--json');
  return {
    preview: JSON.parse(run.stdout) as Preview,
    stackFile: readFileSync(join(project, `Pulumi.${stack}.yaml`), 'utf8'),
    state: contents(state),
  };
}

describe.skipIf(engine.status !== 0)('pulumi preview with the real engine', () => {
  it.each(['staging', 'prod'])(
    '%s: the program runs, registers every component, and stops only at the missing provider plugins',
    (stack) => {
      const componentsOf = (run: Preview) =>
        run.steps
          .filter((step) => step.op === 'create')
          .map((step) => step.newState.type)
          .filter((type) => type.startsWith('taskstack:'))
          .sort();
      // The engine stops at the first missing plugin while other steps are still running, and now and then a
      // component registered meanwhile goes unreported (seen once in CI: PublicAddress). A fresh preview reports it;
      // a component the program never registers is missing from every one.
      let attempt = preview(stack);
      for (let retry = 0; retry < 2 && componentsOf(attempt.preview).length < COMPONENTS.length; retry += 1)
        attempt = preview(stack);
      const { preview: result, stackFile, state } = attempt;
      const created = result.steps.filter((step) => step.op === 'create').map((step) => step.newState.type);
      expect(componentsOf(result)).toEqual(COMPONENTS);
      expect(created).toContain('pulumi:pulumi:Stack');
      const errors = result.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message);
      expect(errors.length).toBeGreaterThan(0);
      for (const message of errors) expect(message).toMatch(MISSING_PLUGIN);
      // The secret is in the stack file only encrypted, and nowhere in the backend's files.
      expect(stackFile).toMatch(/taskstack:smtpUrl:\n\s+secure: v1:/);
      expect(stackFile).not.toContain('preview-smtp-pa55word');
      expect(state).not.toContain('preview-smtp-pa55word');
    },
    180_000,
  );
});
