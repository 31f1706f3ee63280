import {
  readCalendarFeed,
  revokeCalendarFeed,
  rotateCalendarFeed,
} from '../../commands/calendar-feed/manage-feed.js';
import { feedFor } from '../../commands/calendar-feed/render-feed.js';
import { createFeedBody, feedParams } from '../../commands/calendar-feed/schema.js';
import type { AppContext } from '../../context.js';
import { createLimiter, limitPerIp } from '../../middlewares/rate-limit.js';
import { calendarFeedStateOutput, createdCalendarFeedOutput } from '../../presenters/calendar-feed.js';
import { defineRoutes, type RouteGroup } from '../define.js';

/** Calendar apps poll every few minutes to hours; this is far above that and still stops a scraper. */
const FEED_LIMIT = { name: 'calendar-feed-ip', points: 120, durationSeconds: 60 };

/**
 * The iCal feed of one's tasks: managed from a signed-in session (the `calendar` tag is not one an API token
 * reaches), fetched by calendar apps with the secret in the URL as the only credential.
 */
export function calendarRoutes(ctx: AppContext): RouteGroup {
  const { routes, route } = defineRoutes(ctx);
  const tags = ['calendar'];

  route(
    {
      method: 'post',
      path: '/me/calendar-feed',
      summary:
        'Create your iCal feed URL, or replace it (the old URL stops working); the URL is in this answer only',
      tags,
      request: { body: createFeedBody },
      responses: { 201: { description: 'Created; keep the URL now', schema: createdCalendarFeedOutput } },
    },
    async ({ user, body }) => rotateCalendarFeed(ctx, user.id, body),
  );

  route(
    {
      method: 'get',
      path: '/me/calendar-feed',
      summary: 'Whether you have an iCal feed, and when it was last fetched (never its URL)',
      tags,
      responses: { 200: { description: 'The feed, or null', schema: calendarFeedStateOutput } },
    },
    async ({ user }) => readCalendarFeed(ctx, user.id),
  );

  route(
    {
      method: 'delete',
      path: '/me/calendar-feed',
      summary: 'Revoke your iCal feed: its URL answers 404 from now on',
      tags,
      responses: { 204: { description: 'Revoked' }, 404: { description: 'You have no feed' } },
    },
    async ({ user }) => revokeCalendarFeed(ctx, user.id),
  );

  route(
    {
      method: 'get',
      path: '/calendar/:token.ics',
      summary: 'The iCal feed (RFC 5545) of the open tasks assigned to its owner that have a due date',
      description:
        'No Authorization header: the secret in the URL is the credential. Covers the workspaces the owner is ' +
        'a member of at the time of each fetch; an unknown, rotated or revoked secret is a 404.',
      tags,
      auth: 'public',
      rateLimit: limitPerIp(createLimiter(ctx.redis, ctx.config.REDIS_PREFIX, FEED_LIMIT)),
      request: { params: feedParams },
      responses: {
        200: { description: 'The calendar', content: { 'text/calendar': { schema: { type: 'string' } } } },
      },
    },
    async ({ params, res }) => {
      const body = await feedFor(ctx, params.token);
      res
        .status(200)
        .type('text/calendar; charset=utf-8')
        // Per person and secret: no shared cache may keep it, and apps re-fetching within minutes get it again.
        .set('Cache-Control', 'private, max-age=300')
        .set('X-Robots-Tag', 'noindex')
        .set('Content-Disposition', 'inline; filename="taskstack.ics"')
        .send(body);
    },
  );

  return routes;
}
