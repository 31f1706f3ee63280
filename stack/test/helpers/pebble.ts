/**
 * A real ACME CA for tests: Pebble with pebble-challtestsrv as its DNS (every name → 127.0.0.1), validating HTTP-01
 * on the port where the stack's nginx listens. Its HTTPS listener gets a certificate for the address containers
 * reach the host on, so certbot in the renewer can trust it.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Pebble {
  directoryUrl: string;
  /** The listener's certificate, for the renewer's REQUESTS_CA_BUNDLE. */
  caCertificate: string;
  stop(): Promise<void>;
}

/** Starts challtestsrv and pebble; `hostAddress` is how containers reach this machine, `httpPort` nginx's port 80. */
export async function startPebble(options: {
  hostAddress: string;
  httpPort: number;
  tlsPort: number;
}): Promise<Pebble> {
  const dir = mkdtempSync(join(tmpdir(), 'pebble-'));
  const ports = { acme: 14_000 + Math.floor(Math.random() * 900), dns: 18_053 };
  ports.dns = ports.acme + 1000;
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '2',
      '-subj',
      '/CN=pebble',
      '-addext',
      `subjectAltName=IP:${options.hostAddress},IP:127.0.0.1,DNS:localhost`,
      '-keyout',
      join(dir, 'key.pem'),
      '-out',
      join(dir, 'cert.pem'),
    ],
    { stdio: 'ignore' },
  );
  writeFileSync(
    join(dir, 'pebble.json'),
    JSON.stringify({
      pebble: {
        listenAddress: `0.0.0.0:${ports.acme}`,
        managementListenAddress: `127.0.0.1:${ports.acme + 500}`,
        certificate: join(dir, 'cert.pem'),
        privateKey: join(dir, 'key.pem'),
        httpPort: options.httpPort,
        tlsPort: options.tlsPort,
        ocspResponderURL: '',
        externalAccountBindingRequired: false,
      },
    }),
  );
  const children: ChildProcess[] = [];
  // Output goes to files, not pipes: a test blocked in a synchronous call must not stall the CA on a full pipe.
  const start = (command: string, args: string[], logFile: string) => {
    const fd = openSync(join(dir, logFile), 'a');
    const child = spawn(command, args, {
      cwd: dir,
      stdio: ['ignore', fd, fd],
      env: { ...process.env, PEBBLE_VA_NOSLEEP: '1', PEBBLE_WFE_NONCEREJECT: '0' },
    });
    closeSync(fd);
    children.push(child);
    return () => readFileSync(join(dir, logFile), 'utf8');
  };
  start(
    'pebble-challtestsrv',
    [
      '-defaultIPv6',
      '',
      '-defaultIPv4',
      '127.0.0.1',
      '-http01',
      '',
      '-https01',
      '',
      '-tlsalpn01',
      '',
      '-dns01',
      `127.0.0.1:${ports.dns}`,
      '-management',
      `127.0.0.1:${ports.dns + 1}`,
    ],
    'challtestsrv.log',
  );
  const pebbleOutput = start(
    'pebble',
    ['-config', join(dir, 'pebble.json'), '-dnsserver', `127.0.0.1:${ports.dns}`],
    'pebble.log',
  );
  const deadline = Date.now() + 20_000;
  while (!/Listening on|ACME directory available/.test(pebbleOutput())) {
    if (Date.now() > deadline) throw new Error(`pebble did not start:\n${pebbleOutput()}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return {
    directoryUrl: `https://${options.hostAddress}:${ports.acme}/dir`,
    caCertificate: readFileSync(join(dir, 'cert.pem'), 'utf8'),
    async stop() {
      for (const child of children) child.kill('SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
