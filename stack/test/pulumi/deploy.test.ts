import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { renderStack } from '../../src/definition/render.js';
import {
  MONITORING_SERVERS,
  monitoringTlsSecrets,
  requiredSecrets,
  secretName,
} from '../../src/definition/secrets.js';
import { parseStackSettings } from '../../src/definition/settings.js';
import { secretValues, secretVersion } from '../../src/deployer/secrets.js';
import { loadStackConfig } from '../../src/pulumi/config.js';
import { remoteDeployRequest } from '../../src/pulumi/deploy-remote.js';
import { taskstack } from '../../src/pulumi/program.js';
import { stackSettingsFor } from '../../src/pulumi/stack-settings.js';
import {
  MOCK_HOST_KEY,
  MOCK_SECRETS,
  plainStrings,
  runStack,
  runWithMocks,
  valueOf,
  type ConfigOverrides,
} from './harness.js';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** The deployment step of a run; `fresh` runs the program again instead of reusing this file's run. */
async function deployStep(stack: string, overrides: ConfigOverrides = {}, fresh = false) {
  const r = fresh
    ? await runWithMocks(stack, { imageTag: 'abc123def456', ...overrides }, () => taskstack())
    : await runStack(stack, overrides);
  expect(r.error).toBeUndefined();
  const command = r.named('deploy');
  const request = remoteDeployRequest.parse(JSON.parse(String(command.inputs.stdin)));
  const config = await runWithMocks(stack, { imageTag: 'abc123def456', ...overrides }, () =>
    loadStackConfig(),
  );
  return {
    r,
    command,
    request,
    config: config.outputs,
    stackFile: await valueOf(r.outputs.deployment.stackFile),
  };
}

