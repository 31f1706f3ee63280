import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Service } from './postgres.js';
import { freePort, startProcess, stopProcess, waitUntil } from './processes.js';

function ping(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = createConnection({ host: '127.0.0.1', port }, () => socket.write('PING\r\n'));
    socket.once('data', (data) => {
      socket.end();
      if (data.toString().startsWith('+PONG')) resolve();
      else reject(new Error(data.toString()));
    });
    socket.once('error', reject);
  });
}

/** Starts a throw-away Redis with the settings BullMQ requires (noeviction). */
export async function startRedis(): Promise<Service> {
  try {
    execFileSync('redis-server', ['--version'], { stdio: 'ignore' });
  } catch {
    throw new Error('redis-server not found: run `npm run setup` (installs the redis-server package)');
  }
  const dir = mkdtempSync(join(tmpdir(), 'taskstack-redis-'));
  const port = await freePort();
  const proc = startProcess('redis-server', [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--dir',
    dir,
    '--save',
    '',
    '--appendonly',
    'no',
    '--maxmemory-policy',
    'noeviction',
  ]);
  await waitUntil('redis', () => ping(port), proc);
  return {
    url: `redis://127.0.0.1:${port}`,
    stop: async () => {
      await stopProcess(proc.child);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
