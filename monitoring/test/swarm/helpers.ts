/**
 * Helpers of the local-swarm operations tests beyond the stack tests' own (stack/test/helpers): runbooks run as
 * written, and a TCP relay from the swarm to a loopback-only server.
 */
import { spawn } from 'node:child_process';
import { createServer, connect, type Server } from 'node:net';
import { repoRoot } from '../paths.js';
import { runbookBlocks } from '../runbook-blocks.js';

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
