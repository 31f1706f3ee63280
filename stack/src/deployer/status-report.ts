/**
 * The admin's view of a deployed stack at a glance: per service the desired and running replicas, image version,
 * health and last deploy time; the last successful and last verified backup (from the `backups` table); the
 * point-in-time recovery point, restorable window and last restore drill (the archiver and the worker's tables); and when
 * the certificate clients are served expires (read by a TLS handshake, as a browser would see it).
 * `npm run stack -- status` can print `formatStatusReport(await collectStatusReport(docker, stack, edge))`.
 */
import tls from 'node:tls';

/** What this module needs of the deployer's Docker wrapper (local engine or DOCKER_HOST over SSH). */
export interface DockerRunner {
  run(args: string[]): Promise<string>;
}

export interface ServiceStatus {
  name: string;
  mode: string;
  desired: number;
  running: number;
  image: string;
  version: string;
  health: string;
  lastDeploy?: Date;
}

export interface StatusReport {
  stack: string;
  services: ServiceStatus[];
  lastBackup?: Date;
  lastVerification?: { at: Date; passed: boolean };
  /** Why backups could not be read (e.g. Postgres runs on another node than the one DOCKER_HOST reaches). */
  backupsUnknown?: string;
  recovery?: RecoveryState;
  /** Why point-in-time recovery could not be read. */
  recoveryUnknown?: string;
  certificateExpires?: Date;
  certificateUnknown?: string;
}

export interface RecoveryState {
  /** The server archives WAL (pgBackRest): without it only the nightly dumps can be restored. */
  archiving: boolean;
  /** The newest restorable moment: the server's last archived WAL. */
  recoveryPoint?: Date;
  /** The oldest restorable moment, as the worker's newest journal entry saw the repository. */
  windowStart?: Date;
  lastDrill?: { at: Date; passed: boolean; target?: Date };
}

/** Where nginx serves TLS: the public host name, and the address and port to connect to. */
export interface TlsEdge {
  servername: string;
  host: string;
  port: number;
}

type ServiceRow = { Name: string; Mode: string; Replicas: string; Image: string };
type Inspected = {
  Spec: { Name: string };
  CreatedAt: string;
  UpdatedAt: string;
  UpdateStatus?: { State?: string; CompletedAt?: string };
};
type ContainerRow = { Labels: string; Status: string; ID: string };

const jsonLines = <T>(text: string): T[] =>
  text
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line) as T);

/** Everything `formatStatusReport` prints, gathered through the Docker CLI (and one TLS handshake if `edge`). */
export async function collectStatusReport(
  docker: DockerRunner,
  stack: string,
  edge?: TlsEdge,
): Promise<StatusReport> {
  const filter = `label=com.docker.stack.namespace=${stack}`;
  const rows = jsonLines<ServiceRow>(
    await docker.run(['service', 'ls', '--filter', filter, '--format', '{{json .}}']),
  );
  const inspected: Inspected[] = rows.length
    ? JSON.parse(await docker.run(['service', 'inspect', ...rows.map((r) => r.Name)]))
    : [];
  // Container health is visible for the containers on the node this engine is; others count by replicas only.
  const containers = jsonLines<ContainerRow>(
    await docker.run(['ps', '--filter', filter, '--format', '{{json .}}']),
  );
  const containersOf = (service: string) =>
    containers.filter((c) => c.Labels.split(',').includes(`com.docker.swarm.service.name=${service}`));

  const services = rows
    .map((row): ServiceStatus => {
      const info = inspected.find((i) => i.Spec.Name === row.Name);
      const [running = 0, desired = 0] = (/^(\d+)\/(\d+)/.exec(row.Replicas) ?? []).slice(1).map(Number);
      const completedJob = /completed/.test(row.Replicas);
      const image = row.Image.replace(/@sha256:.*/, '');
      const deployedAt = info?.UpdateStatus?.CompletedAt ?? info?.UpdatedAt ?? info?.CreatedAt;
      return {
        name: row.Name,
        mode: row.Mode,
        desired,
        running,
        image,
        version: image.includes(':') ? image.slice(image.lastIndexOf(':') + 1) : 'latest',
        health: completedJob
          ? 'completed'
          : serviceHealth(running, desired, info?.UpdateStatus?.State, containersOf(row.Name)),
        lastDeploy: deployedAt ? new Date(deployedAt) : undefined,
      };
    })
    .sort((a, b) => a.name.localeCompare(b.name));

  const report: StatusReport = { stack, services };
  const postgres = containersOf(`${stack}_postgres`)[0];
  if (!postgres) {
    report.backupsUnknown = rows.length
      ? 'Postgres does not run on the node this engine is (point DOCKER_HOST at the stateful node)'
      : 'stack not deployed';
  } else {
    Object.assign(report, await readBackups(docker, postgres.ID));
    Object.assign(report, await readRecovery(docker, postgres.ID));
  }
  if (edge) {
    await certificateExpiry(edge).then(
      (date) => (report.certificateExpires = date),
      (error: Error) => (report.certificateUnknown = error.message),
    );
  }
  return report;
}

