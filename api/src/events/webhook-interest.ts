import { webhookEventTypes, type Queryable } from '@taskstack/db/repositories';
import type { Logger } from '@taskstack/runtime';
import type { Redis } from 'ioredis';
import { LRUCache } from 'lru-cache';

/** How long a replica trusts what it read, even without a change announced: bounds any change that went unheard. */
export const WEBHOOK_INTEREST_TTL_MS = 60_000;
/** Bounds the memory: the workspaces least recently asked about are forgotten first. */
const MAX_WORKSPACES = 10_000;

/**
 * Which event types the active webhooks of a workspace subscribe to, remembered per workspace so that a board
 * change does not cost a query of the webhooks table on top of its own (every create and move asked it). A change
 * of a workspace's webhooks is announced on a Redis channel after it commits, and every replica forgets that
 * workspace; while this replica's subscription to the channel is not live (before it is confirmed, after its
 * connection drops, until it is back) nothing is remembered and every event asks the table, as before. Entries
 * also expire after WEBHOOK_INTEREST_TTL_MS, for changes no API route makes: the worker turning off a failing
 * webhook (remembering it longer only costs fan-out jobs that find nothing to deliver) or a restored database.
 */
export class WebhookInterest {
  private readonly known = new LRUCache<string, Set<string>>({
    max: MAX_WORKSPACES,
    ttl: WEBHOOK_INTEREST_TTL_MS,
  });
  /** Bumped by every forget, so a read that started before a change is not remembered after it. */
  private generation = 0;
  private live = false;
  private readonly subscriber: Redis;
  private readonly channel: string;

  constructor(
    private readonly db: Queryable,
    private readonly redis: Redis,
    prefix: string,
    logger: Logger,
  ) {
    this.channel = `${prefix}:webhooks-changed`;
    // Its own connection (a subscribed one runs nothing else); it waits for Redis forever and resubscribes itself.
    this.subscriber = redis.duplicate({ maxRetriesPerRequest: null, enableAutoPipelining: false });
    this.subscriber.on('error', (err) => logger.warn({ err }, 'webhook change subscriber error'));
    this.subscriber.on('close', () => this.forgetAll(false));
    // 'ready' comes again after every reconnection; the subscription is live once Redis confirms it.
    this.subscriber.on('ready', () => {
      this.subscriber.subscribe(this.channel).then(
        () => this.forgetAll(this.subscriber.status === 'ready'),
        (err: unknown) => logger.warn({ err }, 'webhook change subscription failed'),
      );
    });
    this.subscriber.on('message', (_channel, workspaceId: string) => this.forget(workspaceId));
  }

  /** Whether an event of `type` in the workspace would reach some active webhook subscribed to it. */
  async subscribed(workspaceId: string, type: string): Promise<boolean> {
    const known = this.known.get(workspaceId);
    if (known) return known.has(type);
    const generation = this.generation;
    const types = new Set(await webhookEventTypes(this.db, workspaceId));
    if (this.live && generation === this.generation) this.known.set(workspaceId, types);
    return types.has(type);
  }

  /** After a change of the workspace's webhooks has committed: this replica forgets at once, the others when told. */
  async changed(workspaceId: string): Promise<void> {
    this.forget(workspaceId);
    await this.redis.publish(this.channel, workspaceId);
  }

  close(): void {
    this.forgetAll(false);
    this.subscriber.disconnect();
  }

  private forget(workspaceId: string): void {
    this.generation++;
    this.known.delete(workspaceId);
  }

  private forgetAll(live: boolean): void {
    this.generation++;
    this.known.clear();
    this.live = live;
  }
}
