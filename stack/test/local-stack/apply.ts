/**
 * Carries out the Pulumi program for the `local` stack without provider plugins, which cannot be built here (the Go
 * module proxy refuses the provider modules; stack/PULUMI.md). The real program runs under `pulumi.runtime.setMocks`,
 * and the mock does what the provider would: each resource it is handed is created for real with the program's
 * inputs — `docker` for @pulumi/docker, `ssh` with Pulumi's generated key for command.remote, the command itself for
 * command.local — and its real outputs (join tokens, host keys, digests) flow on through the program. Creation only:
 * there is no state, diff or delete; `removeLocalStack` cleans up by name.
 */
import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import * as pulumi from '@pulumi/pulumi';
import { taskstack, type Taskstack } from '../../src/pulumi/program.js';
import { stackConfig, unwrapSecrets, type ConfigOverrides } from '../pulumi/harness.js';

const exec = promisify(execFile);

interface Run {
  /** stdout of the process; rejects with its stderr's last lines on a non-zero exit. */
  (file: string, args: string[], options?: { input?: string; cwd?: string }): Promise<string>;
}

const run: Run = (file, args, options = {}) =>
  new Promise((resolve, reject) => {
    const child = spawn(file, args, { cwd: options.cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0
        ? resolve(out)
        : reject(
            new Error(
              `${file} ${args[0] ?? ''} exited ${code}: ${err.trim().split('\n').slice(-5).join(' | ')}`,
            ),
          ),
    );
    child.stdin.end(options.input ?? '');
  });

export interface Applied {
  /** Resource type and name, in the order they were created. */
  created: { type: string; name: string }[];
  outputs: Taskstack;
  /** Pulumi's private key (for a test's own SSH). */
  privateKeyFile: string;
  /** Seconds from start until the deployment step finished. */
  seconds: number;
}

type Inputs = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Creates one resource for real; returns the outputs the provider would. */
async function create(type: string, name: string, inputs: Inputs, scratch: string): Promise<Inputs> {
  switch (type) {
    case 'tls:index/privateKey:PrivateKey': {
      const file = join(scratch, 'pulumi-key');
      await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'pulumi', '-f', file]);
      return {
        privateKeyOpenssh: readFileSync(file, 'utf8'),
        publicKeyOpenssh: readFileSync(`${file}.pub`, 'utf8'),
      };
    }
    case 'random:index/randomPassword:RandomPassword': {
      const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
      const bytes = randomBytes(inputs.length as number);
      return { result: Array.from(bytes, (b) => alphabet[b % alphabet.length]).join('') };
    }
    case 'docker:index/network:Network': {
      const ipam = (inputs.ipamConfigs as { subnet: string; gateway: string }[])[0]!;
      await run('docker', [
        'network',
        'create',
        '--driver',
        inputs.driver,
        '--subnet',
        ipam.subnet,
        '--gateway',
        ipam.gateway,
        inputs.name,
      ]);
      return {};
    }
    case 'docker:index/volume:Volume':
      await run('docker', ['volume', 'create', inputs.name]);
      return {};
    case 'docker:index/image:Image': {
      const build = inputs.build as { context: string; dockerfile?: string; target?: string };
      await run('docker', [
        'build',
        '-q',
        '-t',
        inputs.imageName,
        ...(build.dockerfile ? ['-f', build.dockerfile] : []),
        ...(build.target ? ['--target', build.target] : []),
        build.context,
      ]);
      if (inputs.skipPush) return {};
      await run('docker', ['push', '-q', inputs.imageName]);
      const digests = await run('docker', [
        'image',
        'inspect',
        '--format',
        '{{json .RepoDigests}}',
        inputs.imageName,
      ]);
      const repo = String(inputs.imageName).replace(/:[^:/]+$/, '');
      return { repoDigest: (JSON.parse(digests) as string[]).find((d) => d.startsWith(`${repo}@`)) };
    }
    case 'docker:index/tag:Tag':
      await run('docker', ['tag', inputs.sourceImage, inputs.targetImage]);
      return {};
    case 'docker:index/registryImage:RegistryImage':
      await run('docker', ['push', '-q', inputs.name]);
      return {};
    case 'docker:index/container:Container':
      await runContainer(inputs, scratch);
      return {};
    case 'command:remote:Command':
      return remoteCommand(inputs, scratch);
    case 'command:local:Command': {
      const stdout = await run('sh', ['-c', inputs.create], { input: inputs.stdin, cwd: inputs.dir });
      return { stdout, stderr: '' };
    }
    default:
      throw new Error(`the local applier does not know ${type} (${name})`);
  }
}

