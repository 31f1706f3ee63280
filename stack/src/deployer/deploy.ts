/**
 * The deployer: builds and tags images, creates or rotates secrets, deploys the rendered stack with
 * `docker stack deploy`, and waits until every service runs the new version healthy. The CLI (local or
 * ssh://user@host via DOCKER_HOST) and Pulumi (over SSH to the manager droplet) both call `deploy`.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderStackFiles } from '../definition/render.js';
import {
  parseStackSettings,
  type OwnImage,
  type StackSettings,
  type StackSettingsInput,
} from '../definition/settings.js';
import { stackServices, waitForConvergence, type ServiceProgress } from './converge.js';
import { Docker, type Target } from './docker.js';
import {
  buildImages,
  ensureBaseImages,
  gitImageTag,
  imageAvailable,
  ownImages,
  unchangedImageTags,
} from './images.js';
import { ensureSecrets, localSecretInputs, pruneUnused, type SecretInputs } from './secrets.js';
import { checkRemoteSwarm, ensureLocalSwarm } from './swarm.js';

export interface DeployOptions {
  target: Target;
  /** Stack settings; `imageTag` defaults to the git sha of the working tree. */
  settings: Omit<StackSettingsInput, 'imageTag'> & { imageTag?: string };
  /** Secret values; locally they default to generated values kept under .data/stack/<name>/. */
  secrets?: SecretInputs;
  /** Build our images first (default true); false deploys images already present/pushed under `imageTag`. */
  build?: boolean;
  /** How long to wait for convergence (default 10 min). */
  timeoutMs?: number;
  /** Progress lines (default: stderr). */
  log?: (line: string) => void;
}

export interface DeployResult {
  settings: StackSettings;
  seconds: number;
}

const stderrLog = (line: string) => process.stderr.write(`${line}\n`);

/** One line per service: `api 2/2 ok`. */
export function formatProgress(progress: ServiceProgress[], startedAt: number): string {
  const seconds = ((Date.now() - startedAt) / 1000).toFixed(0).padStart(4);
  return `[${seconds}s] ${progress.map((p) => `${p.service.replace(/^[^_]+_/, '')} ${p.running}/${p.wanted}${p.done ? '' : ` (${p.state})`}`).join(' · ')}`;
}

/** Deploys (or updates) the stack and resolves once it runs the new version healthy everywhere. */
export async function deploy(options: DeployOptions): Promise<DeployResult> {
  const log = options.log ?? stderrLog;
  const startedAt = Date.now();
  const docker = new Docker(options.target);
  let settings = parseStackSettings({
    ...options.settings,
    imageTag: options.settings.imageTag ?? gitImageTag(),
  });

  if (options.target === 'local') await ensureLocalSwarm(docker, settings);
  else await checkRemoteSwarm(docker, settings);

  if (options.target === 'local' && settings.monitoring && settings.grafana) {
    if (!(await imageAvailable(docker, settings.images.grafana))) {
      log(
        `${settings.images.grafana} cannot be pulled here (no registry answers): monitoring without Grafana`,
      );
      settings = { ...settings, grafana: false };
    }
  }

  if (options.build ?? true) {
    if (options.target === 'local') ensureBaseImages();
    await buildImages(docker, settings, log);
  }

  const kept = await unchangedImageTags(docker, settings, await runningImages(docker, settings.name));
  if (Object.keys(kept).length) log(`unchanged, not restarted: ${Object.keys(kept).join(', ')}`);
  settings = { ...settings, images: { ...settings.images, tags: { ...kept, ...settings.images.tags } } };

  settings = await ensureSecrets(docker, settings, options.secrets ?? localSecretInputs(settings.name));
  await deployRendered(docker, settings);
  log(`deploying ${settings.name} at ${settings.imageTag}`);
  await waitForConvergence(docker, settings.name, {
    timeoutMs: options.timeoutMs,
    onProgress: (progress) => log(formatProgress(progress, startedAt)),
  });
  await pruneUnused(docker, settings.name, await inUseNames(docker, settings.name));
  const seconds = (Date.now() - startedAt) / 1000;
  log(`${settings.name} is running ${settings.imageTag} healthy (${seconds.toFixed(0)} s)`);
  return { settings, seconds };
}

/** `docker stack deploy` of the rendered files (written to a private temp dir, removed afterwards). */
export async function deployRendered(docker: Docker, settings: StackSettings): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), `${settings.name}-stack-`));
  try {
    for (const [file, content] of Object.entries(renderStackFiles(settings))) {
      writeFileSync(join(dir, file), content, { mode: 0o600 });
    }
    await docker.run(
      [
        'stack',
        'deploy',
        '--detach=true',
        '--prune',
        '--resolve-image',
        settings.images.registry ? 'always' : 'never',
        ...(settings.images.registry ? ['--with-registry-auth'] : []),
        '-c',
        'docker-stack.yml',
        settings.name,
      ],
      { cwd: dir },
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Secret and config names the stack's services currently reference (their previous spec too, for rollbacks). */
async function inUseNames(docker: Docker, stack: string): Promise<Set<string>> {
  const services = await docker.inspect<{
    Spec: {
      TaskTemplate: {
        ContainerSpec: { Secrets?: { SecretName: string }[]; Configs?: { ConfigName: string }[] };
      };
    };
    PreviousSpec?: {
      TaskTemplate: {
        ContainerSpec: { Secrets?: { SecretName: string }[]; Configs?: { ConfigName: string }[] };
      };
    };
  }>(['service', 'inspect', ...(await stackServices(docker, stack)).map((s) => s.ID)]);
  const names = new Set<string>();
  for (const service of services) {
    for (const spec of [service.Spec, service.PreviousSpec]) {
      for (const secret of spec?.TaskTemplate.ContainerSpec.Secrets ?? []) names.add(secret.SecretName);
      for (const config of spec?.TaskTemplate.ContainerSpec.Configs ?? []) names.add(config.ConfigName);
    }
  }
  return names;
}

/** The image each of our services runs now (none on a first deploy). */
async function runningImages(docker: Docker, stack: string): Promise<Partial<Record<OwnImage, string>>> {
  const running: Partial<Record<OwnImage, string>> = {};
  for (const service of await stackServices(docker, stack)) {
    const short = service.Spec.Name.slice(stack.length + 1);
    if (short in ownImages) {
      running[short as OwnImage] = service.Spec.TaskTemplate.ContainerSpec.Image.replace(
        /@sha256:[0-9a-f]+$/,
        '',
      );
    }
  }
  return running;
}
