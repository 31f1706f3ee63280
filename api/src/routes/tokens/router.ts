import { z } from 'zod';
import { createApiToken } from '../../commands/api-tokens/create-api-token.js';
import { listApiTokens } from '../../commands/api-tokens/list-api-tokens.js';
import { revokeApiToken } from '../../commands/api-tokens/revoke-api-token.js';
import { apiTokenParams, createApiTokenBody } from '../../commands/api-tokens/schema.js';
import type { AppContext } from '../../context.js';
import { apiTokenOutput, createdApiTokenOutput } from '../../presenters/api-token.js';
import { defineRoutes, type RouteGroup } from '../define.js';

/**
 * Personal API tokens, managed by their owner from a signed-in session only: the `tokens` tag is not one an API
 * token reaches, so a token cannot mint, list or revoke tokens.
 */
export function tokensRoutes(ctx: AppContext): RouteGroup {
  const { routes, route } = defineRoutes(ctx);
  const tags = ['tokens'];

  route(
    {
      method: 'post',
      path: '/me/tokens',
      summary: 'Create a personal API token for one workspace; the secret is in this answer only',
      description:
        'Use it as `Authorization: Bearer tsk_…` on the operations whose security lists `apiToken`. `read` ' +
        'tokens may only GET; neither scope grants more than your role in the workspace.',
      tags,
      request: { body: createApiTokenBody },
      responses: {
        201: { description: 'Created; keep the secret now', schema: createdApiTokenOutput },
        409: { description: 'Too many live tokens' },
      },
    },
    async ({ user, body }) => createApiToken(ctx, user.id, body),
  );

  route(
    {
      method: 'get',
      path: '/me/tokens',
      summary: 'Your live personal API tokens, newest first (never their secrets)',
      tags,
      responses: { 200: { description: 'Tokens', schema: z.object({ items: z.array(apiTokenOutput) }) } },
    },
    async ({ user }) => listApiTokens(ctx, user.id),
  );

  route(
    {
      method: 'delete',
      path: '/me/tokens/:id',
      summary: 'Revoke one of your API tokens; it stops working at once',
      tags,
      request: { params: apiTokenParams },
      responses: { 204: { description: 'Revoked' } },
    },
    async ({ user, params }) => revokeApiToken(ctx, user.id, params.id),
  );

  return routes;
}
