import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { loadStackConfig, StackConfigError } from '../../src/pulumi/config.js';
import { repoRoot } from '../../src/deployer/images.js';
import { taskstack } from '../../src/pulumi/program.js';
import { MOCK_SECRETS, runWithMocks, type ConfigOverrides } from './harness.js';

/** Runs staging with overrides; returns the error lines and how many resources were registered. */
async function failing(overrides: ConfigOverrides, secrets?: Record<string, string>) {
  const r = await runWithMocks('staging', { imageTag: 'x', ...overrides }, () => taskstack(), secrets);
  expect(r.error).toBeInstanceOf(StackConfigError);
  const lines = (r.error as Error).message.split('\n').slice(1);
  // The stack resource itself is the only registration: validation runs before any resource is constructed.
  expect(r.resources.filter((res) => res.type !== 'pulumi:pulumi:Stack')).toEqual([]);
  return lines;
}

describe('config validation (before any resource exists)', () => {
  it.each([
    [{ region: 'mars1' }, /^taskstack:region: must be one of ams3, atl1, /],
    [{ managers: 0 }, /^taskstack:managers: must be 1 or 3/],
    [{ managers: 2 }, /^taskstack:managers: must be 1 or 3/],
    [{ adminCidrs: ['10.0.0.0/33'] }, /^taskstack:adminCidrs: "10.0.0.0\/33" is not a CIDR/],
    [{ adminCidrs: ['203.0.113.7'] }, /^taskstack:adminCidrs: "203.0.113.7" is not a CIDR/],
    [{ adminCidrs: ['0.0.0.0/0'] }, /^taskstack:adminCidrs: "0.0.0.0\/0" opens SSH to the whole internet/],
    [{ adminCidrs: ['0.0.0.0/1'] }, /^taskstack:adminCidrs: "0.0.0.0\/1" is wider than a \/8/],
    [
      { adminCidrs: ['203.0.113.7/32', '128.0.0.0/7'] },
      /^taskstack:adminCidrs: "128.0.0.0\/7" is wider than a \/8/,
    ],
    [{ adminCidrs: ['8000::/1'] }, /^taskstack:adminCidrs: "8000::\/1" is wider than a \/8/],
    [{ adminCidrs: [] }, /^taskstack:adminCidrs: must list at least one admin CIDR/],
    [{ domain: undefined }, /^taskstack:domain: required$/],
    [{ domain: 'not a domain' }, /^taskstack:domain: must be a DNS domain/],
    [{ dbNode: 'worker-1' }, /^taskstack:dbNode: worker-1 is not one of this stack's nodes$/],
    [{ adminSshKeys: ['hello'] }, /^taskstack:adminSshKeys: each entry must be an OpenSSH public key line/],
    [{ backupCron: 'daily' }, /^taskstack:backupCron: must be a 5-field cron expression/],
    [{ region: 'tor1' }, /^taskstack:spacesRegion: required: tor1 has no Spaces$/],
    [{ registry: 'ghcr' }, /^taskstack:ghcrUser: required when registry is ghcr$/],
    [{ workers: -1 }, /^taskstack:workers: /],
    [{ region: undefined }, /^taskstack:region: required$/],
    [{ registryName: undefined }, /^taskstack:registryName: required$/],
    [{ infrastructure: 'aws' }, /^taskstack:infrastructure: must be digitalocean or local$/],
    [{ localSubnet: '10.213.7.0/16' }, /^taskstack:localSubnet: must be an IPv4 \/24/],
  ])('rejects %j with one clear line naming the key', async (overrides, line) => {
    const lines = await failing(overrides);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(line);
  });

  it('reports every bad key at once', async () => {
    const lines = await failing({ region: 'mars1', managers: 0, domain: undefined, adminCidrs: ['x'] });
    expect(lines.map((line) => line.split(':')[1])).toEqual(['region', 'managers', 'domain', 'adminCidrs']);
  });

  it('requires the SMTP secret, and refuses it as plaintext without echoing it', async () => {
    expect(await failing({}, {})).toEqual(['taskstack:smtpUrl: required']);
    const r = await runWithMocks(
      'staging',
      { imageTag: 'x', smtpUrl: MOCK_SECRETS.smtpUrl },
      () => taskstack(),
      {},
    );
    const message = (r.error as Error).message;
    expect(message).toContain('taskstack:smtpUrl: must be set with `pulumi config set --secret smtpUrl`');
    expect(message).not.toContain(MOCK_SECRETS.smtpUrl);
    const bad = await failing({}, { smtpUrl: 'mailer:hunter2@smtp' });
    expect(bad).toEqual(['taskstack:smtpUrl: must be an smtp:// or smtps:// URL']);
    expect(bad.join()).not.toContain('hunter2');
  });

  it('requires the OIDC client with an issuer, takes its secret only as a secret, and never echoes it', async () => {
    expect(await failing({ oidcIssuer: 'https://id.example.com/realms/team' })).toEqual([
      'taskstack:oidcClientId: required when oidcIssuer is set',
      'taskstack:oidcClientSecret: required when oidcIssuer is set',
    ]);
    expect(await failing({ oidcOnly: true })).toEqual([
      'taskstack:oidcOnly: needs oidcIssuer (otherwise nobody could sign in)',
    ]);
    const secrets = { smtpUrl: MOCK_SECRETS.smtpUrl, oidcClientSecret: 'oidc-secret-mock' };
    expect(await failing({ oidcIssuer: 'http://id.example.com', oidcClientId: 'x' }, secrets)).toEqual([
      'taskstack:oidcIssuer: must be an https:// URL',
    ]);
    const plaintext = await runWithMocks(
      'staging',
      {
        imageTag: 'x',
        oidcIssuer: 'https://id.example.com',
        oidcClientId: 'x',
        oidcClientSecret: 'plain-oidc',
      },
      () => taskstack(),
    );
    const message = (plaintext.error as Error).message;
    expect(message).toContain(
      'taskstack:oidcClientSecret: must be set with `pulumi config set --secret oidcClientSecret`',
    );
    expect(message).not.toContain('plain-oidc');
  });

  it('takes replacement data encryption keys only as a secret, in the api format, and never echoes them', async () => {
    const key = 'data-key-mock-0123456789abcdefghijklmnop';
    const short = await failing({}, { smtpUrl: MOCK_SECRETS.smtpUrl, dataEncryptionKeys: `${key},tooshort` });
    expect(short).toEqual([
      'taskstack:dataEncryptionKeys: must be one key, or NEW,OLD while rotating: each at least 32 characters without spaces or commas (e.g. `openssl rand -base64 32`)',
    ]);
    expect(short.join()).not.toContain(key);
    const plaintext = await runWithMocks('staging', { imageTag: 'x', dataEncryptionKeys: key }, () =>
      taskstack(),
    );
    const message = (plaintext.error as Error).message;
    expect(message).toContain(
      'taskstack:dataEncryptionKeys: must be set with `pulumi config set --secret dataEncryptionKeys`',
    );
    expect(message).not.toContain(key);
  });

  it('accepts both stack files and applies the documented defaults', async () => {
    for (const stack of ['staging', 'prod']) {
      const r = await runWithMocks(stack, { imageTag: 'x' }, () => loadStackConfig());
      expect(r.error).toBeUndefined();
      expect(r.outputs.image).toBe('debian-12-x64');
      expect(r.outputs.spacesRegion).toBe('fra1');
    }
  });

  it("keeps Pulumi.yaml's defaults equal to the program's", async () => {
    const project = parse(readFileSync(`${repoRoot}Pulumi.yaml`, 'utf8')) as {
      config: Record<string, { default?: unknown }>;
    };
    // Only the keys without a default in Pulumi.yaml, so the program falls back to its own defaults.
    const required = [
      'region',
      'domain',
      'acmeEmail',
      'adminSshKeys',
      'adminCidrs',
      'backupBucket',
      'uploadsBucket',
    ];
    const minimal: ConfigOverrides = {};
    for (const [key, spec] of Object.entries(project.config)) {
      if (spec.default !== undefined) minimal[key] = undefined;
    }
    const withYamlDefaults = await runWithMocks('staging', { imageTag: 'x' }, () => loadStackConfig());
    const withProgramDefaults = await runWithMocks('staging', { imageTag: 'x', ...minimal }, () =>
      loadStackConfig(),
    );
    for (const [key, spec] of Object.entries(project.config)) {
      if (spec.default === undefined) continue;
      expect(required).not.toContain(key);
      const programDefault = (withProgramDefaults.outputs as unknown as Record<string, unknown>)[key];
      expect({ key, value: programDefault }).toEqual({ key, value: spec.default });
    }
    expect(withYamlDefaults.error).toBeUndefined();
  });
});
