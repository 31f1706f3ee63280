/**
 * Redis users of the stack, one per service, in the ACL file Redis loads (`--aclfile`):
 * - `api` and `worker`: only keys and channels under the app's prefix, and every command but Redis's `@dangerous`
 *   category (FLUSHALL, FLUSHDB, CONFIG, DEBUG, KEYS, SHUTDOWN, MONITOR, ACL, MIGRATE, SAVE, REPLICAOF, CLIENT KILL,
 *   …), with back only what BullMQ and ioredis need of it: INFO (BullMQ reads the version and the eviction policy)
 *   and CLIENT SETNAME/GETNAME (named connections). Scripts (EVAL/EVALSHA, which BullMQ runs for every queue
 *   operation) stay allowed, and each command a script runs is checked against the same key patterns.
 * - `monitor`: the metrics exporter's — no key or channel at all, and only the read-only server commands it scrapes
 *   (INFO, CONFIG GET, SLOWLOG GET/LEN, LATENCY LATEST/HISTOGRAM, CLUSTER INFO, PING).
 * - `default`: the operator's password, every command; held only by Redis itself (its healthcheck).
 * A stolen api or worker credential can then read and change the app's queues and limits, but not wipe the
 * instance, rewrite its configuration (CONFIG SET dir/dbfilename is the classic Redis-to-shell step) or list keys.
 */
import { createHash } from 'node:crypto';

/** The app services with Redis users of their own. */
export const redisUsers = ['api', 'worker'] as const;
export type RedisUser = (typeof redisUsers)[number];

/** The Redis user of the metrics exporter. */
export const REDIS_MONITOR_USER = 'monitor';

/** What the exporter may do: read the server's own state, touch no key or channel. */
export const monitorRedisRules = [
  'resetkeys',
  'resetchannels',
  '-@all',
  '+ping',
  '+info',
  '+config|get',
  '+slowlog|get',
  '+slowlog|len',
  '+latency|latest',
  '+latency|histogram',
  '+cluster|info',
];

/** What an app user may do, as ACL rules (also `ACL SETUSER` arguments) for keys and channels under `prefix`. */
export function appRedisRules(prefix: string): string[] {
  return [
    'resetkeys',
    `~${prefix}:*`,
    'resetchannels',
    `&${prefix}:*`,
    '-@all',
    '+@all',
    '-@dangerous',
    '+info',
    '+client|setname',
    '+client|getname',
  ];
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * The ACL file: `default` for operations, one restricted user per app service and the exporter's; passwords
 * stored as SHA-256.
 */
export function renderRedisAcl(
  prefix: string,
  passwords: { default: string; monitor: string } & Record<RedisUser, string>,
): string {
  return [
    `user default on sanitize-payload #${sha256(passwords.default)} ~* &* +@all`,
    ...redisUsers.map(
      (user) =>
        `user ${user} on sanitize-payload #${sha256(passwords[user])} ${appRedisRules(prefix).join(' ')}`,
    ),
    `user ${REDIS_MONITOR_USER} on #${sha256(passwords.monitor)} ${monitorRedisRules.join(' ')}`,
    '',
  ].join('\n');
}
