/**
 * Runs the Pulumi program under `pulumi.runtime.setMocks` with a stack's real config file (plus Pulumi.yaml's
 * defaults, as the engine merges them) and records every resource it registers — its inputs as the program sent
 * them, secret markers included — so tests can check the graph without the CLI or a cloud.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as pulumi from '@pulumi/pulumi';
import { parse } from 'yaml';
import { repoRoot } from '../../src/deployer/images.js';
import { taskstack, type Taskstack } from '../../src/pulumi/program.js';

/** Values the mocks hand out for secrets, so tests can search for them anywhere they must not be. */
export const MOCK_SECRETS = {
  smtpUrl: 'smtp://mailer:smtp-pa55word-mock@smtp.example.com:587',
  ghcrToken: 'ghp_mockGithubToken0123456789',
  spacesSecret: 'spaces-secret-key-mock-0123456789',
  registryPassword: 'docr-password-mock-0123456789',
  pulumiKey:
    '-----BEGIN OPENSSH PRIVATE KEY-----\nmock-pulumi-private-key\n-----END OPENSSH PRIVATE KEY-----\n',
  /** Private keys in PEM (the Postgres, Redis, api and monitoring CAs' and servers'); `-<resource name>` follows. */
  tlsKey: '-----BEGIN PRIVATE KEY-----\nmock-tls-private-key',
  managerToken: 'SWMTKN-1-mock-manager-token',
  workerToken: 'SWMTKN-1-mock-worker-token',
  /** Prefix of every generated password (Postgres, Redis, JWT). */
  generated: 'rnd-secret-',
};

// How the SDK serializes a secret: { [SECRET_SIG]: SECRET_VALUE, value } (the mock monitor hands it over as is).
export const MOCK_HOST_KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIMockHostKey';

const SECRET_SIG = '4dabf18193072939515e22adb298388d';
const SECRET_VALUE = '1b47061264138c4ac30d75fd1eb44270';

export interface Recorded {
  type: string;
  name: string;
  /** Inputs with secrets unwrapped (what the provider would see). */
  inputs: Record<string, unknown>;
  /** Inputs as the program sent them: secrets still in Pulumi's secret envelope. */
  raw: Record<string, unknown>;
}

export type ConfigOverrides = Record<string, unknown>;

/** The engine's view of a stack's config: Pulumi.yaml defaults, then Pulumi.<stack>.yaml, then overrides. */
export function stackConfig(stack: string, overrides: ConfigOverrides = {}): Record<string, unknown> {
  const project = parse(readFileSync(`${repoRoot}Pulumi.yaml`, 'utf8')) as {
    config: Record<string, { default?: unknown }>;
  };
  const values: Record<string, unknown> = {};
  for (const [key, spec] of Object.entries(project.config)) {
    if (spec.default !== undefined) values[`taskstack:${key}`] = spec.default;
  }
  const file = parse(readFileSync(`${repoRoot}Pulumi.${stack}.yaml`, 'utf8')) as {
    config: Record<string, unknown>;
  };
  Object.assign(values, file.config);
  for (const [key, value] of Object.entries(overrides)) {
    if (value === undefined) delete values[`taskstack:${key}`];
    else values[`taskstack:${key}`] = value;
  }
  return values;
}

let counter = 0;
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

function mockState(type: string, name: string, inputs: Record<string, unknown>): Record<string, unknown> {
  counter += 1;
  switch (type) {
    case 'tls:index/privateKey:PrivateKey':
      return {
        publicKeyOpenssh: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIMockPulumiDeployKey pulumi',
        privateKeyOpenssh: MOCK_SECRETS.pulumiKey,
        privateKeyPem: `${MOCK_SECRETS.tlsKey}-${name}\n-----END PRIVATE KEY-----\n`,
      };
    case 'tls:index/selfSignedCert:SelfSignedCert':
    case 'tls:index/locallySignedCert:LocallySignedCert':
      return { certPem: `-----BEGIN CERTIFICATE-----\nmock-${name}\n-----END CERTIFICATE-----\n` };
    case 'tls:index/certRequest:CertRequest':
      return {
        certRequestPem: `-----BEGIN CERTIFICATE REQUEST-----\nmock-${name}\n-----END CERTIFICATE REQUEST-----\n`,
      };
    case 'random:index/randomPassword:RandomPassword':
      return { result: `${MOCK_SECRETS.generated}${name}-${'x'.repeat(48)}` };
    case 'digitalocean:index/sshKey:SshKey':
      return { fingerprint: `aa:bb:${name}` };
    case 'digitalocean:index/droplet:Droplet':
      return {
        ipv4Address: `203.0.113.${counter % 250}`,
        ipv4AddressPrivate: `10.20.0.${counter % 250}`,
        urn: name,
      };
    case 'digitalocean:index/reservedIp:ReservedIp':
      return { ipAddress: '198.51.100.77' };
    case 'digitalocean:index/spacesKey:SpacesKey':
      // One key pair per bucket (`uploads-key`, `backups-key`), so tests can tell who is handed which.
      return { accessKey: `DO00MOCK-${name}`, secretKey: `${MOCK_SECRETS.spacesSecret}-${name}` };
    case 'digitalocean:index/containerRegistryDockerCredentials:ContainerRegistryDockerCredentials': {
      const auth = Buffer.from(`mock-user:${MOCK_SECRETS.registryPassword}`).toString('base64');
      return { dockerCredentials: JSON.stringify({ auths: { 'registry.digitalocean.com': { auth } } }) };
    }
    case 'docker:index/image:Image':
      return {
        repoDigest: `${String(inputs.imageName).split(':')[0]}@sha256:${sha256(String(inputs.imageName))}`,
      };
    case 'command:remote:Command': {
      const script = String(inputs.create ?? '');
      if (script.includes('docker swarm init')) {
        return { stdout: `${MOCK_SECRETS.managerToken}\n${MOCK_SECRETS.workerToken}\n`, stderr: '' };
      }
      if (script.includes('ssh_host_ed25519_key.pub'))
        return { stdout: `${MOCK_HOST_KEY} root@node\n`, stderr: '' };
      return { stdout: '', stderr: '' };
    }
    default:
      return {};
  }
}

