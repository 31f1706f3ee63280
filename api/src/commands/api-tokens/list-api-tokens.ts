import { liveApiTokensOf } from '@taskstack/db/repositories';
import type { AppContext } from '../../context.js';
import { presentApiToken } from '../../presenters/api-token.js';

/** The caller's tokens that still work, newest first; revoked and expired ones are gone from the list. */
export async function listApiTokens(ctx: AppContext, userId: string) {
  return { items: (await liveApiTokensOf(ctx.sql, userId)).map(presentApiToken) };
}
