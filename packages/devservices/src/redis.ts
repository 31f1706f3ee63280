import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect as connectTls } from 'node:tls';
import { makeCertificates } from './certificates.js';
import type { Service } from './postgres.js';
import { freePort, startProcess, stopProcess, waitUntil } from './processes.js';

/** PINGs the server on `port`, over TLS trusting `ca` when given. */
function ping(port: number, ca?: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    const sendPing = () => socket.write('PING\r\n');
    const socket = ca
      ? connectTls({ host: '127.0.0.1', port, ca }, sendPing)
      : createConnection({ host: '127.0.0.1', port }, sendPing);
    socket.once('data', (data) => {
      socket.end();
      if (data.toString().startsWith('+PONG')) resolve();
      else reject(new Error(data.toString()));
    });
    socket.once('error', reject);
  });
}

/**
 * Starts a throw-away Redis with the settings BullMQ requires (noeviction). With `tls`, it is set up as the stack's
 * is: TLS only (no plain-text port), with a certificate for 127.0.0.1 and localhost from a CA of its own, which its
 * `rediss://` URL names (`?cacert=`, as REDIS_URL takes it) and `caFile` holds.
 */
export async function startRedis(options: { tls?: boolean } = {}): Promise<Service & { caFile?: string }> {
  try {
    execFileSync('redis-server', ['--version'], { stdio: 'ignore' });
  } catch {
    throw new Error('redis-server not found: run `npm run setup` (installs the redis-server package)');
  }
  const dir = mkdtempSync(join(tmpdir(), 'taskstack-redis-'));
  const tls = options.tls ? makeCertificates(dir, ['127.0.0.1', 'localhost']) : undefined;
  const port = await freePort();
  // With TLS no plain-text port; clients prove themselves with passwords (the stack's ACL users), not certificates.
  const listen = tls
    ? [
        ...['--port', '0', '--tls-port', String(port), '--tls-auth-clients', 'no'],
        ...['--tls-cert-file', tls.certFile, '--tls-key-file', tls.keyFile],
      ]
    : ['--port', String(port)];
  const proc = startProcess('redis-server', [
    ...listen,
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
  await waitUntil('redis', () => ping(port, tls && readFileSync(tls.caFile)), proc);
  return {
    url: tls
      ? `rediss://127.0.0.1:${port}?cacert=${encodeURIComponent(tls.caFile)}`
      : `redis://127.0.0.1:${port}`,
    caFile: tls?.caFile,
    stop: async () => {
      await stopProcess(proc.child);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
