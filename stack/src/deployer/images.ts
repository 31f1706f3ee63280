/** Building and tagging our images (git sha tags) on the engine the deployer targets. */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { imageRef, type OwnImage, type StackSettings } from '../definition/settings.js';
import type { Docker } from './docker.js';

/** The repository root: build context of every image. */
export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

/** How one of our images is built: its Dockerfile (from the repository root) and, where it holds several, the target. */
export type ImageBuild = { dockerfile: string; target?: string };

/** Our images; api and worker are two targets of one Dockerfile, so they share its install and compile stages. */
export const ownImages: Record<OwnImage, ImageBuild> = {
  api: { dockerfile: 'Dockerfile', target: 'api' },
  worker: { dockerfile: 'Dockerfile', target: 'worker' },
  nginx: { dockerfile: 'nginx/Dockerfile' },
  renewer: { dockerfile: 'nginx/renewer/Dockerfile' },
  monitoring: { dockerfile: 'monitoring/Dockerfile' },
  postgres: { dockerfile: 'postgres/Dockerfile' },
};

/** The images a deployment of these settings runs (the monitoring image only with monitoring on). */
export const imagesFor = (settings: StackSettings): OwnImage[] =>
  (Object.keys(ownImages) as OwnImage[]).filter((image) => image !== 'monitoring' || settings.monitoring);

/** The commit being deployed, marked when the working tree differs from it so the tag never lies. */
export function gitImageTag(): string {
  const git = (...args: string[]) => execFileSync('git', args, { cwd: repoRoot, encoding: 'utf8' }).trim();
  const sha = git('rev-parse', '--short=12', 'HEAD');
  const dirty = git('status', '--porcelain', '--untracked-files=no') !== '';
  return dirty ? `${sha}-dirty-${Date.now().toString(36)}` : sha;
}

/**
 * Makes the base images our Dockerfiles start FROM available (pulled, or built as stand-ins where no registry is
 * reachable). Only for the local engine: droplets pull the official images.
 */
export function ensureBaseImages(): void {
  execFileSync('bash', [`${repoRoot}stack/images/build-base-images.sh`], {
    stdio: ['ignore', 'inherit', 'inherit'],
  });
}

/** Builds every image of ours for `settings.imageTag`; pushes when a registry is configured (multi-node swarms). */
export async function buildImages(
  docker: Docker,
  settings: StackSettings,
  log: (line: string) => void,
  only: OwnImage[] = imagesFor(settings),
): Promise<void> {
  for (const image of only) {
    const ref = imageRef(settings, image);
    const started = Date.now();
    log(`building ${ref}`);
    const { dockerfile, target } = ownImages[image];
    const targetArgs = target ? ['--target', target] : [];
    await docker.run(['build', '-q', '-f', dockerfile, ...targetArgs, '-t', ref, '.'], { cwd: repoRoot });
    log(`built ${ref} in ${((Date.now() - started) / 1000).toFixed(0)} s`);
    if (settings.images.registry) await docker.run(['push', '-q', ref]);
  }
}

/**
 * For each of our images whose freshly built content equals what its service runs, the running tag: deploying it
 * unchanged spares a restart. Images the engine cannot inspect (pushed elsewhere) are treated as changed.
 */
export async function unchangedImageTags(
  docker: Docker,
  settings: StackSettings,
  running: Partial<Record<OwnImage, string>>,
): Promise<Partial<Record<OwnImage, string>>> {
  const id = (ref: string) =>
    docker.run(['image', 'inspect', '--format', '{{.Id}}', ref]).then(
      (out) => out.trim(),
      () => '',
    );
  const kept: Partial<Record<OwnImage, string>> = {};
  for (const image of imagesFor(settings)) {
    const current = running[image];
    if (!current || current === imageRef(settings, image)) continue;
    const [before, after] = await Promise.all([id(current), id(imageRef(settings, image))]);
    if (before && before === after) kept[image] = current.slice(current.lastIndexOf(':') + 1);
  }
  return kept;
}

/** Whether the engine has `ref` or can pull it (false offline, where no registry answers). */
export async function imageAvailable(docker: Docker, ref: string): Promise<boolean> {
  const ok = () => true;
  const no = () => false;
  return (
    (await docker.run(['image', 'inspect', '--format', '{{.Id}}', ref]).then(ok, no)) ||
    (await docker.run(['pull', '-q', ref]).then(ok, no))
  );
}
