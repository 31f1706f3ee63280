import { z } from 'zod';
import { raw, sql } from '../sql.js';

/** A cursor part holding a timestamp exactly as Postgres prints it (microseconds kept, unlike a JS Date). */
export const timestampPart = z
  .string()
  .regex(/^(infinity|\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{1,6})?[+-]\d{2}(:\d{2})?)$/);

export const uuidPart = z.uuid();

/**
 * The keyset condition of a page over (created_at, id) of one table `t`, after a decoded cursor (its timestamp as
 * text, its id), in `direction`; TRUE on the first page. Rows are read with `created_at::text`, so the next cursor
 * keeps the microseconds a JS Date would lose.
 */
export function createdAtAfter(t: string, cursor: [string, string] | undefined, direction: 'ASC' | 'DESC') {
  if (!cursor) return sql`TRUE`;
  const comparison = raw(direction === 'ASC' ? '>' : '<');
  return sql`(${raw(t)}.created_at, ${raw(t)}.id) ${comparison} (CAST(${cursor[0]} AS timestamptz), CAST(${cursor[1]} AS uuid))`;
}
