/**
 * Redis users of the stack, one per service, in the ACL file Redis loads (`--aclfile`):
 * - `api` and `worker`: only keys and channels under the app's prefix, and every command but Redis's `@dangerous`
 *   category (FLUSHALL, FLUSHDB, CONFIG, DEBUG, KEYS, SHUTDOWN, MONITOR, ACL, MIGRATE, SAVE, REPLICAOF, CLIENT KILL,
 *   …), with back only what BullMQ and ioredis need of it: INFO (BullMQ reads the version and the eviction policy)
 *   and CLIENT SETNAME/GETNAME (named connections). Scripts (EVAL/EVALSHA, which BullMQ runs for every queue
 *   operation) stay allowed, and each command a script runs is checked against the same key patterns.
 * - `default`: the operator's password, every command; held only by Redis itself (its healthcheck) and the
 *   monitoring exporter, which reads INFO, CONFIG, SLOWLOG and the like.
 * A stolen api or worker credential can then read and change the app's queues and limits, but not wipe the
 * instance, rewrite its configuration (CONFIG SET dir/dbfilename is the classic Redis-to-shell step) or list keys.
 */
import { createHash } from 'node:crypto';

/** The services with Redis users of their own. */
export const redisUsers = ['api', 'worker'] as const;
export type RedisUser = (typeof redisUsers)[number];

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

/** The ACL file: `default` for operations, one restricted user per app service; passwords stored as SHA-256. */
export function renderRedisAcl(
  prefix: string,
  passwords: { default: string } & Record<RedisUser, string>,
): string {
  return [
    `user default on sanitize-payload #${sha256(passwords.default)} ~* &* +@all`,
    ...redisUsers.map(
      (user) =>
        `user ${user} on sanitize-payload #${sha256(passwords[user])} ${appRedisRules(prefix).join(' ')}`,
    ),
    '',
  ].join('\n');
}
