import { countLiveApiTokens, insertApiToken } from '@taskstack/db/repositories';
import { API_TOKENS_PER_USER, newApiToken } from '../../auth/api-token.js';
import type { AppContext } from '../../context.js';
import { conflict } from '../../errors.js';
import { workspaceAccessFor } from '../../policies/membership.js';
import { presentApiToken } from '../../presenters/api-token.js';
import type { CreateApiTokenInput } from './schema.js';

const DAY_MS = 24 * 3600 * 1000;

/**
 * Issues a personal API token for one workspace the caller is a member of (404 otherwise, as everywhere). The
 * secret is returned this once; what is stored is its hash. The token never grants more than the caller's role
 * there at the time of each request, so a demotion or removal narrows or ends it at once.
 */
export async function createApiToken(ctx: AppContext, userId: string, input: CreateApiTokenInput) {
  await workspaceAccessFor(ctx.sql, userId, input.workspaceId, 'viewer');
  if ((await countLiveApiTokens(ctx.sql, userId)) >= API_TOKENS_PER_USER) {
    throw conflict(`You have ${API_TOKENS_PER_USER} live tokens: revoke one first.`);
  }
  const { token, hash, hint } = newApiToken();
  const record = await insertApiToken(ctx.sql, {
    userId,
    workspaceId: input.workspaceId,
    name: input.name,
    scope: input.scope,
    tokenHash: hash,
    hint,
    expiresAt: new Date(Date.now() + input.expiresInDays * DAY_MS),
  });
  return { token, apiToken: presentApiToken(record) };
}