export interface StackRun<T> {
  resources: Recorded[];
  /** The program's return value; undefined when it threw. */
  outputs: T;
  /** What the program threw, if it did. */
  error?: unknown;
  /** Resource options per resource name (ignoreChanges, protect, …), as the program passed them. */
  options: Map<string, pulumi.CustomResourceOptions>;
  /** The id the mocks gave each resource, by name. */
  ids: Map<string, string>;
  /** Resources of one type. */
  ofType(type: string): Recorded[];
  /** The one resource with this name. */
  named(name: string): Recorded;
}

/** Sets the mocks and the config, runs `program`, and waits until every registration has reached the mocks. */
export async function runWithMocks<T>(
  stack: string,
  overrides: ConfigOverrides,
  program: () => T | Promise<T>,
  secrets: Record<string, string> = { smtpUrl: MOCK_SECRETS.smtpUrl },
): Promise<StackRun<T>> {
  const resources: Recorded[] = [];
  const ids = new Map<string, string>();
  await pulumi.runtime.setMocks(
    {
      newResource: ({ type, name, inputs }) => {
        const state = { ...inputs, ...mockState(type, name, inputs) };
        resources.push({ type, name, inputs: unwrapSecrets(inputs) as Record<string, unknown>, raw: inputs });
        // Droplet ids are numbers in DigitalOcean (attachments take them as such).
        const id = type === 'digitalocean:index/droplet:Droplet' ? String(4000 + counter) : `${name}-id`;
        ids.set(name, id);
        return { id, state };
      },
      call: ({ inputs }) => inputs,
    },
    'taskstack',
    stack,
    false,
  );

  const config = stackConfig(stack, overrides);
  const all: Record<string, string> = {};
  for (const [key, value] of Object.entries(config)) {
    all[key] = typeof value === 'string' ? value : JSON.stringify(value);
  }
  for (const [key, value] of Object.entries(secrets)) all[`taskstack:${key}`] = value;
  pulumi.runtime.setAllConfig(
    all,
    Object.keys(secrets).map((key) => `taskstack:${key}`),
  );

  const options = new Map<string, pulumi.CustomResourceOptions>();
  let outputs: T | undefined;
  let error: unknown;
  // Inside a root stack, as `pulumi up` runs a program, so stack transformations can observe every resource.
  await pulumi.runtime.runInPulumiStack(async () => {
    pulumi.runtime.registerStackTransformation(({ name, props, opts }) => {
      options.set(name, opts);
      return { props, opts };
    });
    try {
      outputs = await program();
    } catch (thrown) {
      error = thrown;
    }
    return {};
  });
  await pulumi.runtime.disconnect();
  return {
    resources,
    outputs: outputs as T,
    error,
    options,
    ids,
    ofType: (type) => resources.filter((r) => r.type === type),
    named: (name) => {
      // Components share names with their main resource; tests mean the cloud resource.
      const found = resources.find((r) => r.name === name && !r.type.startsWith('taskstack:'));
      if (!found) throw new Error(`no resource named ${name}`);
      return found;
    },
  };
}

/** The value of an Output (or plain value), for assertions. */
export function valueOf<T>(value: pulumi.Input<T>): Promise<T> {
  return new Promise((resolve) => pulumi.output(value).apply((v) => resolve(v as T)));
}

const isSecretEnvelope = (value: unknown): value is { value: unknown } =>
  !!value && typeof value === 'object' && (value as Record<string, unknown>)[SECRET_SIG] === SECRET_VALUE;

/** The inputs with every secret envelope replaced by its value (what a provider sees). */
export function unwrapSecrets(value: unknown): unknown {
  if (isSecretEnvelope(value)) return unwrapSecrets(value.value);
  if (Array.isArray(value)) return value.map(unwrapSecrets);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, unwrapSecrets(inner)]));
  }
  return value;
}

/** Every string leaf under `value` that is not inside a secret envelope. */
export function plainStrings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(plainStrings);
  if (value && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    if (isSecretEnvelope(record)) return [];
    return Object.values(record).flatMap(plainStrings);
  }
  return [];
}

const runs = new Map<string, Promise<StackRun<Taskstack>>>();

/**
 * The program run once per (stack, overrides) per test file: each run is a full program under mocks, and most tests
 * only read its result.
 */
export function runStack(stack: string, overrides: ConfigOverrides = {}): Promise<StackRun<Taskstack>> {
  const key = JSON.stringify([stack, overrides]);
  let run = runs.get(key);
  if (!run) {
    run = runWithMocks(stack, { imageTag: 'abc123def456', ...overrides }, () => taskstack());
    runs.set(key, run);
  }
  return run;
}
