import { z } from 'zod';
import { badRequest } from './errors.js';

/** `?limit=&cursor=` of every list: 1–100 items, 50 by default, and an opaque cursor from the previous page. */
export const pageQuery = {
  limit: z.coerce.number().int().min(1).max(100).default(50),
  cursor: z.string().max(512).optional(),
};

/** Encodes a row's sort key (text values, last one the id) as an opaque, URL-safe cursor. */
export function encodeCursor(values: string[]): string {
  return Buffer.from(JSON.stringify(values)).toString('base64url');
}

/**
 * Decodes a cursor and checks each value with `parts` (one schema per key), so a forged or stale cursor is a 400
 * rather than a database error.
 */
export function decodeCursor(cursor: string, parts: z.ZodType<string>[]): string[] {
  let values: unknown;
  try {
    values = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw badRequest('Malformed cursor.');
  }
  const parsed = z.tuple(parts as [z.ZodType<string>, ...z.ZodType<string>[]]).safeParse(values);
  if (!parsed.success) throw badRequest('Malformed cursor.');
  return parsed.data as string[];
}

export const uuidPart = z.uuid();

/** Splits `limit + 1` fetched rows into a page and the cursor of its last row (null on the last page). */
export function toPage<T, O>(
  rows: T[],
  limit: number,
  keyOf: (row: T) => string[],
  present: (row: T) => O,
): { items: O[]; nextCursor: string | null } {
  const more = rows.length > limit;
  const page = more ? rows.slice(0, limit) : rows;
  const last = page.at(-1);
  return { items: page.map(present), nextCursor: more && last ? encodeCursor(keyOf(last)) : null };
}

/** The response schema of a page of `item`. */
export const pageOf = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), nextCursor: z.string().nullable() });

/** A cursor part holding a timestamp exactly as Postgres prints it (microseconds kept, unlike a JS Date). */
export const timestampPart = z
  .string()
  .regex(/^(infinity|\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{1,6})?[+-]\d{2}(:\d{2})?)$/);

/** A decoded (created_at, id) cursor for the repositories' `createdAtAfter` pages; a malformed one is a 400. */
export const createdAtCursor = (cursor: string | undefined): [string, string] | undefined =>
  cursor ? (decodeCursor(cursor, [timestampPart, uuidPart]) as [string, string]) : undefined;
