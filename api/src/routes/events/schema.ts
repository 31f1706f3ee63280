import { z } from 'zod';

export const streamQuery = z
  .object({
    workspaceId: z.uuid(),
    access_token: z
      .string()
      .optional()
      .openapi({
        description:
          'The access token, for EventSource clients, which cannot send headers. Accepted on this route only; ' +
          'the API redacts it from its request logs.',
      }),
  })
  .strict();
