import type { Queue } from 'bullmq';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { ArchiveStatus } from './pitr/archive-status.js';

export type WorkerMetrics = ReturnType<typeof createMetrics>;

/**
 * Prometheus metrics of the worker: job outcomes and durations by name, queue depth, backup freshness, and (with
 * `archive`, when point-in-time recovery is on) the server's WAL archiving read at every scrape.
 */
export function createMetrics(queues: Queue[], archive?: () => Promise<ArchiveStatus>) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const labelNames = ['queue', 'name'] as const;
  const completed = new Counter({
    name: 'worker_jobs_completed_total',
    help: 'Jobs that completed',
    labelNames,
    registers: [registry],
  });
  const failed = new Counter({
    name: 'worker_jobs_failed_total',
    help: 'Job attempts that failed (retried or not)',
    labelNames,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'worker_job_duration_seconds',
    help: 'Time a job attempt took, by job name',
    labelNames,
    buckets: [0.01, 0.05, 0.1, 0.5, 1, 5, 30, 120, 600, 3600],
    registers: [registry],
  });
  new Gauge({
    name: 'worker_queue_jobs',
    help: 'Jobs in each queue by state',
    labelNames: ['queue', 'state'],
    registers: [registry],
    async collect() {
      for (const queue of queues) {
        const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'failed', 'prioritized');
        for (const [state, count] of Object.entries(counts)) this.set({ queue: queue.name, state }, count);
      }
    },
  });
  const lastBackup = new Gauge({
    name: 'worker_backup_last_success_timestamp_seconds',
    help: 'Unix time the last backup succeeded (0: none since the worker started and none recorded)',
    registers: [registry],
  });
  const backupFailures = new Counter({
    name: 'worker_backup_failures_total',
    help: 'Backups that failed',
    registers: [registry],
  });
  const verificationFailed = new Gauge({
    name: 'worker_backup_verification_failed',
    help: '1 when the last restore test of a backup did not match its manifest, else 0 (alert on 1)',
    registers: [registry],
  });
  const pitrLastBackup = new Gauge({
    name: 'worker_pitr_backup_last_success_timestamp_seconds',
    help: 'Unix time the last pgBackRest backup (full or differential) finished',
    registers: [registry],
  });
  const pitrFailures = new Counter({
    name: 'worker_pitr_failures_total',
    help: 'pgBackRest operations that failed, by operation (backup, stanza, status): repository errors',
    labelNames: ['operation'],
    registers: [registry],
  });
  const drillFailed = new Gauge({
    name: 'worker_pitr_drill_failed',
    help: '1 when the last restore drill found a problem, else 0 (alert on 1)',
    registers: [registry],
  });
  const drillLast = new Gauge({
    name: 'worker_pitr_drill_last_timestamp_seconds',
    help: 'Unix time the last restore drill finished, whatever its result (0: none recorded)',
    registers: [registry],
  });
  if (archive) {
    let status: Promise<ArchiveStatus | undefined> | undefined;
    // One query per scrape for the three gauges; a failed read counts as a repository-side error.
    const read = () =>
      (status ??= archive()
        .catch(() => {
          pitrFailures.inc({ operation: 'status' });
          return undefined;
        })
        .finally(() => setTimeout(() => (status = undefined), 1000)));
    new Gauge({
      name: 'worker_pitr_recovery_point_timestamp_seconds',
      help: 'Unix time the database server last archived a WAL segment (0: never)',
      registers: [registry],
      async collect() {
        this.set(((await read())?.lastArchivedAt?.getTime() ?? 0) / 1000);
      },
    });
    new Gauge({
      name: 'worker_pitr_archive_lag_seconds',
      help: 'Age of the oldest WAL not yet archived (0 when everything written is archived)',
      registers: [registry],
      async collect() {
        this.set((await read())?.lagSeconds ?? 0);
      },
    });
    new Gauge({
      name: 'worker_pitr_archive_failing',
      help: '1 when the last attempt of the server to archive WAL failed, else 0',
      registers: [registry],
      async collect() {
        this.set((await read())?.failing ? 1 : 0);
      },
    });
  }
  return {
    registry,
    completed,
    failed,
    duration,
    lastBackup,
    backupFailures,
    verificationFailed,
    pitrLastBackup,
    pitrFailures,
    drillFailed,
    drillLast,
  };
}