/** `docker create` with the provider's inputs, the uploads copied in, then start. */
async function runContainer(inputs: Inputs, scratch: string): Promise<void> {
  const args = ['create', '--name', inputs.name];
  if (inputs.hostname) args.push('--hostname', inputs.hostname);
  for (const cap of inputs.capabilities?.adds ?? []) args.push('--cap-add', cap);
  for (const cap of inputs.capabilities?.drops ?? []) args.push('--cap-drop', cap);
  for (const opt of inputs.securityOpts ?? []) args.push('--security-opt', opt);
  if (inputs.cgroupnsMode) args.push('--cgroupns', inputs.cgroupnsMode);
  for (const [path, options] of Object.entries((inputs.tmpfs ?? {}) as Record<string, string>)) {
    args.push('--tmpfs', `${path}:${options}`);
  }
  for (const v of inputs.volumes ?? []) {
    args.push('-v', `${v.hostPath ?? v.volumeName}:${v.containerPath}${v.readOnly ? ':ro' : ''}`);
  }
  const network = (inputs.networksAdvanced ?? [])[0];
  if (network) args.push('--network', network.name, '--ip', network.ipv4Address);
  for (const p of inputs.ports ?? []) args.push('-p', `${p.ip}:${p.external}:${p.internal}/${p.protocol}`);
  if (inputs.stopSignal) args.push('--stop-signal', inputs.stopSignal);
  args.push(inputs.image, ...(inputs.command ?? []));
  await run('docker', args);
  // The uploads as a tree of their own (containers are created concurrently), copied in before the first boot.
  const tree = join(scratch, `tree-${inputs.name}`);
  for (const upload of inputs.uploads ?? []) {
    mkdirSync(join(tree, dirname(upload.file)), { recursive: true });
    writeFileSync(join(tree, upload.file), upload.content);
  }
  if ((inputs.uploads ?? []).length > 0) await run('docker', ['cp', `${tree}/.`, `${inputs.name}:/`]);
  rmSync(tree, { recursive: true, force: true });
  await run('docker', ['start', inputs.name]);
}

/** ssh options for a node: Pulumi's key only, never a prompt; node host keys are new on every run. */
export const sshArgs = (keyFile: string, target: string): string[] => [
  ...['-i', keyFile, '-o', 'BatchMode=yes', '-o', 'StrictHostKeyChecking=no'],
  ...['-o', 'UserKnownHostsFile=/dev/null', '-o', 'ConnectTimeout=5', '-o', 'LogLevel=ERROR', target],
];

/** The command provider's remote command: the text as the command of an SSH session, stdin piped, dial retries. */
async function remoteCommand(inputs: Inputs, scratch: string): Promise<Inputs> {
  const { host, user, privateKey, dialErrorLimit } = inputs.connection as Inputs;
  const key = join(scratch, `ssh-${host}`);
  writeFileSync(key, privateKey, { mode: 0o600 });
  const ssh = sshArgs(key, `${user}@${host}`);
  for (let attempt = 1; ; attempt++) {
    try {
      await exec('ssh', [...ssh, 'true'], { timeout: 15_000 });
      break;
    } catch (error) {
      if (attempt >= (dialErrorLimit ?? 10)) throw error;
      // First boot (apt upgrade, Docker) takes minutes before the deploy user has keys: about 10 with the default.
      await new Promise((resolve) => setTimeout(resolve, 5000));
    }
  }
  const stdout = await run('ssh', [...ssh, inputs.create], { input: inputs.stdin });
  return { stdout, stderr: '' };
}

/** Applies the `local` stack's program (config: Pulumi.local.yaml + overrides) for real. */
export async function applyLocalStack(
  stack: string,
  overrides: ConfigOverrides,
  secrets: Record<string, string>,
  log: (line: string) => void = () => {},
): Promise<Applied> {
  const scratch = mkdtempSync(join(tmpdir(), 'tsl-apply-'));
  const created: Applied['created'] = [];
  const failures: string[] = [];
  const started = Date.now();
  await pulumi.runtime.setMocks(
    {
      newResource: async ({ type, name, inputs }) => {
        const plain = unwrapSecrets(inputs) as Inputs;
        let outputs: Inputs = {};
        try {
          if (!type.startsWith('taskstack:') && !type.startsWith('pulumi:')) {
            outputs = await create(type, name, plain, scratch);
          }
        } catch (error) {
          // The SDK only surfaces a failed registration as an unhandled rejection; say which one, and why.
          log(`FAILED ${type} ${name}: ${(error as Error).message}`);
          failures.push(`${name}: ${(error as Error).message}`);
          throw error;
        }
        created.push({ type, name });
        log(`${Math.round((Date.now() - started) / 1000)} s: ${type} ${name}`);
        return { id: `${name}-id`, state: { ...inputs, ...outputs } };
      },
      call: ({ inputs }) => inputs,
    },
    'taskstack',
    stack,
    false,
  );
  const config = stackConfig('local', overrides);
  const all: Record<string, string> = {};
  for (const [key, value] of Object.entries(config))
    all[key] = typeof value === 'string' ? value : JSON.stringify(value);
  for (const [key, value] of Object.entries(secrets)) all[`taskstack:${key}`] = value;
  pulumi.runtime.setAllConfig(
    all,
    Object.keys(secrets).map((key) => `taskstack:${key}`),
  );
  let outputs: Taskstack | undefined;
  let failure: unknown;
  await pulumi.runtime.runInPulumiStack(async () => {
    try {
      outputs = taskstack();
    } catch (error) {
      failure = error;
    }
    return {};
  });
  await pulumi.runtime.disconnect();
  if (failure) throw failure;
  if (failures.length > 0) throw new Error(`the local stack failed: ${failures.join('; ')}`);
  return {
    created,
    outputs: outputs!,
    privateKeyFile: join(scratch, 'pulumi-key'),
    seconds: (Date.now() - started) / 1000,
  };
}

/** Removes every container, network, volume and node image of a local stack (names `tsl-<stack>…`). */
export async function removeLocalStack(stack: string): Promise<void> {
  const prefix = `tsl-${stack}`;
  const names = (await run('docker', ['ps', '-aq', '--filter', `name=^${prefix}-`]))
    .split('\n')
    .filter(Boolean);
  if (names.length > 0) await run('docker', ['rm', '-f', '-v', ...names]);
  await run('sh', [
    '-c',
    `docker network rm ${prefix} 2>/dev/null; docker volume rm ${prefix}-data 2>/dev/null; true`,
  ]);
}
