import { z } from 'zod';

/** A cursor part holding a timestamp exactly as Postgres prints it (microseconds kept, unlike a JS Date). */
export const timestampPart = z
  .string()
  .regex(/^(infinity|\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{1,6})?[+-]\d{2}(:\d{2})?)$/);

export const uuidPart = z.uuid();
