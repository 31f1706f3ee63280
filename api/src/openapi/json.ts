import type { z } from 'zod';

/** A JSON request body for `documentRoute`. */
export const jsonBody = (schema: z.ZodType) => ({
  body: { required: true, content: { 'application/json': { schema } } },
});

/** A JSON response for `documentRoute`. */
export const jsonResponse = (description: string, schema: z.ZodType) => ({
  description,
  content: { 'application/json': { schema } },
});
