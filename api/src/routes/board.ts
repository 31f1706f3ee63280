import { Router } from 'express';
import type { AppContext } from '../context.js';

/** The work itself: projects, labels, tasks, comments, attachments, activity and the event stream. */
export function boardRoutes(_ctx: AppContext): Router {
  const router = Router();
  return router;
}
