/** Gating, housekeeping and waiting for the tests that need a Docker engine and a swarm (stack and monitoring). */
import { execFileSync, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';

/** Why swarm tests cannot run here, or undefined when a Docker engine answers. */
export function dockerUnavailable(): string | undefined {
  const result = spawnSync('docker', ['info', '--format', '{{.ServerVersion}}'], {
    encoding: 'utf8',
    timeout: 20_000,
  });
  if (result.error) return `docker CLI not runnable (${result.error.message})`;
  if (result.status !== 0) return `no Docker engine reachable (${result.stderr.trim().split('\n')[0]})`;
  return undefined;
}

export const docker = (...args: string[]): string =>
  execFileSync('docker', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();

/** Whether this engine is already part of a swarm (then the tests leave it as they found it). */
export const swarmActive = (): boolean =>
  docker('info', '--format', '{{.Swarm.LocalNodeState}}') === 'active';

/**
 * The address containers on overlay networks reach this machine at (the docker_gwbridge gateway). The engine
 * creates that network a moment after `swarm init` returns, so a swarm made just now is waited for.
 */
export function hostAddressFromContainers(): Promise<string> {
  return until(
    'the docker_gwbridge network of the swarm',
    () => docker('network', 'inspect', 'docker_gwbridge', '--format', '{{(index .IPAM.Config 0).Gateway}}'),
    30_000,
  );
}

/** ID of a running container of a stack service (single-node swarm, so it is local). */
export function containerOf(stack: string, service: string): string {
  const id = docker('ps', '-q', '--filter', `label=com.docker.swarm.service.name=${stack}_${service}`).split(
    '\n',
  )[0];
  if (!id) throw new Error(`no running container of ${stack}_${service}`);
  return id;
}

/** Polls until `probe` returns a value (errors count as "not yet"); the last error explains a timeout. */
export async function until<T>(
  what: string,
  probe: () => Promise<T | undefined> | T | undefined,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

/** Builds a variant of an image from a Dockerfile given inline (no build context needed). */
export function buildVariant(tag: string, dockerfile: string): void {
  execFileSync('docker', ['build', '-q', '-t', tag, '-'], {
    input: dockerfile,
    stdio: ['pipe', 'ignore', 'pipe'],
  });
}

/** A TCP port free on this machine right now, for the stack's host-mode published ports. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
