import type { SavedViewRecord } from '@taskstack/db/repositories';
import { z } from 'zod';
import { viewFilters } from '../commands/saved-views/schema.js';
import '../openapi/registry.js';

export const savedViewOutput = z
  .object({
    id: z.uuid(),
    projectId: z.uuid(),
    ownerId: z.uuid(),
    name: z.string(),
    view: z.enum(['board', 'list', 'calendar']).openapi('SavedViewKind'),
    filters: viewFilters,
    shared: z.boolean(),
    mine: z.boolean().openapi({ description: 'The caller saved it' }),
    updatedAt: z.string(),
  })
  .openapi('SavedView');

/** The public shape of a saved view, as `userId` sees it. */
export function presentSavedView(view: SavedViewRecord, userId: string): z.infer<typeof savedViewOutput> {
  return {
    id: view.id,
    projectId: view.projectId,
    ownerId: view.ownerId,
    name: view.name,
    view: view.view,
    filters: view.filters,
    shared: view.shared,
    mine: view.ownerId === userId,
    updatedAt: view.updatedAt.toISOString(),
  };
}
