import { freePort } from '@taskstack/devservices';
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..', '..');

/** Compiles the worker and the packages it uses as the image build does (`tsc -p tsconfig.build.json` each). */
export function buildWorker(): void {
  for (const dir of ['packages/config', 'packages/runtime', 'packages/db', 'packages/queues', 'worker']) {
    execFileSync('npx', ['tsc', '-p', join(dir, 'tsconfig.build.json')], { cwd: root, stdio: 'inherit' });
  }
}

/**
 * The worker as production runs it (`node dist/main.js`, its own process, no TypeScript loader), so its memory,
 * read from /proc, is what a container would use.
 */
export async function startWorkerProcess(env: Record<string, string>) {
  const port = await freePort();
  const child = spawn('node', ['dist/main.js'], {
    cwd: join(root, 'worker'),
    env: { ...process.env, ...env, WORKER_HTTP_PORT: String(port), LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  for (let i = 0; ; i++) {
    const up = await fetch(`http://127.0.0.1:${port}/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (up) break;
    if (i > 300 || child.exitCode !== null) throw new Error('worker did not start');
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    /** Resident memory of the worker process in MiB (pg_dump, its child, is a process of its own). */
    rssMiB: () =>
      Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))![1]) / 1024,
    stop: async () => {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    },
  };
}
