import type { WebhookQueue } from './webhooks.js';
import type { Redis } from 'ioredis';

/** The events the board publishes; clients may ignore types they do not know. */
export const BOARD_EVENT_TYPES = [
  'task.created',
  'task.updated',
  'task.moved',
  'task.deleted',
  /** Back from the trash: `data` is like task.created's. */
  'task.restored',
  'project.deleted',
  'project.restored',
  'checklist.updated',
  'comment.created',
  'comment.updated',
  'comment.deleted',
  'comment.restored',
  /** Addressed to one user (`data.userId`): only that user's streams receive it. */
  'inbox.updated',
] as const;
export type BoardEventType = (typeof BOARD_EVENT_TYPES)[number];

/** Board events webhooks may subscribe to: all but the per-user ones, which are nobody else's business. */
export const WEBHOOK_EVENT_TYPES = BOARD_EVENT_TYPES.filter(
  (type): type is WebhookEventType => type !== 'inbox.updated',
) as [WebhookEventType, ...WebhookEventType[]];
export type WebhookEventType = Exclude<BoardEventType, 'inbox.updated'>;

/** One event as it travels between replicas: `id` is the Redis stream id, monotonic within a workspace. */
export type BoardEvent = { id: string; workspaceId: string; type: string; data: string };

/** How long a workspace's events stay replayable for clients reconnecting with `Last-Event-ID`. */
export const EVENT_HISTORY_MS = 10 * 60_000;

export const eventStreamKey = (prefix: string, workspaceId: string) => `${prefix}:events:${workspaceId}`;
export const eventChannel = (prefix: string) => `${prefix}:events`;

// Appending to the history and announcing on the channel in one script keeps the channel's order equal to the
// stream ids' order, which the SSE handler relies on when it stitches replay and live events together.
const PUBLISH_SCRIPT = `
local id = redis.call('XADD', KEYS[1], 'MINID', '~', ARGV[1], '*', 'type', ARGV[2], 'data', ARGV[3])
redis.call('PEXPIRE', KEYS[1], ARGV[4])
redis.call('PUBLISH', KEYS[2], cjson.encode({id = id, workspaceId = ARGV[5], type = ARGV[2], data = ARGV[3]}))
return id
`;

/** Where fan-outs go, and the question that spares workspaces without a subscribed webhook a job per event. */
export type WebhookFanOut = {
  queue: WebhookQueue;
  subscribed: (workspaceId: string, type: WebhookEventType) => Promise<boolean>;
};

type WithScript = Redis & {
  taskstackPublishEvent?: (...args: (string | number)[]) => Promise<string>;
};

/**
 * Publishes board events to every API replica (Redis pub/sub) and keeps a short per-workspace history (a stream
 * trimmed by age) so a reconnecting client can replay what it missed. An event that some webhook of its workspace
 * subscribes to is also handed to the worker as one fan-out job (`webhooks` unset: a publisher that only feeds
 * live streams).
 */
export class EventPublisher {
  private readonly redis: WithScript;

  constructor(
    redis: Redis,
    private readonly prefix: string,
    private readonly webhooks?: WebhookFanOut,
  ) {
    this.redis = redis as WithScript;
    if (!this.redis.taskstackPublishEvent) {
      this.redis.defineCommand('taskstackPublishEvent', { numberOfKeys: 2, lua: PUBLISH_SCRIPT });
    }
  }

  /** Returns the event id. Call after the transaction commits, so nobody hears of a change that rolled back. */
  async publish(workspaceId: string, type: BoardEventType, data: unknown): Promise<string> {
    const now = Date.now();
    const webhooks = this.webhooks;
    // The question runs beside the publish, so it costs the change no extra round trip.
    const [id, wanted] = await Promise.all([
      this.redis.taskstackPublishEvent!(
        eventStreamKey(this.prefix, workspaceId),
        eventChannel(this.prefix),
        String(now - EVENT_HISTORY_MS),
        type,
        JSON.stringify(data),
        String(EVENT_HISTORY_MS * 2),
        workspaceId,
      ),
      webhooks && type !== 'inbox.updated' ? webhooks.subscribed(workspaceId, type) : false,
    ]);
    if (wanted) {
      await webhooks!.queue.fanOut({ workspaceId, id, type, occurredAt: new Date(now).toISOString(), data });
    }
    return id;
  }
}
