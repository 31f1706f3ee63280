import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { createServer } from 'node:net';

const children = new Set<ChildProcess>();

/** Stops every child we started when this process ends, including on Ctrl-C, so no server outlives its owner. */
function killChildren(): void {
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
}
process.once('exit', killChildren);
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(signal, () => {
    // When the app has its own handler (Shutdown), it stops the servers in order and exits; otherwise we do.
    if (process.listenerCount(signal) > 1) return;
    killChildren();
    process.exit(130);
  });
}

/**
 * A port nobody listens on, for a server about to start on it. Drawn below the kernel's ephemeral range (32768–60999
 * by default), where every client socket takes its local port: the kernel's own pick of a free port comes from that
 * range, and on a busy test run some connection could hold it by the time the server binds (EADDRINUSE).
 */
export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    if (await canListen(port)) return port;
  }
  throw new Error('no free port between 20000 and 32000');
}

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** Starts a long-running server process that is tracked for clean-up; its output is kept for error messages. */
export function startProcess(
  command: string,
  args: string[],
  options: SpawnOptions = {},
): { child: ChildProcess; output: () => string } {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], ...options });
  children.add(child);
  child.once('exit', () => children.delete(child));
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return { child, output: () => output };
}

/** Polls `probe` until it resolves, failing with the server's own output if it exits or never answers. */
export async function waitUntil(
  what: string,
  probe: () => Promise<unknown>,
  proc: { child: ChildProcess; output: () => string },
  timeoutMs = 30_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (proc.child.exitCode !== null)
      throw new Error(`${what} exited (${proc.child.exitCode}):\n${proc.output()}`);
    try {
      await probe();
      return;
    } catch (error) {
      if (Date.now() > deadline) {
        throw new Error(`${what} did not become ready: ${String(error)}\n${proc.output()}`, { cause: error });
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

/** Sends SIGTERM and waits for the exit, escalating to SIGKILL after `graceMs`. */
export async function stopProcess(child: ChildProcess, graceMs = 5000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}
