/** Helpers of the local-swarm operations tests: docker, waiting, HTTPS through nginx, runbooks run as written. */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import https from 'node:https';
import { createServer, connect, type Server } from 'node:net';
import { repoRoot } from '../paths.js';
import { runbookBlocks } from '../runbook-blocks.js';

/** Why these tests cannot run here, or undefined when a Docker engine answers. */
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
  execFileSync('docker', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], cwd: repoRoot }).trim();

/** ID of a running container of a stack service (single-node swarm, so it is local). */
export function containerOf(stack: string, service: string): string {
  const ids = docker('ps', '-q', '--filter', `label=com.docker.swarm.service.name=${stack}_${service}`);
  const id = ids.split('\n')[0];
  if (!id) throw new Error(`no running container of ${stack}_${service}`);
  return id;
}

/** Polls until `probe` returns a value (errors count as "not yet"); the last error explains a timeout. */
export async function until<T>(
  what: string,
  probe: () => Promise<T | undefined> | T | undefined,
  timeoutMs = 60_000,
) {
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

/**
 * Runs the `sh` blocks of a runbook in order in one bash (variables carry from block to block), as an admin
 * pasting them would, and returns what they printed; a failing command fails with the runbook's own output.
 */
export async function runRunbook(file: string, env: Record<string, string>): Promise<string> {
  const blocks = runbookBlocks(file).filter((b) => b.kind === 'local');
  if (!blocks.length) throw new Error(`${file} has no sh blocks to run`);
  const script = ['set -euo pipefail', ...blocks.map((b) => `# ${file}:${b.line}\n${b.code}`)].join('\n');
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-c', script], { cwd: repoRoot, env: { ...process.env, ...env } });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('close', (code) =>
      code === 0 ? resolve(output) : reject(new Error(`runbook ${file} failed (exit ${code}):\n${output}`)),
    );
  });
}

export interface Edge {
  domain: string;
  httpsPort: number;
}

/** A JSON call to the API through nginx's TLS port, as the web app makes it (self-signed certificate locally). */
export function api<T = unknown>(
  edge: Edge,
  method: string,
  path: string,
  options: { body?: unknown; token?: string } = {},
): Promise<{ status: number; body: T }> {
  const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
  return new Promise((resolve, reject) => {
    const req = https.request(
      {
        host: '127.0.0.1',
        port: edge.httpsPort,
        servername: edge.domain,
        path: `/api/v1${path}`,
        method,
        rejectUnauthorized: false,
        headers: {
          host: edge.domain,
          ...(payload ? { 'content-type': 'application/json' } : {}),
          ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
        },
        timeout: 10_000,
      },
      (res) => {
        let text = '';
        res.on('data', (chunk) => (text += chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: (text ? JSON.parse(text) : undefined) as T }),
        );
      },
    );
    req.on('error', reject);
    req.on('timeout', () => req.destroy(new Error(`${method} ${path} timed out`)));
    req.end(payload);
  });
}

/** Forwards TCP from an address containers reach (the docker_gwbridge gateway) to a loopback-only server. */
export async function forward(
  host: string,
  toPort: number,
): Promise<{ port: number; close: () => Promise<void> }> {
  const server: Server = createServer((inbound) => {
    const outbound = connect(toPort, '127.0.0.1');
    inbound.pipe(outbound).pipe(inbound);
    const end = () => {
      inbound.destroy();
      outbound.destroy();
    };
    inbound.on('error', end);
    outbound.on('error', end);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => resolve());
  });
  const address = server.address();
  return {
    port: typeof address === 'object' && address ? address.port : 0,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
