import type { Redis } from 'ioredis';
import { ACCESS_TOKEN_TTL_SECONDS } from './access-token.js';

/** Where ended sessions are noted: Redis, so every replica refuses their access tokens at once. */
export type RevocationStore = { redis: Redis; config: { REDIS_PREFIX: string } };

const key = (store: RevocationStore, sessionId: string) =>
  `${store.config.REDIS_PREFIX}:revoked-session:${sessionId}`;

/**
 * Notes sessions as ended. An access token of theirs was issued before this moment and lives at most
 * ACCESS_TOKEN_TTL_SECONDS, so the note can expire after that long.
 */
export async function noteSessionsEnded(store: RevocationStore, sessionIds: Iterable<string>): Promise<void> {
  const pipeline = store.redis.pipeline();
  for (const id of new Set(sessionIds)) pipeline.set(key(store, id), '1', 'EX', ACCESS_TOKEN_TTL_SECONDS);
  if (pipeline.length) await pipeline.exec();
}

/** Whether the session an access token names has ended (logout, password reset, a replayed refresh token). */
export async function sessionEnded(store: RevocationStore, sessionId: string): Promise<boolean> {
  return (await store.redis.exists(key(store, sessionId))) === 1;
}
