import { timestampPart, uuidPart } from '@taskstack/db/repositories';
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
 * Decodes a cursor and checks it with `schema` (a tuple of one schema per key), so a forged or stale cursor is a 400
 * rather than a database error. The schema is built once per kind of list: building a tuple took several times
 * as long as parsing with it.
 */
export function decodeCursor<T extends string[]>(cursor: string, schema: z.ZodType<T>): T {
  let values: unknown;
  try {
    values = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw badRequest('Malformed cursor.');
  }
  const parsed = schema.safeParse(values);
  if (!parsed.success) throw badRequest('Malformed cursor.');
  return parsed.data;
}

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

const createdAtKey = z.tuple([timestampPart, uuidPart]);

/** A decoded (created_at, id) cursor for the repositories' `createdAtAfter` pages; a malformed one is a 400. */
export const createdAtCursor = (cursor: string | undefined): [string, string] | undefined =>
  cursor ? decodeCursor(cursor, createdAtKey) : undefined;
