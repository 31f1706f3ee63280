/**
 * npm run stack -- deploy|status|logs|rollback|down [--target local|ssh://user@host] [options]
 * The operator's entry to the deployer; bad input gets one line and exit 2, a failed deploy names the service.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { StackSettingsError, type StackSettingsInput } from '../definition/settings.js';
import { DeployFailedError } from '../deployer/converge.js';
import { deploy } from '../deployer/deploy.js';
import { Docker, DockerError, parseTarget, type Target } from '../deployer/docker.js';
import { createAdmin, down, logs, restore, rollback } from '../deployer/operations.js';
import { collectStatusReport, formatStatusReport } from '../deployer/status-report.js';
import { readPassword } from './read-password.js';

const usage = `usage: npm run stack -- <command> [options]
commands:
  deploy     build images (tagged with the git sha), create/rotate secrets, deploy, wait until all healthy
  status     per service replicas, version, health, last deploy; last backup and verification; recovery point,
             restorable window and last restore drill; certificate expiry
  logs SVC   last log lines of a service (api, worker, nginx, postgres, redis, migrate, renewer)
  rollback   return api, worker, nginx and renewer to their previous version
  restore F  restore backup F (file in the backups volume, or S3 key) in a one-off job; the app switches to it
  restore --to MOMENT|latest [--dry-run]
             restore the database as it was at MOMENT (UTC, e.g. 2026-12-01T14:03:00Z) from pgBackRest; the dry
             run says which backup and how much WAL it would use
  admin create --email ADDR
             make an instance admin (signing up makes none) in a one-off job; the password from a prompt, stdin
             or ADMIN_PASSWORD, never from the command line
  down       remove the stack (--volumes also deletes its data)
options:
  --target local|ssh://user@host   engine to use (default local; ssh uses DOCKER_HOST over SSH)
  --settings FILE                  JSON stack settings (see stack/README.md); flags below override it
  --name NAME --domain HOST --email ADDR --replicas N --tag TAG
  --http-port N --https-port N     host ports nginx publishes (default 80/443)
  --acme-directory URL             ACME server (default Let's Encrypt; locally ACME is off unless given)
  --no-build                       deploy images already tagged --tag
  --lines N                        log lines (default 50)   --volumes  with down: delete data too`;

class UsageError extends Error {}

function settingsFrom(values: Record<string, string | boolean | undefined>, local: boolean) {
  const str = (key: string) => (typeof values[key] === 'string' ? (values[key] as string) : undefined);
  const int = (key: string) => {
    const value = str(key);
    if (value === undefined) return undefined;
    if (!/^\d+$/.test(value)) throw new UsageError(`--${key} must be a whole number, got "${value}"`);
    return Number(value);
  };
  let file: Partial<StackSettingsInput> = {};
  const path = str('settings');
  if (path) {
    try {
      file = JSON.parse(readFileSync(path, 'utf8')) as Partial<StackSettingsInput>;
    } catch (error) {
      throw new UsageError(`--settings ${path}: ${(error as Error).message}`);
    }
  }
  const acmeDirectory = str('acme-directory');
  return {
    ...file,
    name: str('name') ?? file.name,
    domain: str('domain') ?? file.domain ?? (local ? 'taskstack.localhost' : undefined),
    acmeEmail: str('email') ?? file.acmeEmail ?? (local ? 'admin@example.com' : undefined),
    apiReplicas: int('replicas') ?? file.apiReplicas,
    imageTag: str('tag') ?? file.imageTag,
    ports: {
      ...file.ports,
      ...(int('http-port') && { http: int('http-port') }),
      ...(int('https-port') && { https: int('https-port') }),
    },
    // No public CA can reach this machine: locally the self-signed certificate stays unless an ACME server is named.
    acme: {
      ...file.acme,
      ...(acmeDirectory
        ? { directoryUrl: acmeDirectory, enabled: true }
        : local && !file.acme
          ? { enabled: false }
          : {}),
    },
  } as Omit<StackSettingsInput, 'imageTag'> & { imageTag?: string };
}

async function main(argv: string[]): Promise<void> {
  if (argv.some((arg) => /^--password(=|$)/.test(arg)))
    throw new UsageError(
      '--password is not accepted: argv shows in process lists and logs; use the prompt, stdin or ADMIN_PASSWORD',
    );
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      target: { type: 'string', default: 'local' },
      settings: { type: 'string' },
      name: { type: 'string' },
      domain: { type: 'string' },
      email: { type: 'string' },
      replicas: { type: 'string' },
      tag: { type: 'string' },
      'http-port': { type: 'string' },
      'https-port': { type: 'string' },
      'acme-directory': { type: 'string' },
      'no-build': { type: 'boolean' },
      lines: { type: 'string', default: '50' },
      volumes: { type: 'boolean' },
      to: { type: 'string' },
      'dry-run': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [command, service] = positionals;
  if (values.help || !command) {
    console.log(usage);
    return;
  }
  let target: Target;
  try {
    target = parseTarget(values.target);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const docker = new Docker(target);
  const settings = settingsFrom(values, target === 'local');
  const stack = settings.name ?? 'taskstack';
  const log = (line: string) => process.stderr.write(`${line}\n`);

  switch (command) {
    case 'deploy':
      await deploy({ target, settings, build: !values['no-build'], log });
      return;
    case 'status': {
      // The certificate is read as clients see it: a TLS handshake with the stack's domain at its HTTPS port.
      const host = target === 'local' ? '127.0.0.1' : new URL(target).hostname;
      const edge = settings.domain
        ? { servername: settings.domain, host, port: settings.ports?.https ?? 443 }
        : undefined;
      console.log(formatStatusReport(await collectStatusReport(docker, stack, edge)));
      return;
    }
    case 'logs':
      if (!service) throw new UsageError('logs needs a service name, e.g. `npm run stack -- logs api`');
      process.stdout.write(await logs(docker, stack, service, Number(values.lines)));
      return;
    case 'restore': {
      const to = values.to as string | undefined;
      if (!service && !to)
        throw new UsageError(
          'restore needs a backup or a moment, e.g. `npm run stack -- restore taskstack-….dump` or `--to latest`',
        );
      const args = to ? ['--to', to, ...(values['dry-run'] ? ['--dry-run'] : [])] : [service!];
      process.stdout.write(await restore(docker, stack, args, log));
      return;
    }
    case 'admin': {
      if (service !== 'create')
        throw new UsageError(
          'admin needs "create", e.g. `npm run stack -- admin create --email you@example.com`',
        );
      const email = values.email;
      if (!email) throw new UsageError("admin create needs --email, the new admin's address");
      if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email))
        throw new UsageError(`--email must be an email address, got "${email}"`);
      const password = await readPassword(email);
      if (password.length < 10 || password.length > 256)
        throw new UsageError('the password must be 10 to 256 characters');
      process.stdout.write(await createAdmin(docker, stack, { email, password }, log));
      return;
    }
    case 'rollback':
      await rollback(docker, stack, log);
      log(`${stack}: rolled back`);
      return;
    case 'down':
      await down(docker, stack, { volumes: values.volumes });
      log(`${stack}: removed${values.volumes ? ' with its volumes' : ''}`);
      return;
    default:
      throw new UsageError(`unknown command "${command}"\n${usage}`);
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof DeployFailedError) {
    process.stderr.write(`deploy failed: ${error.message}\n`);
    process.exit(1);
  }
  if (error instanceof UsageError || error instanceof StackSettingsError || error instanceof TypeError) {
    process.stderr.write(`stack: ${(error as Error).message}\n`);
    process.exit(2);
  }
  if (error instanceof DockerError || error instanceof Error) {
    process.stderr.write(`stack: ${error.message}\n`);
    process.exit(1);
  }
  throw error;
});
