import { readFileSync } from 'node:fs';
import * as pulumi from '@pulumi/pulumi';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { repoRoot } from '../../src/deployer/images.js';
import { SECRET_KEYS } from '../../src/pulumi/config.js';
import { taskstack } from '../../src/pulumi/program.js';
import { MOCK_SECRETS, plainStrings, runStack, runWithMocks, valueOf } from './harness.js';

const secretValues = Object.values(MOCK_SECRETS);
const leaks = (text: string) => secretValues.filter((secret) => text.includes(secret.trim()));

describe.each(['staging', 'prod'])('%s secrets', (stack) => {
  it('sends every secret to resources only inside a secret envelope', async () => {
    const r = await runStack(stack);
    expect(r.error).toBeUndefined();
    const exposed = r.resources.flatMap((res) =>
      plainStrings(res.raw)
        .filter((text) => leaks(text).length > 0)
        .map((text) => `${res.name}: ${leaks(text).join(',')}`),
    );
    expect(exposed).toEqual([]);
    // …and they really are there, wrapped: the test would notice if they vanished instead.
    expect(String(r.named('deploy').inputs.stdin)).toContain(MOCK_SECRETS.smtpUrl);
    expect(JSON.stringify(r.named('swarm-init').inputs.connection)).toContain('mock-pulumi-private-key');
  });

  it('holds no secret in any output but Grafana’s password, which stays a secret', async () => {
    const r = await runStack(stack);
    // Everything but the deployment step, which index.ts does not export, and Grafana's login (prod only).
    const { deployment: _deployment, grafana, ...exported } = r.outputs;
    if (stack === 'prod') {
      expect(grafana?.url).toBe('https://app.example.com/grafana/');
      expect(await pulumi.isSecret(grafana!.adminPassword)).toBe(true);
    } else {
      expect(grafana).toBeUndefined();
    }
    const outputs: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(exported)) {
      outputs[key] = await valueOf(value as pulumi.Input<unknown>);
    }
    expect(Object.keys(outputs)).toHaveLength(8);
    expect(leaks(JSON.stringify(outputs))).toEqual([]);
    for (const value of Object.values(exported)) {
      if (pulumi.Output.isInstance(value))
        expect(await pulumi.isSecret(value as pulumi.Output<unknown>)).toBe(false);
    }
  });

  it('boots droplets with user-data that holds no secret and nothing stack-specific', async () => {
    const r = await runStack(stack);
    const file = readFileSync(`${repoRoot}stack/cloud-init/user-data.yaml`, 'utf8');
    for (const droplet of r.ofType('digitalocean:index/droplet:Droplet')) {
      expect(droplet.inputs.userData).toBe(file);
    }
    expect(leaks(file)).toEqual([]);
    for (const plain of ['example.com', stack, 'ssh-ed25519', '203.0.113']) expect(file).not.toContain(plain);
  });
});

describe('stack files', () => {
  it('never hold a secret key in plaintext', () => {
    for (const stack of ['staging', 'prod']) {
      const { config } = parse(readFileSync(`${repoRoot}Pulumi.${stack}.yaml`, 'utf8')) as {
        config: Record<string, unknown>;
      };
      for (const key of SECRET_KEYS) {
        const value = config[`taskstack:${key}`];
        // Absent, or encrypted by `pulumi config set --secret` ({secure: …}).
        expect(
          value === undefined || (typeof value === 'object' && value !== null && 'secure' in value),
        ).toBe(true);
      }
    }
  });

  it('keep user-data identical whatever the config, so no config change replaces a droplet', async () => {
    const a = await runStack('prod');
    const b = await runWithMocks(
      'prod',
      {
        imageTag: 'y',
        adminSshKeys: ['ssh-ed25519 AAAAother admin2'],
        apiReplicas: 5,
        workerSize: 's-8vcpu-16gb',
      },
      () => taskstack(),
    );
    const userData = (run: typeof a) =>
      run.ofType('digitalocean:index/droplet:Droplet').map((d) => d.inputs.userData);
    expect(new Set([...userData(a), ...userData(b)]).size).toBe(1);
  });
});

describe('GHCR instead of DOCR', () => {
  it('pushes to ghcr.io with the token kept secret, and creates no DigitalOcean registry', async () => {
    const r = await runWithMocks(
      'prod',
      { imageTag: 'x', registry: 'ghcr', registryName: 'acme', ghcrUser: 'acme-bot' },
      () => taskstack(),
      { smtpUrl: MOCK_SECRETS.smtpUrl, ghcrToken: MOCK_SECRETS.ghcrToken },
    );
    expect(r.error).toBeUndefined();
    expect(r.resources.filter((res) => res.type.includes('containerRegistry'))).toEqual([]);
    const images = r.ofType('docker:index/image:Image');
    expect(images.map((i) => i.inputs.imageName)).toContain('ghcr.io/acme/taskstack/api:x');
    expect(images[0]!.inputs.registry).toEqual({
      server: 'ghcr.io',
      username: 'acme-bot',
      password: MOCK_SECRETS.ghcrToken,
    });
    const exposed = r.resources.flatMap((res) =>
      plainStrings(res.raw).filter((text) => leaks(text).length > 0),
    );
    expect(exposed).toEqual([]);
  });
});
