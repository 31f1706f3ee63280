import { markNotificationsEmailed, pendingDigests, recordDigest } from '@taskstack/db/repositories';
import { inboxHeadline } from '@taskstack/queues';
import type { Job } from 'bullmq';
import type { TaskContext } from './context.js';

/**
 * The `send-digests` job: one email per user on the daily digest with unread inbox items not emailed yet, at most
 * once per user per UTC day. The email's job id is the user and the day, so a run that crashes after enqueueing
 * and before recording the digest, or a second replica racing this one, enqueues nothing new; `digest_deliveries`
 * keeps a later run of the same day from sending again. Items read before the digest are left out.
 */
export function sendDigestsTask(ctx: TaskContext) {
  return async (_job: Job): Promise<{ sent: number }> => {
    const day = new Date().toISOString().slice(0, 10);
    let sent = 0;
    for (const digest of await pendingDigests(ctx.db, day)) {
      await ctx.emails.send(
        'inbox-digest',
        {
          to: digest.email,
          name: digest.name,
          items: digest.items.map((item) => ({
            headline: inboxHeadline(item.kind, item.actorName, item.taskRef),
            excerpt: item.excerpt,
            taskUrl: new URL(item.taskId ? `/tasks/${item.taskId}` : '/', ctx.config.PUBLIC_URL).toString(),
          })),
        },
        `inbox-digest-${digest.userId}-${day}`,
      );
      if (await recordDigest(ctx.db, digest.userId, day, digest.items.length)) sent += 1;
      await markNotificationsEmailed(
        ctx.db,
        digest.items.map((item) => item.id),
      );
    }
    return { sent };
  };
}