function serviceHealth(
  running: number,
  desired: number,
  update: string | undefined,
  containers: ContainerRow[],
) {
  if (update && !['completed', 'rollback_completed'].includes(update))
    return `update ${update.replace('_', ' ')}`;
  if (running < desired) return running === 0 ? 'down' : 'degraded';
  if (containers.some((c) => c.Status.includes('(unhealthy)'))) return 'unhealthy';
  if (containers.some((c) => c.Status.includes('(health: starting)'))) return 'starting';
  return update === 'rollback_completed' ? 'healthy (rolled back)' : 'healthy';
}

/** The newest successful backup and the newest verification, straight from the table the worker keeps. */
async function readBackups(docker: DockerRunner, postgres: string): Promise<Partial<StatusReport>> {
  const sql = `SELECT
      (SELECT extract(epoch FROM max(finished_at))::bigint FROM backups WHERE status = 'succeeded'),
      (SELECT extract(epoch FROM verified_at)::bigint || ' ' || verification_status FROM backups
        WHERE verified_at IS NOT NULL ORDER BY verified_at DESC LIMIT 1)`;
  try {
    const out = await docker.run([
      'exec',
      postgres,
      'psql',
      '-U',
      'taskstack',
      '-d',
      'taskstack',
      '-AtF|',
      '-c',
      sql,
    ]);
    const [last, verification] = out.trim().split('|');
    const result: Partial<StatusReport> = {};
    if (last) result.lastBackup = new Date(Number(last) * 1000);
    if (verification) {
      const [at, state] = verification.split(' ');
      result.lastVerification = { at: new Date(Number(at) * 1000), passed: state === 'passed' };
    }
    return result;
  } catch (error) {
    return { backupsUnknown: `cannot read the backups table: ${(error as Error).message.split('\n')[0]}` };
  }
}

/** The recovery point, the restorable window and the last finished drill. */
async function readRecovery(docker: DockerRunner, postgres: string): Promise<Partial<StatusReport>> {
  const epoch = (expression: string) => `coalesce(extract(epoch FROM ${expression})::bigint::text, '')`;
  const sql = `SELECT current_setting('archive_mode') <> 'off', ${epoch('last_archived_time')},
      (SELECT ${epoch('window_start')} FROM recovery_journal ORDER BY recorded_at DESC LIMIT 1),
      (SELECT ${epoch('finished_at')} || ' ' || status || ' ' || ${epoch('target_time')} FROM restore_drills
        WHERE status <> 'running' ORDER BY finished_at DESC LIMIT 1)
     FROM pg_stat_archiver`;
  try {
    const out = await docker.run([
      'exec',
      postgres,
      'psql',
      '-U',
      'taskstack',
      '-d',
      'taskstack',
      '-AtF|',
      '-c',
      sql,
    ]);
    const [archiving, point, windowStart, drill] = out.trim().split('|');
    const date = (seconds: string | undefined) => (seconds ? new Date(Number(seconds) * 1000) : undefined);
    const recovery: RecoveryState = {
      archiving: archiving === 't',
      recoveryPoint: date(point),
      windowStart: date(windowStart),
    };
    if (drill) {
      const [at, status, target] = drill.split(' ');
      recovery.lastDrill = { at: date(at)!, passed: status === 'passed', target: date(target) };
    }
    return { recovery };
  } catch (error) {
    return { recoveryUnknown: `cannot read the recovery state: ${(error as Error).message.split('\n')[0]}` };
  }
}

