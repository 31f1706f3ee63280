/**
 * Day-two operations on a deployed stack: logs, rollback, down, restore, creating an admin (the status report:
 * status-report.ts).
 */
import { randomBytes } from 'node:crypto';
import { databaseRoles } from '../definition/database-roles.js';
import type { SecretKey } from '../definition/secrets.js';
import { lastLogLines, waitForConvergence } from './converge.js';
import type { Docker } from './docker.js';
import { formatProgress } from './deploy.js';

/** The last lines of one service's logs (all replicas). */
export async function logs(docker: Docker, stack: string, service: string, lines: number): Promise<string> {
  await docker.run(['service', 'inspect', '--format', '{{.ID}}', `${stack}_${service}`]).catch(() => {
    throw new Error(`stack ${stack} has no service ${service}`);
  });
  return lastLogLines(docker, `${stack}_${service}`, lines);
}

/** Services whose previous version can be restored (migrations only move forward; data services stay put). */
export const rollbackable = ['api', 'worker', 'nginx', 'renewer'];

/** Returns the app services to their previous spec (image, config, secrets) and waits until they run it healthy. */
export async function rollback(docker: Docker, stack: string, log: (line: string) => void): Promise<void> {
  const startedAt = Date.now();
  for (const service of rollbackable) {
    await docker.run(['service', 'rollback', '--detach', `${stack}_${service}`]).catch((error: Error) => {
      // A service never updated has no previous spec: nothing to undo there.
      if (!/does not have a previous spec/.test(error.message)) throw error;
      log(`${service}: no previous version, left as is`);
    });
  }
  await waitForConvergence(docker, stack, {
    services: rollbackable,
    rollingBack: true,
    onProgress: (progress) => log(formatProgress(progress, startedAt)),
  });
}