describe.each(['staging', 'prod'])('%s deployment', (stack) => {
  it("runs the repository's deployer from this machine, with no secret on its command line", async () => {
    const { command, request, r } = await deployStep(stack);
    expect(command.inputs.create).toBe(
      'node --conditions=@taskstack/source --import tsx stack/src/pulumi/deploy-main.ts',
    );
    const nodes = await valueOf(r.outputs.nodes);
    expect(request).toMatchObject({
      user: 'deploy',
      host: nodes[`taskstack-${stack}-manager-1`],
      hostKey: `${MOCK_HOST_KEY} root@node`,
      registry: {
        server: 'registry.digitalocean.com',
        username: 'mock-user',
        password: MOCK_SECRETS.registryPassword,
      },
      secrets: {
        smtpUrl: MOCK_SECRETS.smtpUrl,
        s3AccessKeyId: 'DO00MOCK-uploads-key',
        s3SecretAccessKey: `${MOCK_SECRETS.spacesSecret}-uploads-key`,
        backupS3AccessKeyId: 'DO00MOCK-backups-key',
        backupS3SecretAccessKey: `${MOCK_SECRETS.spacesSecret}-backups-key`,
      },
    });
    expect(request.secrets.postgresPassword.startsWith(MOCK_SECRETS.generated)).toBe(true);
    // A generated key of its own, apart from the TOTP one, that reaches api and worker as one Docker secret.
    expect(request.secrets.dataEncryptionKey).toMatch(
      new RegExp(`^${MOCK_SECRETS.generated}secrets-data-encryption-`),
    );
    expect(request.secrets.dataEncryptionKey).not.toBe(request.secrets.totpEncryptionKey);
    const settings = parseStackSettings(request.settings);
    expect(secretValues(settings, request.secrets).data_encryption_key).toBe(
      request.secrets.dataEncryptionKey,
    );
    const stackFile = await valueOf(r.outputs.deployment.stackFile);
    const versions = { data_encryption_key: secretVersion(request.secrets.dataEncryptionKey) };
    expect(stackFile).toContain(
      `name: ${secretName({ ...settings, secretVersions: versions }, 'data_encryption_key')}`,
    );
  });

  it.each([
    { host: 'postgres', input: 'postgres' },
    { host: 'redis', input: 'redis' },
    { host: 'api', input: 'api' },
  ] as const)(
    'serves $host with a certificate for its name from a CA of its own, the keys only as secrets',
    async ({ host, input }) => {
      const { r, request, stackFile } = await deployStep(stack);
      const ca = r.named(`${host}-tls-ca`);
      expect(ca.inputs).toMatchObject({
        isCaCertificate: true,
        allowedUses: ['cert_signing', 'crl_signing'],
        privateKeyPem: `${MOCK_SECRETS.tlsKey}-${host}-tls-ca-key\n-----END PRIVATE KEY-----\n`,
      });
      expect(r.named(`${host}-tls-server-request`).inputs).toMatchObject({ dnsNames: [host] });
      const server = r.named(`${host}-tls-server`);
      expect(server.inputs).toMatchObject({
        caCertPem: request.secrets[`${input}CaCertificate`],
        allowedUses: ['digital_signature', 'key_encipherment', 'server_auth'],
        // Renewed by the first `pulumi up` in its last 30 days.
        validityPeriodHours: 365 * 24,
        earlyRenewalHours: 30 * 24,
      });
      expect(request.secrets).toMatchObject({
        [`${input}CaCertificate`]: `-----BEGIN CERTIFICATE-----\nmock-${host}-tls-ca\n-----END CERTIFICATE-----\n`,
        [`${input}ServerCertificate`]: `-----BEGIN CERTIFICATE-----\nmock-${host}-tls-server\n-----END CERTIFICATE-----\n`,
        [`${input}ServerKey`]: `${MOCK_SECRETS.tlsKey}-${host}-tls-server-key\n-----END PRIVATE KEY-----\n`,
      });
      // The deployer turns them into the Docker secrets the stack file names by their values' hashes.
      const settings = parseStackSettings(request.settings);
      const values = secretValues(settings, request.secrets);
      for (const key of [`${host}_ca`, `${host}_tls_cert`, `${host}_tls_key`] as const) {
        const versions = { [key]: secretVersion(values[key]!) };
        expect(stackFile).toContain(`name: ${secretName({ ...settings, secretVersions: versions }, key)}`);
      }
      expect(values[`${host}_tls_key`]).toBe(request.secrets[`${input}ServerKey`]);
    },
  );

  it('serves each monitoring server with a certificate for its name from one monitoring CA, its key its own', async () => {
    const { r, request, stackFile } = await deployStep(stack);
    const mockKey = (name: string) => `${MOCK_SECRETS.tlsKey}-${name}\n-----END PRIVATE KEY-----\n`;
    expect(r.named('monitoring-tls-ca').inputs).toMatchObject({
      isCaCertificate: true,
      subject: { commonName: 'taskstack monitoring CA' },
      allowedUses: ['cert_signing', 'crl_signing'],
      privateKeyPem: mockKey('monitoring-tls-ca-key'),
      validityPeriodHours: 3650 * 24,
    });
    const { monitoringTls } = request.secrets;
    expect(monitoringTls.caCertificate).toBe(
      '-----BEGIN CERTIFICATE-----\nmock-monitoring-tls-ca\n-----END CERTIFICATE-----\n',
    );
    const settings = parseStackSettings(request.settings);
    const values = secretValues(settings, request.secrets);
    for (const server of MONITORING_SERVERS) {
      expect(r.named(`monitoring-tls-${server}-request`).inputs).toMatchObject({
        privateKeyPem: mockKey(`monitoring-tls-${server}-key`),
        dnsNames: [server],
      });
      expect(r.named(`monitoring-tls-${server}`).inputs).toMatchObject({
        caCertPem: monitoringTls.caCertificate,
        caPrivateKeyPem: mockKey('monitoring-tls-ca-key'),
        allowedUses: ['digital_signature', 'key_encipherment', 'server_auth'],
        validityPeriodHours: 365 * 24,
        earlyRenewalHours: 30 * 24,
      });
      expect(monitoringTls.servers[server]).toEqual({
        certificate: `-----BEGIN CERTIFICATE-----\nmock-monitoring-tls-${server}\n-----END CERTIFICATE-----\n`,
        key: mockKey(`monitoring-tls-${server}-key`),
      });
      // With monitoring on (prod), the deployer makes them the Docker secrets the stack file names.
      const { key, cert } = monitoringTlsSecrets(server);
      expect(values[key]).toBe(stack === 'prod' ? monitoringTls.servers[server].key : undefined);
      expect(values[cert]).toBe(stack === 'prod' ? monitoringTls.servers[server].certificate : undefined);
    }
    for (const key of ['monitoring_ca', 'grafana_tls_key', 'node_exporter_tls_cert'] as const) {
      if (stack !== 'prod') {
        expect(stackFile).not.toContain(key);
        continue;
      }
      const versions = { [key]: secretVersion(values[key]!) };
      expect(stackFile).toContain(`name: ${secretName({ ...settings, secretVersions: versions }, key)}`);
    }
  });

  it("keeps the deployer's output in the state only as a secret", async () => {
    const r = await runStack(stack);
    expect(r.error).toBeUndefined();
    expect(r.options.get('deploy')?.additionalSecretOutputs).toEqual(['stdout', 'stderr']);
  });

  it('hands the deployer exactly the settings the config describes', async () => {
    const { request, config } = await deployStep(stack);
    const expected = stackSettingsFor(config, {
      hostname: stack === 'prod' ? 'app.example.com' : 'staging.example.com',
      registryPrefix: 'registry.digitalocean.com/example-taskstack/',
      imageTag: 'abc123def456',
      acme: true,
      objectStore: { endpoint: 'https://fra1.digitaloceanspaces.com', region: 'fra1', forcePathStyle: false },
    });
    // deploy() parses what it is given; the result must be these settings, unchanged.
    expect(parseStackSettings(request.settings)).toEqual(expected);
    expect(expected).toMatchObject({
      domain: stack === 'prod' ? 'app.example.com' : 'staging.example.com',
      apiReplicas: stack === 'prod' ? 3 : 1,
      storage: {
        driver: 's3',
        bucket: `example-taskstack-${stack}-uploads`,
        backupBucket: `example-taskstack-${stack}-backups`,
        region: 'fra1',
      },
    });
  });

  it('deploys a stack file byte-identical to what the deployer renders locally for the same settings', async () => {
    const { request, stackFile } = await deployStep(stack);
    // What deploy() renders (the e2e test's path): parsed settings, Docker secrets named by their values' hashes.
    const settings = parseStackSettings(request.settings);
    const values = secretValues(settings, request.secrets);
    const secretVersions = Object.fromEntries(
      requiredSecrets(settings).map((key) => [key, secretVersion(values[key]!)]),
    );
    expect(Object.keys(secretVersions)).toContain('s3_secret_access_key');
    const local = renderStack({ ...settings, secretVersions });
    expect(stackFile).toBe(local);
    expect(stackFile).toContain(
      'image: registry.digitalocean.com/example-taskstack/taskstack/api:abc123def456',
    );
    // Monitoring is on in prod (Pulumi.prod.yaml) and off in staging.
    const monitored = stack === 'prod';
    expect(settings.monitoring).toBe(monitored);
    expect(
      stackFile.includes('registry.digitalocean.com/example-taskstack/taskstack/monitoring:abc123def456'),
    ).toBe(monitored);
    expect(Object.keys(secretVersions).includes('alertmanager_yml')).toBe(monitored);
  });

  it('redeploys when the stack definition or an image digest changes, not otherwise', async () => {
    const base = await deployStep(stack);
    const same = await deployStep(stack, {}, true);
    const replicas = await deployStep(stack, { apiReplicas: 7 });
    const retagged = await deployStep(stack, { imageTag: 'fedcba987654' });
    const triggers = (step: typeof base) => step.command.inputs.triggers as [string, Record<string, string>];
    expect(triggers(base)[0]).toBe(sha256(base.stackFile));
    expect(triggers(same)).toEqual(triggers(base));
    expect(triggers(replicas)[0]).not.toBe(triggers(base)[0]);
    const images = [
      'api',
      'nginx',
      'postgres',
      'renewer',
      'worker',
      ...(stack === 'prod' ? ['monitoring'] : []),
    ];
    expect(Object.keys(triggers(base)[1]).sort()).toEqual(images.sort());
    expect(triggers(retagged)[1].api).not.toBe(triggers(base)[1].api);
  });
});

