import type { z } from 'zod';

/** `{content: {'application/json': {schema}}}` for request bodies and responses in `documentRoute`. */
export const jsonContent = (schema: z.ZodType) => ({ content: { 'application/json': { schema } } });
