import { feedTasksOf, findCalendarFeed, touchCalendarFeed, type FeedTask } from '@taskstack/db/repositories';
import ical, { ICalCalendarMethod } from 'ical-generator';
import { hashOpaqueToken } from '../../auth/opaque-token.js';
import type { AppContext } from '../../context.js';
import { notFound } from '../../errors.js';
import { taskUrl } from './feed-url.js';

const DAY_MS = 24 * 3600 * 1000;
/** What a calendar app gets: recent and coming dues, bounded so a feed stays a small file polled often. */
const FEED_WINDOW = { pastDays: 90, futureDays: 730, limit: 2000 };

/** The date and minutes of `at` on the wall clock of `timeZone`. */
function wallClock(at: Date, timeZone: string) {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(at)
      .map((p) => [p.type, p.value]),
  );
  return { y: +parts.year!, m: +parts.month!, d: +parts.day!, hh: +parts.hour!, mm: +parts.minute! };
}

/**
 * The web app saves a date-only due date as 23:59 local time, so that is an all-day event on that local date;
 * any other time is a timed event at that instant.
 */
export function eventTiming(dueAt: Date, timeZone: string): { start: Date; allDay: boolean } {
  const wall = wallClock(dueAt, timeZone);
  if (wall.hh === 23 && wall.mm === 59) {
    // ical-generator writes an all-day date from the UTC fields of the Date it is given.
    return { start: new Date(Date.UTC(wall.y, wall.m - 1, wall.d)), allDay: true };
  }
  return { start: dueAt, allDay: false };
}

/** The feed of tasks as RFC 5545 text (CRLF lines folded at 75 octets, text escaped, by ical-generator). */
export function renderFeed(publicUrl: string, timeZone: string, tasks: FeedTask[], now = new Date()): string {
  const calendar = ical({
    name: 'taskstack: my tasks',
    prodId: { company: 'taskstack', product: 'taskstack', language: 'EN' },
    method: ICalCalendarMethod.PUBLISH,
    ttl: 60 * 60,
  });
  for (const task of tasks) {
    const link = taskUrl(publicUrl, task.id);
    calendar.createEvent({
      // Stable per task, so an app updates the event when the due date moves instead of adding another.
      id: `${task.id}@taskstack`,
      ...eventTiming(task.dueAt, timeZone),
      stamp: now,
      lastModified: task.updatedAt,
      summary: `${task.title} (#${task.number})`,
      description: `${task.projectName} · ${task.workspaceName}\n${link}${task.description ? `\n\n${task.description}` : ''}`,
      url: link,
    });
  }
  return calendar.toString();
}

/** The feed behind a secret: 404 for an unknown, rotated or revoked one, exactly alike. */
export async function feedFor(ctx: AppContext, token: string): Promise<string> {
  const feed = await findCalendarFeed(ctx.sql, hashOpaqueToken(token));
  if (!feed) throw notFound('Calendar feed');
  const now = Date.now();
  const tasks = await feedTasksOf(ctx.sql, feed.userId, {
    from: new Date(now - FEED_WINDOW.pastDays * DAY_MS),
    to: new Date(now + FEED_WINDOW.futureDays * DAY_MS),
    limit: FEED_WINDOW.limit,
  });
  await touchCalendarFeed(ctx.sql, feed.userId);
  return renderFeed(ctx.config.PUBLIC_URL, feed.timeZone, tasks);
}
