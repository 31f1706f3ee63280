import { isMember } from '@taskstack/db/repositories';
import { sessionEnded } from '../../auth/session-revocations.js';
import type { AppContext } from '../../context.js';
import { compareEventIds, isEventId, type EventHub } from '../../events/hub.js';
import type { BoardEvent } from '@taskstack/queues';
import { workspaceAccessFor } from '../../policies/membership.js';
import { defineRoutes, type RouteGroup } from '../define.js';
import { streamQuery } from './schema.js';

/**
 * A comment line keeps proxies from closing an idle stream; each also re-checks that the caller is still a member
 * and that their session has not ended (logout, password reset).
 */
export const HEARTBEAT_MS = 15_000;

/** Inbox events travel on the workspace's stream but belong to one member; everyone else's stream skips them. */
function forThisUser(event: BoardEvent, userId: string): boolean {
  if (!event.type.startsWith('inbox.')) return true;
  try {
    return (JSON.parse(event.data) as { userId?: unknown }).userId === userId;
  } catch {
    return false;
  }
}

const frame = (event: BoardEvent) => `id: ${event.id}\nevent: ${event.type}\ndata: ${event.data}\n\n`;

/**
 * `GET /events?workspaceId=`: Server-Sent Events of one workspace, from whichever replica made the change.
 * A client reconnecting with `Last-Event-ID` first gets what it missed from the recent history, then live events;
 * the two are stitched by id so nothing is lost or repeated.
 */
export function eventsRoutes(
  ctx: AppContext,
  hub: EventHub,
  { heartbeatMs = HEARTBEAT_MS }: { heartbeatMs?: number } = {},
): RouteGroup {
  const { routes, route } = defineRoutes(ctx);

  route(
    {
      method: 'get',
      path: '/events',
      summary: 'Server-Sent Events of a workspace (viewer+)',
      description:
        'Events: task.created, task.updated, task.moved, task.deleted, comment.created, comment.updated, ' +
        'comment.deleted, task.restored, comment.restored (`data` is JSON with `projectId`), project.deleted ' +
        '(`data`: `id`), project.restored (`data`: `project`), and inbox.updated, sent only to its recipient (`data`: ' +
        '`userId`, `unread`, and the new `notification` if any). Ids are monotonic per workspace: reconnect with ' +
        '`Last-Event-ID` to replay the last 10 minutes; an older id first gets a `resync` event (reload the board). ' +
        'Authenticate with the Authorization header or `?access_token=`.',
      tags: ['events'],
      // EventSource cannot send headers.
      tokenInQuery: true,
      request: { query: streamQuery },
      responses: {
        200: { description: 'An event stream', content: { 'text/event-stream': { schema: {} } } },
      },
    },
    async ({ user, query, req, res }) => {
      const { id: userId, sessionId, expiresAtMs } = user;
      const { workspaceId } = query;
      await workspaceAccessFor(ctx.sql, userId, workspaceId, 'viewer');
      const header = req.get('last-event-id') ?? '';
      const lastEventId = isEventId(header) ? header : undefined;

      res.status(200).set({
        'Content-Type': 'text/event-stream; charset=utf-8',
        'Cache-Control': 'no-cache, no-transform',
        'X-Accel-Buffering': 'no',
        Connection: 'keep-alive',
      });
      res.flushHeaders();
      res.write('retry: 3000\n\n');

      let lastSent = lastEventId ?? '0-0';
      let pending: BoardEvent[] | null = [];
      const send = (event: BoardEvent) => {
        if (compareEventIds(event.id, lastSent) <= 0) return;
        if (!forThisUser(event, userId)) return;
        res.write(frame(event));
        lastSent = event.id;
      };
      let unsubscribe = () => {};
      let ended = false;
      const end = () => {
        if (ended) return;
        ended = true;
        unsubscribe();
        ctx.shutdownSignal.removeEventListener('abort', end);
        res.end();
        // On shutdown the connection goes too: the server must not wait on a client that has stopped reading.
        if (ctx.shutdownSignal.aborted) req.socket.destroySoon();
      };
      res.on('close', end);
      ctx.shutdownSignal.addEventListener('abort', end);
      if (ctx.shutdownSignal.aborted) return end();

      try {
        // Live events are buffered while the history is replayed, then flushed in id order.
        unsubscribe = await hub.subscribe(workspaceId, (event) =>
          pending ? pending.push(event) : send(event),
        );
        if (lastEventId) {
          const history = await hub.since(workspaceId, lastEventId);
          if (!history.complete) res.write('event: resync\ndata: {}\n\n');
          history.events.forEach(send);
        }
        pending.sort((a, b) => compareEventIds(a.id, b.id)).forEach(send);
        pending = null;
      } catch (err) {
        req.log.warn({ err }, 'event stream failed to start');
        return end();
      }
      if (ended) return unsubscribe();

      // The stream lives as long as the token that opened it: the client reconnects with a renewed one.
      const expiry = setTimeout(end, Math.max(0, expiresAtMs - Date.now()));
      const heartbeat = setInterval(() => {
        res.write(': ping\n\n');
        Promise.all([isMember(ctx.sql, workspaceId, userId), sessionEnded(ctx, sessionId)]).then(
          ([member, ended]) => (!member || ended) && end(),
          () => {},
        );
      }, heartbeatMs);
      res.once('close', () => {
        clearInterval(heartbeat);
        clearTimeout(expiry);
      });
    },
  );

  return routes;
}
