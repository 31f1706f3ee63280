import { Router } from 'express';
import type { AppContext } from '../context.js';
import { EventHub } from '../events/hub.js';
import { EventPublisher } from '../events/publisher.js';
import { activityRouter } from './activity/router.js';
import { commentsRouter } from './comments/router.js';
import { eventsRouter } from './events/router.js';
import { labelsRouter } from './labels/router.js';
import { projectsRouter } from './projects/router.js';
import { tasksRouter } from './tasks/router.js';

/** The work itself: projects, labels, tasks, comments, attachments, activity and the event stream. */
export function boardRoutes(ctx: AppContext): Router {
  const router = Router();
  const events = new EventPublisher(ctx.redis, ctx.config.REDIS_PREFIX);
  const hub = new EventHub(ctx.redis, ctx.config.REDIS_PREFIX, ctx.logger);
  ctx.shutdownSignal.addEventListener('abort', () => hub.close(), { once: true });
  const removeFiles = async () => {};
  router.use(projectsRouter(ctx));
  router.use(labelsRouter(ctx));
  router.use(tasksRouter(ctx, { events, removeFiles }));
  router.use(commentsRouter(ctx, events));
  router.use(activityRouter(ctx));
  router.use(eventsRouter(ctx, hub));
  return router;
}
