/**
 * Waiting for a deployed stack to converge: every service running the wanted image with all replicas healthy (swarm
 * reports a task "running" only once its healthcheck passed), the migrate job complete. A rollback, a paused update
 * or a timeout fails, naming the service with its last log lines.
 */
import type { Docker } from './docker.js';

interface ServiceInfo {
  ID: string;
  Spec: {
    Name: string;
    Labels?: Record<string, string>;
    Mode: { Replicated?: { Replicas: number }; ReplicatedJob?: unknown; Global?: unknown };
    TaskTemplate: { ContainerSpec: { Image: string }; RestartPolicy?: { MaxAttempts?: number } };
  };
  UpdateStatus?: { State: string; Message?: string; StartedAt?: string };
  JobStatus?: { JobIteration: { Index: number } };
}

interface TaskInfo {
  ID: string;
  DesiredState: string;
  Status: { State: string; Err?: string; Message?: string };
  Spec: { ContainerSpec: { Image: string } };
  JobIteration?: { Index: number };
}

/** One service's progress, as shown while waiting. */
export interface ServiceProgress {
  service: string;
  running: number;
  wanted: number;
  state: string;
  done: boolean;
  failure?: string;
}

/** A deploy that did not converge; `service` names the culprit, `logs` its last lines. */
export class DeployFailedError extends Error {
  constructor(
    readonly service: string,
    readonly reason: string,
    readonly logs: string,
  ) {
    super(`${service}: ${reason}${logs ? `\n--- last log lines of ${service} ---\n${logs.trimEnd()}` : ''}`);
    this.name = 'DeployFailedError';
  }
}

const stripDigest = (image: string) => image.replace(/@sha256:[0-9a-f]+$/, '');

/** The services of a stack with their specs. */
export async function stackServices(docker: Docker, stack: string): Promise<ServiceInfo[]> {
  const ids = (
    await docker.run(['service', 'ls', '-q', '--filter', `label=com.docker.stack.namespace=${stack}`])
  )
    .split('\n')
    .filter(Boolean);
  return ids.length ? docker.inspect<ServiceInfo>(['service', 'inspect', ...ids]) : [];
}

async function tasksOf(docker: Docker, serviceId: string): Promise<TaskInfo[]> {
  // A service removed meanwhile (e.g. by `--prune`) simply has no tasks.
  const listed = await docker.run(['service', 'ps', '-q', '--no-trunc', serviceId]).catch(() => '');
  const tasks: TaskInfo[] = [];
  // Swarm prunes old tasks at any moment; one gone between `ps` and `inspect` is simply skipped.
  for (const id of listed.split('\n').filter(Boolean)) {
    await docker.inspect<TaskInfo>(['inspect', '--type', 'task', id]).then(
      (found) => tasks.push(...found),
      () => undefined,
    );
  }
  return tasks;
}

/** The last lines a service logged, for error messages. */
export async function lastLogLines(docker: Docker, service: string, lines = 20): Promise<string> {
  return docker
    .run(['service', 'logs', '--no-task-ids', '--no-trunc', '--raw', '--tail', String(lines), service], {
      partialAfterMs: 15_000,
    })
    .catch(() => '');
}

const failedStates = new Set(['failed', 'rejected']);

