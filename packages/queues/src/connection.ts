import { readFileSync } from 'node:fs';
import { Redis, type RedisOptions } from 'ioredis';

/**
 * ioredis' URL and options for a REDIS_URL: its `cacert` parameter (the CA file a `rediss://` server is verified
 * against; packages/config checked it at start-up) becomes the TLS options' `ca`, in place of Node's public CAs.
 * Node verifies the certificate's chain and its name against the URL's host.
 */
function connectionOf(url: string): [string, RedisOptions] {
  const parsed = new URL(url);
  const caFile = parsed.searchParams.get('cacert');
  if (!caFile) return [url, {}];
  parsed.searchParams.delete('cacert');
  return [parsed.toString(), { tls: { ca: readFileSync(caFile) } }];
}

/**
 * A Redis connection for BullMQ. Workers and subscribers must wait for Redis forever rather than fail a command
 * (`maxRetriesPerRequest: null`); producers in request paths should fail fast instead (`forWorker: false`).
 * `autoPipelining` sends the commands issued in one event-loop turn in one write (ioredis' enableAutoPipelining):
 * for the API's request path, where many requests each send a command or two at once; never for a connection
 * BullMQ uses, which does not support it. Its `duplicate()`s (BullMQ's blocking connections, subscribers) keep the
 * TLS options.
 */
export function createRedis(
  url: string,
  { forWorker = false, autoPipelining = false }: { forWorker?: boolean; autoPipelining?: boolean } = {},
): Redis {
  const [redisUrl, tls] = connectionOf(url);
  const options: RedisOptions = forWorker
    ? { maxRetriesPerRequest: null }
    : { maxRetriesPerRequest: 2, enableOfflineQueue: true, connectTimeout: 5000 };
  return new Redis(redisUrl, { ...tls, ...options, enableAutoPipelining: autoPipelining });
}

/** A one-line reason Redis at `url` cannot be reached, or undefined; for start-up errors naming REDIS_URL. */
export async function probeRedis(url: string): Promise<string | undefined> {
  const [redisUrl, tls] = connectionOf(url);
  const redis = new Redis(redisUrl, {
    ...tls,
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    connectTimeout: 5000,
  });
  // Without a listener ioredis prints the socket error with its stack; keep it for the one-line message instead.
  let socketError: Error | undefined;
  redis.on('error', (error: Error) => (socketError ??= error));
  try {
    await redis.connect();
    await redis.ping();
    return undefined;
  } catch (error) {
    const message = (socketError ?? (error as Error)).message;
    // A Redis without TLS reads the TLS hello as the start of a command and waits for the rest: the handshake
    // never ends, which looks like a host that does not answer.
    return message === 'connect ETIMEDOUT' && url.startsWith('rediss:')
      ? `${message}: no TLS handshake within 5 s, unreachable or a server without TLS`
      : message;
  } finally {
    redis.disconnect();
  }
}
