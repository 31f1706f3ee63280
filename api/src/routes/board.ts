import type { AppContext } from '../context.js';
import type { RouteGroup } from './define.js';
import { EventHub } from '../events/hub.js';
import { EventPublisher } from '@taskstack/queues';
import { createStorage } from '../storage/index.js';
import { activityRoutes } from './activity/router.js';
import { attachmentsRoutes } from './attachments/router.js';
import { bulkRoutes } from './bulk/router.js';
import { checklistsRoutes } from './checklists/router.js';
import { commentsRoutes } from './comments/router.js';
import { eventsRoutes } from './events/router.js';
import { inboxRoutes } from './inbox/router.js';
import { labelsRoutes } from './labels/router.js';
import { savedViewsRoutes } from './views/router.js';
import { recurrencesRoutes } from './recurrences/router.js';
import { projectsRoutes } from './projects/router.js';
import { subtasksRoutes } from './subtasks/router.js';
import { tasksRoutes } from './tasks/router.js';
import { transfersRoutes } from './transfers/router.js';
import { trashRoutes } from './trash/router.js';

/** The work itself: projects, labels, tasks with subtasks and checklists, comments, attachments, activity, the trash, the inbox and the event stream. */
export function boardRoutes(ctx: AppContext): RouteGroup[] {
  const events = new EventPublisher(ctx.redis, ctx.config.REDIS_PREFIX, {
    queue: ctx.webhooks,
    subscribed: (workspaceId, type) => ctx.webhookInterest.subscribed(workspaceId, type),
  });
  const hub = new EventHub(ctx.redis, ctx.config.REDIS_PREFIX, ctx.logger);
  const storage = createStorage(ctx.config);
  ctx.shutdownSignal.addEventListener(
    'abort',
    () => {
      hub.close();
      storage.close?.();
    },
    { once: true },
  );
  /** Files of purged tasks and projects go after their rows; a failure leaves an orphan file, logged. */
  const removeFiles = async (keys: string[]) => {
    const results = await Promise.allSettled(keys.map((key) => storage.remove(key)));
    const failed = results.filter((r) => r.status === 'rejected').length;
    if (failed) ctx.logger.warn({ failed }, 'attachment files not removed');
  };
  return [
    projectsRoutes(ctx, events),
    labelsRoutes(ctx),
    savedViewsRoutes(ctx),
    recurrencesRoutes(ctx),
    tasksRoutes(ctx, events),
    bulkRoutes(ctx, events),
    subtasksRoutes(ctx, events),
    checklistsRoutes(ctx, events),
    commentsRoutes(ctx, events),
    attachmentsRoutes(ctx, storage),
    transfersRoutes(ctx, storage),
    trashRoutes(ctx, events, removeFiles),
    activityRoutes(ctx),
    inboxRoutes(ctx, events),
    eventsRoutes(ctx, hub),
  ];
}
