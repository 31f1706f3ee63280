import type { Logger } from '@taskstack/runtime';
import type { Redis } from 'ioredis';
import { EVENT_HISTORY_MS, eventChannel, eventStreamKey, type BoardEvent } from '@taskstack/queues';

type Listener = (event: BoardEvent) => void;

/** Orders stream ids (`<ms>-<seq>`); ids from one workspace's stream are monotonic. */
export function compareEventIds(a: string, b: string): number {
  const [am, as] = a.split('-').map(Number) as [number, number];
  const [bm, bs] = b.split('-').map(Number) as [number, number];
  return am - bm || as - bs;
}

export const isEventId = (value: string) => /^\d{1,15}-\d{1,15}$/.test(value);

/**
 * This replica's end of the fan-out: one subscriber connection (its own, as subscribed connections cannot run
 * other commands) that hands every published event to the local streams of that workspace.
 */
export class EventHub {
  private subscriber?: Redis;
  private subscribed?: Promise<unknown>;
  private readonly listeners = new Map<string, Set<Listener>>();

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly logger: Logger,
  ) {}

  /** Starts delivering `workspaceId`'s events to `listener` once the subscription is live; returns the undo. */
  async subscribe(workspaceId: string, listener: Listener): Promise<() => void> {
    if (!this.subscribed) {
      // Waits for Redis forever rather than failing: a stream outlives brief Redis restarts.
      const subscriber = this.redis.duplicate({ maxRetriesPerRequest: null, enableAutoPipelining: false });
      subscriber.on('error', (err) => this.logger.warn({ err }, 'event subscriber error'));
      subscriber.on('message', (_channel, message) => this.dispatch(message));
      this.subscriber = subscriber;
      this.subscribed = subscriber.subscribe(eventChannel(this.prefix));
    }
    await this.subscribed;
    const set = this.listeners.get(workspaceId) ?? new Set();
    set.add(listener);
    this.listeners.set(workspaceId, set);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.listeners.delete(workspaceId);
    };
  }

  /**
   * The workspace's events after `afterId`, oldest first. `complete` is false when `afterId` is older than the
   * history kept, so the client may have missed events and should reload.
   */
  async since(workspaceId: string, afterId: string): Promise<{ events: BoardEvent[]; complete: boolean }> {
    const entries = await this.redis.xrange(eventStreamKey(this.prefix, workspaceId), `(${afterId}`, '+');
    const events = entries.map(([id, fields]) => {
      const value = (name: string) => fields[fields.indexOf(name) + 1] ?? '';
      return { id, workspaceId, type: value('type'), data: value('data') };
    });
    const complete = Number(afterId.split('-')[0]) >= Date.now() - EVENT_HISTORY_MS;
    return { events, complete };
  }

  private dispatch(message: string): void {
    let event: BoardEvent;
    try {
      event = JSON.parse(message) as BoardEvent;
    } catch {
      return;
    }
    for (const listener of this.listeners.get(event.workspaceId) ?? []) listener(event);
  }

  /** Drops the subscriber connection (on shutdown, after the streams have ended). */
  close(): void {
    this.listeners.clear();
    this.subscriber?.disconnect();
  }
}
