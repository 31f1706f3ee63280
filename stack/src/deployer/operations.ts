/** Day-two operations on a deployed stack: status, logs, rollback, down. */
import { lastLogLines, stackServices, waitForConvergence } from './converge.js';
import type { Docker } from './docker.js';
import { formatProgress } from './deploy.js';

/** One row per service: replicas, image, update state; what `npm run stack -- status` prints. */
export async function status(docker: Docker, stack: string): Promise<string> {
  const rows = await docker.jsonLines<{ Name: string; Mode: string; Replicas: string; Image: string }>([
    'service',
    'ls',
    '--filter',
    `label=com.docker.stack.namespace=${stack}`,
  ]);
  if (!rows.length) return `stack ${stack}: not deployed`;
  const updates = new Map(
    (await stackServices(docker, stack)).map((s) => [s.Spec.Name, s.UpdateStatus?.State ?? 'ok'] as const),
  );
  const lines = rows
    .sort((a, b) => a.Name.localeCompare(b.Name))
    .map((r) => [r.Name, r.Mode, r.Replicas, r.Image.replace(/@sha256:.*/, ''), updates.get(r.Name) ?? '']);
  const widths = lines[0]!.map((_, i) => Math.max(...lines.map((l) => l[i]!.length)));
  return lines
    .map((l) =>
      l
        .map((cell, i) => cell.padEnd(widths[i]!))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/** The last lines of one service's logs (all replicas). */
export async function logs(docker: Docker, stack: string, service: string, lines: number): Promise<string> {
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
    // Stopped task containers linger in the task history and would keep the volumes in use.
    const stopped = (await docker.run(['ps', '-aq', '--filter', filter])).split('\n').filter(Boolean);
    if (stopped.length) await docker.run(['rm', '-f', ...stopped]);
    const volumes = (await docker.run(['volume', 'ls', '-q', '--filter', filter]))
      .split('\n')
      .filter(Boolean);
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
