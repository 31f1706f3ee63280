import { liveSessionsOf } from '@taskstack/db/repositories';
import type { AppContext } from '../context.js';
import { presentSession } from '../presenters/session.js';

/** The caller's live sessions, most recently seen first, the one asking marked `current`. */
export async function listSessions(ctx: AppContext, userId: string, currentSessionId: string) {
  return { items: (await liveSessionsOf(ctx.sql, userId)).map((s) => presentSession(s, currentSessionId)) };
}
