import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MONITORING_SERVERS } from '../../src/definition/secrets.js';
import { repoRoot } from '../../src/deployer/images.js';
import { sshWrapper, type RemoteDeployRequest } from '../../src/pulumi/deploy-remote.js';
import { MOCK_HOST_KEY, MOCK_SECRETS } from './harness.js';

const hasSsh = spawnSync('sh', ['-c', 'command -v ssh && command -v ssh-keygen']).status === 0;

const request: RemoteDeployRequest = {
  user: 'deploy',
  host: '203.0.113.5',
  hostKey: `${MOCK_HOST_KEY} root@node`,
  privateKey: MOCK_SECRETS.pulumiKey,
  registry: { server: 'registry.digitalocean.com', username: 'u', password: MOCK_SECRETS.registryPassword },
  settings: {},
  secrets: {
    postgresPassword: 'p'.repeat(32),
    postgresCaCertificate: '-----BEGIN CERTIFICATE-----\nca\n-----END CERTIFICATE-----\n',
    postgresServerCertificate: '-----BEGIN CERTIFICATE-----\nserver\n-----END CERTIFICATE-----\n',
    postgresServerKey: `${MOCK_SECRETS.tlsKey}\n-----END PRIVATE KEY-----\n`,
    redisPassword: 'r'.repeat(32),
    redisCaCertificate: '-----BEGIN CERTIFICATE-----\nredis-ca\n-----END CERTIFICATE-----\n',
    redisServerCertificate: '-----BEGIN CERTIFICATE-----\nredis\n-----END CERTIFICATE-----\n',
    redisServerKey: `${MOCK_SECRETS.tlsKey}\n-----END PRIVATE KEY-----\n`,
    apiCaCertificate: '-----BEGIN CERTIFICATE-----\napi-ca\n-----END CERTIFICATE-----\n',
    apiServerCertificate: '-----BEGIN CERTIFICATE-----\napi\n-----END CERTIFICATE-----\n',
    apiServerKey: `${MOCK_SECRETS.tlsKey}\n-----END PRIVATE KEY-----\n`,
    monitoringTls: {
      caCertificate: '-----BEGIN CERTIFICATE-----\nmonitoring-ca\n-----END CERTIFICATE-----\n',
      servers: Object.fromEntries(
        MONITORING_SERVERS.map((server) => [
          server,
          {
            certificate: `-----BEGIN CERTIFICATE-----\n${server}\n-----END CERTIFICATE-----\n`,
            key: `${MOCK_SECRETS.tlsKey}\n-----END PRIVATE KEY-----\n`,
          },
        ]),
      ) as RemoteDeployRequest['secrets']['monitoringTls']['servers'],
    },
    jwtSecret: 'j'.repeat(48),
    totpEncryptionKey: 't'.repeat(48),
    dataEncryptionKey: 'd'.repeat(48),
    smtpUrl: MOCK_SECRETS.smtpUrl,
    s3AccessKeyId: 'DO00MOCKACCESSKEY',
    s3SecretAccessKey: MOCK_SECRETS.spacesSecret,
    backupS3AccessKeyId: 'DO00MOCKBACKUPKEY',
    backupS3SecretAccessKey: `${MOCK_SECRETS.spacesSecret}-backups`,
    grafanaAdminPassword: 'g'.repeat(24),
  },
};

describe.skipIf(!hasSsh)(`the deployer's SSH hop${hasSsh ? '' : ' (skipped: no OpenSSH client)'}`, () => {
  it('makes ssh use only our key and only the pinned host key, without prompting', () => {
    const dir = mkdtempSync(join(tmpdir(), 'taskstack-ssh-'));
    const bin = sshWrapper(dir, request);
    // `ssh -G` prints the configuration ssh would connect with, without connecting.
    const effective = execFileSync(join(bin, 'ssh'), ['-G', '-l', 'deploy', request.host], {
      encoding: 'utf8',
    });
    expect(effective).toContain(`identityfile ${dir}/id\n`);
    expect(effective).toContain('identitiesonly yes\n');
    expect(effective).toContain('batchmode yes\n');
    expect(effective).toContain('stricthostkeychecking true\n');
    expect(effective).toContain(`userknownhostsfile ${dir}/known_hosts\n`);
    // The pinned key is found for that host, and the private key is readable by us alone.
    const found = execFileSync('ssh-keygen', ['-F', request.host, '-f', join(dir, 'known_hosts')], {
      encoding: 'utf8',
    });
    expect(found).toContain(MOCK_HOST_KEY);
    expect(statSync(join(dir, 'id')).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(dir, 'id'), 'utf8')).toBe(MOCK_SECRETS.pulumiKey);
  });
});

describe('deploy-main (what Pulumi runs)', () => {
  it('rejects a malformed request in one line naming the fields, never the values', () => {
    const bad = {
      ...request,
      host: 'not a host; rm -rf /',
      secrets: { ...request.secrets, jwtSecret: 'short' },
    };
    const result = spawnSync(
      process.execPath,
      ['--conditions=@taskstack/source', '--import', 'tsx', 'stack/src/pulumi/deploy-main.ts'],
      { cwd: repoRoot, input: JSON.stringify(bad), encoding: 'utf8' },
    );
    expect(result.status).toBe(2);
    expect(result.stderr).toBe('deploy: bad request from Pulumi (fields: host, secrets.jwtSecret)\n');
    for (const secret of Object.values(MOCK_SECRETS)) expect(result.stderr).not.toContain(secret.trim());
  });
});
