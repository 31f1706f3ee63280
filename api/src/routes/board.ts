import { Router } from 'express';
import type { AppContext } from '../context.js';
import { EventHub } from '../events/hub.js';
import { EventPublisher } from '@taskstack/queues';
import { createStorage } from '../storage/index.js';
import { activityRouter } from './activity/router.js';
import { attachmentsRouter } from './attachments/router.js';
import { bulkRouter } from './bulk/router.js';
import { checklistsRouter } from './checklists/router.js';
import { commentsRouter } from './comments/router.js';
import { eventsRouter } from './events/router.js';
import { inboxRouter } from './inbox/router.js';
import { labelsRouter } from './labels/router.js';
import { savedViewsRouter } from './views/router.js';
import { recurrencesRouter } from './recurrences/router.js';
import { projectsRouter } from './projects/router.js';
import { subtasksRouter } from './subtasks/router.js';
import { tasksRouter } from './tasks/router.js';
import { transfersRouter } from './transfers/router.js';
import { trashRouter } from './trash/router.js';

/** The work itself: projects, labels, tasks with subtasks and checklists, comments, attachments, activity, the trash, the inbox and the event stream. */
export function boardRoutes(ctx: AppContext): Router {
  const router = Router();
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
  router.use(projectsRouter(ctx, events));
  router.use(labelsRouter(ctx));
  router.use(savedViewsRouter(ctx));
  router.use(recurrencesRouter(ctx));
  router.use(tasksRouter(ctx, events));
  router.use(bulkRouter(ctx, events));
  router.use(subtasksRouter(ctx, events));
  router.use(checklistsRouter(ctx, events));
  router.use(commentsRouter(ctx, events));
  router.use(attachmentsRouter(ctx, storage));
  router.use(transfersRouter(ctx, storage));
  router.use(trashRouter(ctx, events, removeFiles));
  router.use(activityRouter(ctx));
  router.use(inboxRouter(ctx, events));
  router.use(eventsRouter(ctx, hub));
  return router;
}
