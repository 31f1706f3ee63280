import { createParser } from 'eventsource-parser';
import { ApiError } from './errors.js';
import type { HttpClient } from './http.js';
import { ENDPOINTS as E } from './endpoints.js';

export type BoardEvent = { id: string; type: string; data: unknown };
export type StreamState = 'connecting' | 'live' | 'reconnecting' | 'closed';
export type Subscription = { close(): void };

type Handlers = {
  onEvent(event: BoardEvent): void;
  onState?(state: StreamState): void;
  /** A reconnect could not resume from a known event: reload instead of replaying. */
  onResync?(): void;
};

const MAX_BACKOFF_MS = 15_000;

/**
 * The workspace's Server-Sent Events stream, read with a streaming fetch because EventSource cannot send the bearer
 * token. It reconnects with backoff and sends `Last-Event-ID`, so the API replays what was missed while away.
 */
export class EventService {
  constructor(private readonly http: HttpClient) {}

  subscribe(workspaceId: string, handlers: Handlers): Subscription {
    const stop = new AbortController();
    let lastEventId: string | undefined;
    let retryMs = 1000;
    let attempt = 0;

    const setState = (state: StreamState) => handlers.onState?.(state);

    let connectedBefore = false;

    const readOnce = async () => {
      const sentId = lastEventId;
      const response = await this.http.send(E.events, {
        query: { workspaceId },
        headers: { Accept: 'text/event-stream', ...(lastEventId ? { 'Last-Event-ID': lastEventId } : {}) },
        signal: stop.signal,
      });
      if (!response.body) throw new Error('event stream has no body');
      setState('live');
      attempt = 0;
      // Without an id to resume from, the API cannot replay what happened while we were away.
      if (connectedBefore && !sentId) handlers.onResync?.();
      connectedBefore = true;
      const parser = createParser({
        onEvent: (message) => {
          if (message.id) lastEventId = message.id;
          if (!message.event || message.event === 'message' || message.event === 'ping') return;
          let data: unknown = message.data;
          try {
            data = JSON.parse(message.data);
          } catch {
            // a non-JSON payload is passed on as text
          }
          handlers.onEvent({ id: message.id ?? '', type: message.event, data });
        },
        onRetry: (ms) => {
          retryMs = ms;
        },
      });
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        parser.feed(value);
      }
    };

    const loop = async () => {
      while (!stop.signal.aborted) {
        setState(attempt === 0 ? 'connecting' : 'reconnecting');
        try {
          await readOnce();
        } catch (error) {
          if (stop.signal.aborted) break;
          // Signed out or no longer a member: retrying would not help.
          if (
            error instanceof ApiError &&
            (error.status === 401 || error.status === 403 || error.status === 404)
          ) {
            break;
          }
        }
        if (stop.signal.aborted) break;
        attempt += 1;
        setState('reconnecting');
        const delay =
          Math.min(MAX_BACKOFF_MS, retryMs * 2 ** Math.min(attempt - 1, 4)) * (0.75 + Math.random() / 2);
        await new Promise((resolve) => {
          const timer = setTimeout(resolve, delay);
          stop.signal.addEventListener('abort', () => {
            clearTimeout(timer);
            resolve(undefined);
          });
        });
      }
      setState('closed');
    };
    void loop();
    return { close: () => stop.abort() };
  }
}
