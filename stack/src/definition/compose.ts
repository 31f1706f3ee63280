/** Pieces every service of the rendered compose file shares (render.ts and monitoring.ts). */
import { createHash } from 'node:crypto';
import type { SecretKey } from './secrets.js';

export type Service = Record<string, unknown>;

/** Content hash for config names: a changed file gets a new name, so swarm rolls its services onto it. */
export const shortHash = (text: string): string =>
  createHash('sha256').update(text).digest('hex').slice(0, 12);

export const logging = { driver: 'json-file', options: { 'max-size': '10m', 'max-file': '3' } };

export const restartAlways = { condition: 'any', delay: '5s', window: '30s' };

export const limits = (memory: string) => ({ resources: { limits: { memory } } });

export const placedOn = (label: string) => ({ constraints: [`node.labels.${label} == true`] });

/**
 * The deploy section of a long-running service: one replica unless `extra` says otherwise (or `mode: 'global'`),
 * DNS round robin (no VIPs: they need IPVS, which some kernels lack), a memory limit, restarted whatever ended it.
 */
export const deployed = (memory: string, extra: Record<string, unknown> = {}) => ({
  endpoint_mode: 'dnsrr',
  ...(extra.mode === 'global' ? {} : { replicas: 1 }),
  ...limits(memory),
  restart_policy: restartAlways,
  ...extra,
});

/** Secrets mounted read-only under /run/secrets/<key>. */
export const secretRefs = (...keys: SecretKey[]) =>
  keys.map((key) => ({ source: key, target: key, mode: 0o444 }));
