/** Pieces every service of the rendered compose file shares (render.ts and monitoring.ts). */
import { createHash } from 'node:crypto';
import type { SecretKey } from './secrets.js';

export type Service = Record<string, unknown>;

/** Content hash for config names: a changed file gets a new name, so swarm rolls its services onto it. */
export const shortHash = (text: string): string =>
  createHash('sha256').update(text).digest('hex').slice(0, 12);

export const logging = { driver: 'json-file', options: { 'max-size': '10m', 'max-file': '3' } };

export const restartAlways = { condition: 'any', delay: '5s', window: '30s' };

/**
 * Resource limits of a task: memory, CPU (so one busy service cannot starve the rest of its node) and processes (a
 * fork bomb or thread leak stops at the cap instead of exhausting the node's PIDs).
 */
export const limits = (
  memory: string,
  { cpus = '1.0', pids = 256 }: { cpus?: string; pids?: number } = {},
) => ({
  resources: { limits: { memory, cpus, pids } },
});

/**
 * Least privilege for a container: every Linux capability dropped but `capAdd`, a read-only root filesystem, and
 * `volumes` plus a private tmpfs at each of `writable` (swarm ignores the `tmpfs:` key; tmpfs mounts it takes).
 * (`no-new-privileges` swarm services cannot set: it is the engine's default on our nodes, see cloud-init.)
 */
export const confined = ({
  capAdd = [],
  writable = ['/tmp'],
  volumes = [],
}: { capAdd?: string[]; writable?: string[]; volumes?: string[] } = {}) => ({
  cap_drop: ['ALL'],
  ...(capAdd.length ? { cap_add: capAdd } : {}),
  read_only: true,
  volumes: [...volumes, ...writable.map((target) => ({ type: 'tmpfs', target }))],
});

export const placedOn = (label: string) => ({ constraints: [`node.labels.${label} == true`] });

/**
 * The deploy section of a long-running service: one replica unless `extra` says otherwise (or `mode: 'global'`),
 * DNS round robin (no VIPs: they need IPVS, which some kernels lack), `limits`, restarted whatever ended it.
 */
export const deployed = (
  memory: string,
  extra: Record<string, unknown> = {},
  resources: Parameters<typeof limits>[1] = {},
) => ({
  endpoint_mode: 'dnsrr',
  ...(extra.mode === 'global' ? {} : { replicas: 1 }),
  ...limits(memory, resources),
  restart_policy: restartAlways,
  ...extra,
});

/** Secrets mounted read-only under /run/secrets/<key>. */
export const secretRefs = (...keys: SecretKey[]) =>
  keys.map((key) => ({ source: key, target: key, mode: 0o444 }));

/**
 * A private key under /run/secrets/<target> (its name unless told), readable by its owner `uid` alone: the user of
 * the server it is the key of.
 */
export const keyRef = (key: string, uid: number, target = key) => ({
  source: key,
  target,
  uid: String(uid),
  gid: String(uid),
  mode: 0o400,
});
