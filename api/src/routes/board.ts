import { Router } from 'express';
import type { AppContext } from '../context.js';
import { labelsRouter } from './labels/router.js';
import { projectsRouter } from './projects/router.js';

/** The work itself: projects, labels, tasks, comments, attachments, activity and the event stream. */
export function boardRoutes(ctx: AppContext): Router {
  const router = Router();
  router.use(projectsRouter(ctx));
  router.use(labelsRouter(ctx));
  return router;
}
