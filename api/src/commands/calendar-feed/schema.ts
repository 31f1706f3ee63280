import { z } from 'zod';
import '../../openapi/registry.js';

/** The inputs of the calendar feed routes, validated by the routes that call them. */

/** An IANA zone this runtime knows: the feed formats all-day dates in it, so an unknown one is a 400 now. */
const timeZone = z
  .string()
  .min(1)
  .max(64)
  .refine(
    (zone) => {
      try {
        new Intl.DateTimeFormat('en', { timeZone: zone });
        return true;
      } catch {
        return false;
      }
    },
    { message: 'must be an IANA time zone such as Europe/Berlin' },
  )
  .openapi({
    description: "The zone of the user's dates (the browser's), e.g. Europe/Berlin",
    example: 'UTC',
  });

export const createFeedBody = z.object({ timeZone }).strict();
export type CreateFeedInput = z.infer<typeof createFeedBody>;

/** The feed's secret as it appears in its URL; anything else cannot be one, so it is a 404 without a query. */
export const feedParams = z
  .object({ token: z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'not a feed token') })
  .strict();
