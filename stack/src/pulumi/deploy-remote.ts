/**
 * What Pulumi's deployment step runs on the operator's machine: the stack deployer (`deploy()`, the code the local
 * e2e test runs) against the swarm manager over SSH. Everything arrives as one JSON document on stdin — a Pulumi
 * secret — so no secret is ever on a command line; the SSH key, the node's host key and the registry login live in
 * a private temporary directory that is removed afterwards.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { MONITORING_SERVERS } from '../definition/secrets.js';
import { deploy } from '../deployer/deploy.js';
import { Docker, type Target } from '../deployer/docker.js';

/** The document Pulumi writes to this script's stdin. */
export const remoteDeployRequest = z.object({
  user: z.string().regex(/^[a-z_][a-z0-9_-]*$/),
  host: z.string().regex(/^[0-9a-f.:]+$/i),
  /** The node's SSH host key (`ssh-ed25519 AAAA…`), read over Pulumi's first SSH step; checked strictly. */
  hostKey: z.string().regex(/^ssh-[a-z0-9-]+ [A-Za-z0-9+/=]+/),
  privateKey: z.string().min(1),
  registry: z.object({ server: z.string().min(1), username: z.string().min(1), password: z.string().min(1) }),
  settings: z.record(z.string(), z.unknown()),
  secrets: z.object({
    postgresPassword: z.string().min(16),
    postgresCaCertificate: z.string().includes('BEGIN CERTIFICATE'),
    postgresServerCertificate: z.string().includes('BEGIN CERTIFICATE'),
    postgresServerKey: z.string().includes('PRIVATE KEY'),
    redisPassword: z.string().min(16),
    redisCaCertificate: z.string().includes('BEGIN CERTIFICATE'),
    redisServerCertificate: z.string().includes('BEGIN CERTIFICATE'),
    redisServerKey: z.string().includes('PRIVATE KEY'),
    apiCaCertificate: z.string().includes('BEGIN CERTIFICATE'),
    apiServerCertificate: z.string().includes('BEGIN CERTIFICATE'),
    apiServerKey: z.string().includes('PRIVATE KEY'),
    monitoringTls: z.object({
      caCertificate: z.string().includes('BEGIN CERTIFICATE'),
      servers: z.record(
        z.enum(MONITORING_SERVERS),
        z.object({
          certificate: z.string().includes('BEGIN CERTIFICATE'),
          key: z.string().includes('PRIVATE KEY'),
        }),
      ),
    }),
    jwtSecret: z.string().min(32),
    totpEncryptionKey: z.string().min(32),
    dataEncryptionKey: z.string().min(32),
    smtpUrl: z.string().min(1),
    s3AccessKeyId: z.string().min(1),
    s3SecretAccessKey: z.string().min(1),
    backupS3AccessKeyId: z.string().min(1),
    backupS3SecretAccessKey: z.string().min(1),
    grafanaAdminPassword: z.string().min(16),
    /** Empty without a sign-in provider. */
    oidcClientSecret: z.string().optional(),
  }),
});
export type RemoteDeployRequest = z.infer<typeof remoteDeployRequest>;

/** An `ssh` for the front of PATH, which the Docker CLI runs: our key, the pinned host key, never a prompt. */
export function sshWrapper(dir: string, request: RemoteDeployRequest): string {
  const realSsh = execFileSync('sh', ['-c', 'command -v ssh'], { encoding: 'utf8' }).trim();
  writeFileSync(join(dir, 'id'), request.privateKey.trim() + '\n', { mode: 0o600 });
  const [type, key] = request.hostKey.trim().split(/\s+/);
  writeFileSync(join(dir, 'known_hosts'), `${request.host} ${type} ${key}\n`, { mode: 0o600 });
  const bin = join(dir, 'bin');
  mkdirSync(bin, { mode: 0o700 });
  const options = [
    `-i '${dir}/id'`,
    '-o IdentitiesOnly=yes',
    '-o BatchMode=yes',
    '-o StrictHostKeyChecking=yes',
    `-o UserKnownHostsFile='${dir}/known_hosts'`,
  ].join(' ');
  writeFileSync(join(bin, 'ssh'), `#!/bin/sh\nexec '${realSsh}' ${options} "$@"\n`, { mode: 0o700 });
  return bin;
}

/** Deploys the stack described by `request` to its swarm manager; resolves when it runs healthy. */
export async function deployOverSsh(request: RemoteDeployRequest): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'taskstack-deploy-'));
  const saved = { PATH: process.env.PATH, DOCKER_CONFIG: process.env.DOCKER_CONFIG };
  try {
    process.env.PATH = `${sshWrapper(dir, request)}:${process.env.PATH ?? ''}`;
    process.env.DOCKER_CONFIG = join(dir, 'docker');
    const target: Target = `ssh://${request.user}@${request.host}`;
    const { server, username, password } = request.registry;
    // `--with-registry-auth` hands this login to the swarm, so every node can pull our images.
    await new Docker(target).run(['login', '--username', username, '--password-stdin', server], {
      input: password,
    });
    await deploy({
      target,
      settings: request.settings as Parameters<typeof deploy>[0]['settings'],
      secrets: request.secrets,
      build: false,
    });
  } finally {
    process.env.PATH = saved.PATH;
    if (saved.DOCKER_CONFIG === undefined) delete process.env.DOCKER_CONFIG;
    else process.env.DOCKER_CONFIG = saved.DOCKER_CONFIG;
    rmSync(dir, { recursive: true, force: true });
  }
}