/** Expiry of the certificate nginx serves for the public name (not verified: a test CA's counts too). */
export function certificateExpiry(edge: TlsEdge, timeoutMs = 5000): Promise<Date> {
  return new Promise((resolve, reject) => {
    const socket = tls.connect({ ...edge, rejectUnauthorized: false, timeout: timeoutMs }, () => {
      const certificate = socket.getPeerCertificate();
      socket.end();
      if (!certificate?.valid_to) reject(new Error('no certificate presented'));
      else resolve(new Date(certificate.valid_to));
    });
    socket.on('timeout', () => socket.destroy(new Error(`no TLS answer from ${edge.host}:${edge.port}`)));
    socket.on('error', (error) => reject(new Error(`TLS to ${edge.host}:${edge.port}: ${error.message}`)));
  });
}

const ago = (date: Date, now: Date) => {
  const minutes = Math.round((now.getTime() - date.getTime()) / 60_000);
  if (minutes < 60) return `${minutes} min ago`;
  if (minutes < 48 * 60) return `${Math.round(minutes / 60)} h ago`;
  return `${Math.round(minutes / 1440)} days ago`;
};
const utc = (date: Date) => `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;

/** The report as a table and three lines, the way an admin reads it in a terminal. */
export function formatStatusReport(report: StatusReport, now = new Date()): string {
  if (!report.services.length) return `stack ${report.stack}: not deployed`;
  const header = ['SERVICE', 'REPLICAS', 'VERSION', 'HEALTH', 'LAST DEPLOY'];
  const rows = report.services.map((s) => [
    s.name.replace(`${report.stack}_`, ''),
    s.mode === 'global' ? `${s.running}/${s.desired} (global)` : `${s.running}/${s.desired}`,
    s.version,
    s.health,
    s.lastDeploy ? `${utc(s.lastDeploy)} (${ago(s.lastDeploy, now)})` : '-',
  ]);
  const widths = header.map((_, i) => Math.max(...[header, ...rows].map((r) => r[i]!.length)));
  const table = [header, ...rows].map((r) =>
    r
      .map((cell, i) => cell.padEnd(widths[i]!))
      .join('  ')
      .trimEnd(),
  );
  const backup = report.lastBackup
    ? `${utc(report.lastBackup)} (${ago(report.lastBackup, now)})`
    : (report.backupsUnknown ?? 'none yet');
  const verified = report.lastVerification
    ? `${utc(report.lastVerification.at)} (${ago(report.lastVerification.at, now)}, ${report.lastVerification.passed ? 'passed' : 'FAILED'})`
    : (report.backupsUnknown ?? 'none yet');
  const recovery = recoveryLines(report, now);
  let certificate = report.certificateUnknown ?? 'not checked';
  if (report.certificateExpires) {
    const days = Math.floor((report.certificateExpires.getTime() - now.getTime()) / 86_400_000);
    certificate = `${utc(report.certificateExpires)} (in ${days} days)`;
  }
  return [
    ...table,
    '',
    `last successful backup: ${backup}`,
    `last verified backup:   ${verified}`,
    `recovery point:         ${recovery.point}`,
    `restorable window:      ${recovery.window}`,
    `last restore drill:     ${recovery.drill}`,
    `certificate expires:    ${certificate}`,
  ].join('\n');
}

/** The three point-in-time recovery lines: how recent a restore can be, how far back, and the last proof. */
function recoveryLines(report: StatusReport, now: Date): { point: string; window: string; drill: string } {
  const r = report.recovery;
  if (!r) {
    const why = report.recoveryUnknown ?? report.backupsUnknown ?? 'unknown';
    return { point: why, window: why, drill: why };
  }
  if (!r.archiving) {
    const off = 'off (the database server does not archive WAL)';
    return { point: off, window: off, drill: off };
  }
  let point = 'no WAL archived yet';
  if (r.recoveryPoint) {
    const seconds = Math.max(0, Math.round((now.getTime() - r.recoveryPoint.getTime()) / 1000));
    const age = seconds < 90 ? `${seconds} s ago` : ago(r.recoveryPoint, now);
    point = `${utc(r.recoveryPoint)} (${age}${seconds > 300 ? ', STALE: archiving lags' : ''})`;
  }
  const window =
    r.windowStart && r.recoveryPoint
      ? `${utc(r.windowStart)} → ${utc(r.recoveryPoint)}`
      : 'none until the first pgBackRest backup';
  const d = r.lastDrill;
  const drill = d
    ? `${utc(d.at)} (${ago(d.at, now)}, ${d.passed ? 'passed' : 'FAILED'}${d.target ? `, restored to ${utc(d.target)}` : ''})`
    : 'none yet';
  return { point, window, drill };
}