/** Where one service stands against what was deployed. */
async function progressOf(
  docker: Docker,
  service: ServiceInfo,
  rollingBack: boolean,
): Promise<ServiceProgress> {
  const name = service.Spec.Name;
  const image = stripDigest(service.Spec.TaskTemplate.ContainerSpec.Image);
  const tasks = await tasksOf(docker, service.ID);
  const current = tasks.filter((t) => stripDigest(t.Spec.ContainerSpec.Image) === image);
  // While rolling back on purpose, swarm's rollback states are the expected progress and its completion.
  const update = rollingBack
    ? ({ rollback_started: 'updating', rollback_completed: 'completed' }[service.UpdateStatus?.State ?? ''] ??
      service.UpdateStatus?.State)
    : service.UpdateStatus?.State;

  if (service.Spec.Mode.ReplicatedJob !== undefined) {
    const iteration = service.JobStatus?.JobIteration.Index;
    const mine = current.filter((t) => iteration === undefined || t.JobIteration?.Index === iteration);
    const complete = mine.some((t) => t.Status.State === 'complete');
    const failures = mine.filter((t) => failedStates.has(t.Status.State));
    // Swarm retries a failed job task up to MaxAttempts times (e.g. while Postgres still initialises).
    const attempts = service.Spec.TaskTemplate.RestartPolicy?.MaxAttempts ?? 0;
    const gaveUp = !complete && failures.length > attempts;
    return {
      service: name,
      running: complete ? 1 : 0,
      wanted: 1,
      state: complete ? 'complete' : failures.length ? `failed ×${failures.length}` : 'running',
      done: complete,
      failure: gaveUp ? `job failed: ${failures.at(-1)?.Status.Err ?? 'exited non-zero'}` : undefined,
    };
  }

  const wanted = service.Spec.Mode.Replicated?.Replicas ?? 1;
  const running = current.filter((t) => t.DesiredState === 'running' && t.Status.State === 'running').length;
  const stale = tasks.filter(
    (t) => t.DesiredState === 'running' && t.Status.State === 'running' && !current.includes(t),
  ).length;
  let failure: string | undefined;
  if (update === 'rollback_started' || update === 'rollback_completed' || update === 'rollback_paused') {
    failure = `update rolled back: ${service.UpdateStatus?.Message ?? ''}`.trim();
  } else if (update === 'paused') {
    failure = `update paused: ${service.UpdateStatus?.Message ?? ''}`.trim();
  }
  const lastError = current.find((t) => failedStates.has(t.Status.State) && t.Status.Err)?.Status.Err;
  return {
    service: name,
    running,
    wanted,
    state: update && update !== 'completed' ? update : lastError ? `last task: ${lastError}` : 'ok',
    done: !failure && running === wanted && stale === 0 && (update === undefined || update === 'completed'),
    failure,
  };
}

export interface WaitOptions {
  /** Give up after this long (default 10 minutes). */
  timeoutMs?: number;
  /** Called whenever the progress summary changes. */
  onProgress?: (progress: ServiceProgress[]) => void;
  /** Only these services (short names, e.g. `api`); default every service of the stack. */
  services?: string[];
  /** A rollback asked for: swarm's rollback states are progress, not failure. */
  rollingBack?: boolean;
}

/** Resolves once every service converged; rejects with a DeployFailedError naming the first one that did not. */
export async function waitForConvergence(
  docker: Docker,
  stack: string,
  options: WaitOptions = {},
): Promise<void> {
  const deadline = Date.now() + (options.timeoutMs ?? 600_000);
  let shown = '';
  for (;;) {
    const services = (await stackServices(docker, stack)).filter(
      (s) => !options.services || options.services.includes(s.Spec.Name.slice(stack.length + 1)),
    );
    const progress = await Promise.all(
      services.map((service) => progressOf(docker, service, options.rollingBack ?? false)),
    );
    progress.sort((a, b) => a.service.localeCompare(b.service));
    const summary = JSON.stringify(progress);
    if (summary !== shown) {
      shown = summary;
      options.onProgress?.(progress);
    }
    const failed = progress.find((p) => p.failure);
    if (failed)
      throw new DeployFailedError(
        failed.service,
        failed.failure!,
        await lastLogLines(docker, failed.service),
      );
    if (progress.length && progress.every((p) => p.done)) return;
    if (Date.now() > deadline) {
      const stuck = progress.find((p) => !p.done) ?? {
        service: stack,
        running: 0,
        wanted: 0,
        state: 'no services',
      };
      throw new DeployFailedError(
        stuck.service,
        `not converged in time (${stuck.running}/${stuck.wanted} running, ${stuck.state})`,
        await lastLogLines(docker, stuck.service),
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 2000));
  }
}
