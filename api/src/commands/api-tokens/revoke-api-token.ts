import { revokeApiToken as revokeRow } from '@taskstack/db/repositories';
import { noteSessionsEnded } from '../../auth/session-revocations.js';
import type { AppContext } from '../../context.js';
import { notFound } from '../../errors.js';

/**
 * Revokes one of the caller's tokens: the next request with it is a 401 (it is looked up on every request), and
 * it is noted ended like a session so event streams it opened close on their next heartbeat.
 */
export async function revokeApiToken(ctx: AppContext, userId: string, tokenId: string): Promise<void> {
  if (!(await revokeRow(ctx.sql, userId, tokenId))) throw notFound('API token');
  await noteSessionsEnded(ctx, [tokenId]);
}
