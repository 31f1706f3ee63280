/** What the API benches send (autocannon requests over a seeded project) and how they print a run. */
import type autocannon from 'autocannon';
import type { Result } from 'autocannon';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import type { Seeded } from './seed.js';

const STATUSES = ['backlog', 'todo', 'in_progress', 'done'];
export const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const pick = <T>(items: T[]) => items[Math.floor(Math.random() * items.length)]!;

export type Scenario = {
  name: string;
  request: (s: Seeded, cursor: string) => Parameters<typeof autocannon>[0]['requests'];
};

export const SCENARIOS: Scenario[] = [
  {
    name: 'list-tasks',
    request: (s, cursor) => [
      {
        method: 'GET',
        path: `/api/v1/projects/${s.projectId}/tasks?status=todo&assigneeId=${s.userId}&limit=50&cursor=${cursor}`,
      },
    ],
  },
  {
    name: 'create-task',
    request: (s) => [
      {
        method: 'POST',
        path: `/api/v1/projects/${s.projectId}/tasks`,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ title: 'Benchmark task', priority: 'medium' }),
      },
    ],
  },
  {
    name: 'move-task',
    request: (s) => [
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        setupRequest: (request) => ({
          ...request,
          path: `/api/v1/tasks/${pick(s.taskIds)}/move`,
          body: JSON.stringify({ status: pick(STATUSES) }),
        }),
      },
    ],
  },
];

export const loadAverage = () =>
  loadavg()
    .map((n) => n.toFixed(2))
    .join(' ');
const fmt = (n: number, width = 9) => n.toFixed(n < 100 ? 1 : 0).padStart(width);
export function line(name: string, target: string, r: Result, cpuPerRequest?: number): string {
  const bad = r.non2xx + r.errors + r.timeouts;
  return `${name.padEnd(12)} ${target.padEnd(5)} ${fmt(r.requests.average)} ${fmt(r.latency.p50)} ${fmt(r.latency.p99)} ${String(bad).padStart(7)}${cpuPerRequest === undefined ? '' : cpuPerRequest.toFixed(2).padStart(9)}`;
}

/**
 * A process's user + system CPU time in ms, from /proc (clock ticks of 10 ms): CPU per request varies far less with
 * the machine's load than req/s does, since waiting for a core is not counted.
 */
export function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  // utime and stime are fields 14 and 15 of stat(5), 12 and 13 after the "pid (comm) " prefix is cut.
  return (Number(fields[11]) + Number(fields[12])) * 10;
}