describe('sign-in with an OpenID Connect provider', () => {
  const CLIENT_SECRET = 'oidc-client-secret-mock-0123456789';
  const provider = {
    oidcIssuer: 'https://id.example.com/realms/team',
    oidcClientId: 'taskstack',
    oidcDisplayName: 'Example ID',
    oidcOnly: true,
  };

  it('hands the api its provider, and the client secret as a Docker secret only inside secret envelopes', async () => {
    const r = await runWithMocks('staging', { imageTag: 'abc123def456', ...provider }, () => taskstack(), {
      smtpUrl: MOCK_SECRETS.smtpUrl,
      oidcClientSecret: CLIENT_SECRET,
    });
    expect(r.error).toBeUndefined();
    const request = remoteDeployRequest.parse(JSON.parse(String(r.named('deploy').inputs.stdin)));
    expect(request.secrets.oidcClientSecret).toBe(CLIENT_SECRET);
    const settings = parseStackSettings(request.settings);
    expect(settings.oidc).toEqual({
      issuer: 'https://id.example.com/realms/team',
      clientId: 'taskstack',
      displayName: 'Example ID',
      autoProvision: false,
      only: true,
    });
    const stackFile = await valueOf(r.outputs.deployment.stackFile);
    const compose = parse(stackFile) as {
      services: Record<string, { environment: Record<string, string>; secrets?: { source: string }[] }>;
      secrets: Record<string, { name: string }>;
    };
    expect(compose.services.api!.environment).toMatchObject({
      OIDC_ISSUER: 'https://id.example.com/realms/team',
      OIDC_CLIENT_ID: 'taskstack',
      OIDC_CLIENT_SECRET_FILE: '/run/secrets/oidc_client_secret',
      OIDC_DISPLAY_NAME: 'Example ID',
      OIDC_AUTO_PROVISION: 'false',
      OIDC_ONLY: 'true',
    });
    // The Docker secret is named by its value's hash: a rotated secret at the provider rolls the api onto it.
    expect(compose.secrets.oidc_client_secret!.name).toBe(
      `taskstack_oidc_client_secret_${secretVersion(CLIENT_SECRET)}`,
    );
    expect(stackFile).not.toContain(CLIENT_SECRET);
    const exposed = r.resources.filter((res) =>
      plainStrings(res.raw).some((text) => text.includes(CLIENT_SECRET)),
    );
    expect(exposed.map((res) => res.name)).toEqual([]);
  });

  it('gives the api no provider and no such secret without oidcIssuer', async () => {
    const { request, stackFile } = await deployStep('staging');
    expect(request.secrets.oidcClientSecret).toBe('');
    expect(parseStackSettings(request.settings).oidc).toBeUndefined();
    expect(stackFile).not.toContain('OIDC_');
    expect(stackFile).not.toContain('oidc_client_secret');
  });
});

