import { calendarFeedOf, deleteCalendarFeed, putCalendarFeed } from '@taskstack/db/repositories';
import { newOpaqueToken } from '../../auth/opaque-token.js';
import type { AppContext } from '../../context.js';
import { notFound } from '../../errors.js';
import { presentCalendarFeed } from '../../presenters/calendar-feed.js';
import { feedUrl } from './feed-url.js';
import type { CreateFeedInput } from './schema.js';

/**
 * Creates the caller's feed, or rotates it: a new secret replaces the old one, whose URL stops working at once.
 * The URL is returned this once; only the secret's hash is stored.
 */
export async function rotateCalendarFeed(ctx: AppContext, userId: string, input: CreateFeedInput) {
  const { token, hash } = newOpaqueToken();
  const feed = await putCalendarFeed(ctx.sql, { userId, tokenHash: hash, timeZone: input.timeZone });
  return { url: feedUrl(ctx.config.PUBLIC_URL, token), feed: presentCalendarFeed(feed) };
}

/** Whether the caller has a feed (never its URL, which was shown once). */
export async function readCalendarFeed(ctx: AppContext, userId: string) {
  const feed = await calendarFeedOf(ctx.sql, userId);
  return { feed: feed ? presentCalendarFeed(feed) : null };
}

/** Revokes the caller's feed: its URL answers 404 from now on. */
export async function revokeCalendarFeed(ctx: AppContext, userId: string): Promise<void> {
  if (!(await deleteCalendarFeed(ctx.sql, userId))) throw notFound('Calendar feed');
}
