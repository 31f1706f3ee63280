import type { ApiTokenListing } from '@taskstack/db/repositories';
import { z } from 'zod';
import '../openapi/registry.js';

export const apiTokenOutput = z
  .object({
    id: z.uuid(),
    name: z.string(),
    workspaceId: z.uuid(),
    workspaceName: z.string(),
    scope: z.enum(['read', 'write']),
    /** The start of the secret (`tsk_` and four characters), to tell tokens apart; never the secret. */
    hint: z.string(),
    createdAt: z.string(),
    expiresAt: z.string(),
    lastUsedAt: z.string().nullable(),
  })
  .openapi('ApiToken');

export const createdApiTokenOutput = z
  .object({
    /** The secret itself, shown this once: only its hash is kept. */
    token: z.string(),
    apiToken: apiTokenOutput,
  })
  .openapi('CreatedApiToken');

export function presentApiToken(token: ApiTokenListing): z.infer<typeof apiTokenOutput> {
  return {
    id: token.id,
    name: token.name,
    workspaceId: token.workspaceId,
    workspaceName: token.workspaceName,
    scope: token.scope,
    hint: token.hint,
    createdAt: token.createdAt.toISOString(),
    expiresAt: token.expiresAt.toISOString(),
    lastUsedAt: token.lastUsedAt?.toISOString() ?? null,
  };
}