describe('rotating the data encryption key', () => {
  const NEW = 'new-data-key-mock-0123456789abcdefghijklmnop';
  const OLD = 'old-data-key-mock-0123456789abcdefghijklmnop';

  it('hands api and worker the dataEncryptionKeys config in place of the generated key, as a new secret', async () => {
    const generated = (await deployStep('staging')).request.secrets.dataEncryptionKey;
    const r = await runWithMocks('staging', { imageTag: 'abc123def456' }, () => taskstack(), {
      smtpUrl: MOCK_SECRETS.smtpUrl,
      dataEncryptionKeys: `${NEW},${OLD}`,
    });
    expect(r.error).toBeUndefined();
    const request = remoteDeployRequest.parse(JSON.parse(String(r.named('deploy').inputs.stdin)));
    expect(request.secrets.dataEncryptionKey).toBe(`${NEW},${OLD}`);
    expect(generated).not.toBe(request.secrets.dataEncryptionKey);
    const stackFile = await valueOf(r.outputs.deployment.stackFile);
    // Named by its value's hash: the changed key rolls api and worker onto a new Docker secret.
    expect(stackFile).toContain(`taskstack_data_encryption_key_${secretVersion(`${NEW},${OLD}`)}`);
    expect(stackFile).not.toContain(NEW);
    const exposed = r.resources.filter((res) => plainStrings(res.raw).some((text) => text.includes(NEW)));
    expect(exposed.map((res) => res.name)).toEqual([]);
  });
});
