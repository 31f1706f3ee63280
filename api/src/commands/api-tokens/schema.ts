import { z } from 'zod';
import '../../openapi/registry.js';
import { API_TOKEN_MAX_DAYS } from '../../auth/api-token.js';

/** The inputs of the API token commands, validated by the routes that call them. */

export const apiTokenParams = z.object({ id: z.uuid() }).strict();

export const createApiTokenBody = z
  .object({
    name: z
      .string()
      .trim()
      .min(1)
      .max(100)
      .openapi({ description: 'What the token is for, e.g. "CI import"' }),
    workspaceId: z.uuid().openapi({ description: 'The one workspace the token reaches' }),
    scope: z
      .enum(['read', 'write'])
      .openapi({ description: "`read`: GET only; `write`: what the caller's role allows" }),
    expiresInDays: z.number().int().min(1).max(API_TOKEN_MAX_DAYS),
  })
  .strict();
export type CreateApiTokenInput = z.infer<typeof createApiTokenBody>;