/** Removes the stack; with `volumes`, also its data (Postgres, Redis, uploads, backups, certificates). */
export async function down(
  docker: Docker,
  stack: string,
  options: { volumes?: boolean } = {},
): Promise<void> {
  await docker.run(['stack', 'rm', stack]).catch(() => undefined);
  const filter = `label=com.docker.stack.namespace=${stack}`;
  const deadline = Date.now() + 120_000;
  // `stack rm` returns at once; containers and networks go away in the background.
  for (;;) {
    const left = [
      ...(await docker.run(['service', 'ls', '-q', '--filter', filter])).split('\n'),
      ...(await docker.run(['network', 'ls', '-q', '--filter', filter])).split('\n'),
      ...(await docker.run(['ps', '-q', '--filter', filter])).split('\n'),
    ].filter(Boolean);
    if (!left.length) break;
    if (Date.now() > deadline) throw new Error(`stack ${stack}: still removing after 2 minutes`);
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  if (options.volumes) {
    const volumes = (await docker.run(['volume', 'ls', '-q', '--filter', filter]))
      .split('\n')
      .filter(Boolean);
    // Stopped task containers (task history, one-off restore jobs) linger and would keep the volumes in use.
    for (const volume of volumes) {
      const users = (await docker.run(['ps', '-aq', '--filter', `volume=${volume}`]))
        .split('\n')
        .filter(Boolean);
      if (users.length) await docker.run(['rm', '-f', ...users]);
    }
    if (volumes.length) await docker.run(['volume', 'rm', ...volumes]);
  }
  const leftovers = [];
  for (const kind of ['secret', 'config'] as const) {
    const names = (await docker.run([kind, 'ls', '--format', '{{.Name}}']))
      .split('\n')
      .filter((name) => name.startsWith(`${stack}_`));
    if (names.length) leftovers.push(docker.run([kind, 'rm', ...names]).catch(() => undefined));
  }
  await Promise.all(leftovers);
}

export interface ServiceSpec {
  Spec: {
    TaskTemplate: {
      ContainerSpec: {
        Image: string;
        Env?: string[];
        Secrets?: { SecretName: string; File: { Name: string } }[];
        Mounts?: { Type: string; Source: string; Target: string }[];
      };
      Placement?: { Constraints?: string[] };
      Networks?: { Target: string }[];
    };
  };
}

/** What a one-off job runs, and what it gets besides the service it borrows from. */
export interface OneOffJob {
  /** The service whose image, environment, volumes, placement and networks the job takes. */
  from: 'api' | 'worker';
  /**
   * The service's secrets (by file name) the job reads; it is given no other. A one-off job runs an operator's CLI,
   * which needs a database login, not the service's signing keys or TLS key.
   */
  borrows: SecretKey[];
  /** Names the job (`<stack>_<job>`) while it runs. */
  job: string;
  command: string[];
  secrets?: { source: string; target: string }[];
  env?: string[];
}

/**
 * The `docker service create` arguments of `job`, made of `service`'s spec: its image, environment, volumes,
 * placement and networks, but only the secrets the job borrows.
 */
export function oneOffJobArgs(stack: string, service: ServiceSpec, job: OneOffJob): string[] {
  const { ContainerSpec: spec, Placement, Networks } = service.Spec.TaskTemplate;
  const args = ['service', 'create', '--detach', '--name', `${stack}_${job.job}`, '--mode', 'replicated-job'];
  args.push('--restart-condition', 'none', '--label', `com.taskstack.${job.job}=${stack}`);
  // The job's own variables replace the service's of the same name.
  const own = new Set((job.env ?? []).map((entry) => entry.split('=')[0]));
  const env = [...(spec.Env ?? []).filter((entry) => !own.has(entry.split('=')[0])), ...(job.env ?? [])];
  for (const entry of env) args.push('--env', entry);
  const borrowed = new Set<string>(job.borrows);
  for (const secret of spec.Secrets ?? [])
    if (borrowed.has(secret.File.Name))
      args.push('--secret', `source=${secret.SecretName},target=${secret.File.Name}`);
  for (const secret of job.secrets ?? [])
    args.push('--secret', `source=${secret.source},target=${secret.target}`);
  for (const mount of spec.Mounts ?? []) {
    // A tmpfs (a private /tmp under a read-only root) has no source; docker refuses one.
    const source = mount.Type === 'tmpfs' ? '' : `,source=${mount.Source}`;
    args.push('--mount', `type=${mount.Type}${source},target=${mount.Target}`);
  }
  for (const constraint of Placement?.Constraints ?? []) args.push('--constraint', constraint);
  for (const network of Networks ?? []) args.push('--network', network.Target);
  args.push(spec.Image.replace(/@sha256:[0-9a-f]+$/, ''), ...job.command);
  return args;
}

/**
 * Runs `command` once in a `replicated-job` made of a service's spec, waits until it ends (10 minutes at most),
 * removes it and resolves with its output; a failed job rejects with its output. The operator's tasks that need
 * the app's own code and credentials (restore, creating an admin) run this way rather than by `docker exec` into a
 * serving task.
 */
async function runOneOffJob(docker: Docker, stack: string, job: OneOffJob, log: (line: string) => void) {
  const [service] = await docker.inspect<ServiceSpec>(['service', 'inspect', `${stack}_${job.from}`]);
  if (!service) throw new Error(`stack ${stack} has no ${job.from} service`);
  const name = `${stack}_${job.job}`;
  await docker.run(['service', 'rm', name]).catch(() => undefined);
  const args = oneOffJobArgs(stack, service, job);
  await docker.run(args);
  log(`${job.job}: running in ${name}`);
  const deadline = Date.now() + 600_000;
  try {
    for (;;) {
      const ids = (await docker.run(['service', 'ps', '-q', '--no-trunc', name])).split('\n').filter(Boolean);
      const tasks = ids.length
        ? await docker.inspect<{ Status: { State: string; Err?: string } }>([
            'inspect',
            '--type',
            'task',
            ...ids,
          ])
        : [];
      const state = tasks[0]?.Status.State;
      if (state === 'complete' || state === 'failed' || state === 'rejected') {
        const output = await lastLogLines(docker, name, 200);
        if (state !== 'complete')
          throw new Error(`${job.job} failed (${tasks[0]?.Status.Err ?? state}):\n${output}`);
        return output;
      }
      if (Date.now() > deadline) throw new Error(`${job.job} did not finish in 10 minutes`);
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  } finally {
    await docker.run(['service', 'rm', name]).catch(() => undefined);
  }
}

/** The restore CLI's job: the worker's image and volumes, logged in as the owner (`ownerUrlSecret`). */
export const restoreJob = (args: string[], ownerUrlSecret: string): OneOffJob => ({
  from: 'worker',
  job: 'restore',
  // The owner's login comes as a secret of its own; the backups' key reads a backup from the bucket.
  borrows: ['postgres_ca', 'backup_s3_access_key_id', 'backup_s3_secret_access_key'],
  command: ['node', 'worker/dist/cli/restore.js', ...args],
  secrets: [{ source: ownerUrlSecret, target: 'owner_database_url' }],
  env: [
    'DATABASE_URL_FILE=/run/secrets/owner_database_url',
    `DATABASE_APP_ROLES=${databaseRoles.api},${databaseRoles.worker}`,
  ],
});

/** The admin CLI's job: the api's image and database login, the password in the secret `passwordSecret`. */
export const adminJob = (email: string, passwordSecret: string): OneOffJob => ({
  from: 'api',
  job: 'admin',
  borrows: ['api_database_url', 'postgres_ca'],
  command: ['node', 'api/dist/cli/admin.js', 'create', '--email', email],
  secrets: [{ source: passwordSecret, target: 'admin_password' }],
  env: ['ADMIN_PASSWORD_FILE=/run/secrets/admin_password'],
});

/**
 * Runs the worker's restore CLI with `args` — a backup (a file in the backups volume, or an S3 key), or
 * `--to <moment|latest> [--dry-run]` (point-in-time recovery: the job has the worker's PITR_STANZA) — in a one-off
 * job of the worker's image, volumes and networks (of its secrets only the CA and the backups' key), as the
 * database owner, whose URL it takes from the migrate job: the worker's own role may only change rows, and a restore creates and renames databases. The
 * restored database gets the api's and the worker's grants back (DATABASE_APP_ROLES). Not inside the worker
 * container: the worker exits when its database is switched, which would kill a restore running there half-way.
 */
export async function restore(
  docker: Docker,
  stack: string,
  args: string[],
  log: (line: string) => void,
): Promise<string> {
  const [migrate] = await docker.inspect<ServiceSpec>(['service', 'inspect', `${stack}_migrate`]);
  const owner = migrate?.Spec.TaskTemplate.ContainerSpec.Secrets?.find((s) => s.File.Name === 'database_url');
  if (!owner) throw new Error(`stack ${stack} has no migrate job holding the owner's database_url`);
  log(`restoring ${args.join(' ')}`);
  return runOneOffJob(docker, stack, restoreJob(args, owner.SecretName), log);
}

/**
 * Creates an instance admin (`npm run admin -- create` of the api image) in a one-off job with the api's
 * database credentials. The password travels as a Docker secret of its own, removed when the job ends — never in
 * the job's command or environment, which `docker service inspect` and the task history show.
 */
export async function createAdmin(
  docker: Docker,
  stack: string,
  admin: { email: string; password: string },
  log: (line: string) => void,
): Promise<string> {
  const secret = `${stack}_admin_password_${randomBytes(6).toString('hex')}`;
  await docker.run(['secret', 'create', '--label', `com.taskstack.stack=${stack}`, secret, '-'], {
    input: admin.password,
  });
  try {
    return await runOneOffJob(docker, stack, adminJob(admin.email, secret), log);
  } finally {
    // The job's task may hold the secret for a moment after its service is removed; docker refuses until then.
    for (let attempt = 0; attempt < 30; attempt += 1) {
      const removed = await docker.run(['secret', 'rm', secret]).then(
        () => true,
        () => false,
      );
      if (removed) break;
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }
}
