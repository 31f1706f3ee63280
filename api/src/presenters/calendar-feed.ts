import type { CalendarFeedRecord } from '@taskstack/db/repositories';
import { z } from 'zod';

export const calendarFeedOutput = z
  .object({
    timeZone: z.string(),
    createdAt: z.iso.datetime(),
    lastUsedAt: z.iso.datetime().nullable().openapi({ description: 'The last fetch by a calendar app' }),
  })
  .openapi('CalendarFeed');

export const createdCalendarFeedOutput = z
  .object({
    url: z
      .url()
      .openapi({ description: 'The secret feed URL: shown this once; anyone holding it reads the feed' }),
    feed: calendarFeedOutput,
  })
  .openapi('CreatedCalendarFeed');

export const calendarFeedStateOutput = z
  .object({ feed: calendarFeedOutput.nullable() })
  .openapi('CalendarFeedState');

/** A feed as its owner sees it: never its secret. */
export const presentCalendarFeed = (feed: CalendarFeedRecord) => ({
  timeZone: feed.timeZone,
  createdAt: feed.createdAt.toISOString(),
  lastUsedAt: feed.lastUsedAt ? feed.lastUsedAt.toISOString() : null,
});
