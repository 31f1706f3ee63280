/** The inputs of the saved-view routes, and the filters a view keeps (its presenter shows them the same way). */
import { TASK_STATUSES } from '@taskstack/db';
import { TASK_SORTS } from '@taskstack/db/repositories';
import { z } from 'zod';
import '../../openapi/registry.js';

export const projectParams = z.object({ id: z.uuid() }).strict();
export const viewParams = z.object({ id: z.uuid() }).strict();

/**
 * The filters a view replays: the list view's URL query, key by key (so a saved view is a link the web app opens
 * as it is). Unknown keys are refused rather than stored.
 */
export const viewFilters = z
  .object({
    q: z.string().trim().min(1).max(200).optional(),
    status: z.enum(TASK_STATUSES).optional(),
    assignee: z.uuid().optional(),
    label: z.uuid().optional(),
    due: z.enum(['overdue', 'week', 'month']).optional(),
    sort: z.enum(TASK_SORTS).optional(),
  })
  .strict()
  .openapi('SavedViewFilters');

const name = z.string().trim().min(1).max(80);
const view = z.enum(['board', 'list', 'calendar']).openapi('SavedViewKind');

export const createViewBody = z
  .object({
    name,
    view,
    filters: viewFilters.default({}),
    shared: z.boolean().default(false).openapi({ description: 'Everyone in the project sees it (member+)' }),
  })
  .strict();

export const updateViewBody = z
  .object({
    name: name.optional(),
    view: view.optional(),
    filters: viewFilters.optional(),
    shared: z.boolean().optional(),
  })
  .strict();
