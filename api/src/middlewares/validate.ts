import type { Request } from 'express';
import type { z } from 'zod';
import { HttpError } from '../errors.js';
import { validationProblem } from './problem.js';

export type Schemas = { body?: z.ZodType; query?: z.ZodType; params?: z.ZodType };
export type Parsed<S extends Schemas> = {
  body: S['body'] extends z.ZodType ? z.infer<S['body']> : undefined;
  query: S['query'] extends z.ZodType ? z.infer<S['query']> : undefined;
  params: S['params'] extends z.ZodType ? z.infer<S['params']> : undefined;
};

/** In Unicode mode a pair is one code point, so this matches only a surrogate without its partner. */
const LONE_SURROGATE = /\p{Cs}/u;

/**
 * What Postgres cannot store, by path: NUL in text, and lone UTF-16 surrogates (JSON allows `"\ud800"`, but it
 * is no Unicode text: Postgres refuses it in jsonb and UTF-8 has no encoding for it). Refused for every route here.
 */
function unstorable(value: unknown, path: (string | number)[] = []): { path: string; message: string }[] {
  if (typeof value === 'string') {
    if (value.includes('\0')) return [{ path: path.join('.'), message: 'must not contain NUL characters' }];
    if (LONE_SURROGATE.test(value))
      return [{ path: path.join('.'), message: 'must not contain lone surrogates' }];
    return [];
  }
  if (Array.isArray(value)) return value.flatMap((item, i) => unstorable(item, [...path, i]));
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, item]) => unstorable(item, [...path, key]));
  }
  return [];
}

/**
 * Checks a request against zod schemas (which should be `.strict()` so unknown fields are refused): the parsed
 * values, or a 400 listing every problem — also for a string Postgres cannot store (NUL, lone surrogates). A path
 * parameter that does not parse (an id that is not a UUID) cannot name anything the caller may see, so it answers
 * like an unknown id.
 */
export function parseInput<S extends Schemas>(schemas: S, req: Request): Parsed<S> {
  const input: Record<string, unknown> = {};
  for (const part of ['params', 'query', 'body'] as const) {
    const schema = schemas[part];
    if (!schema) continue;
    const result = schema.safeParse(part === 'body' ? (req.body ?? {}) : req[part]);
    if (!result.success) {
      if (part === 'params') throw new HttpError(404, 'Not Found', 'Resource not found.');
      const problem = validationProblem(result.error, part);
      throw new HttpError(400, 'Bad Request', problem.detail, { errors: problem.errors });
    }
    const errors = part === 'params' ? [] : unstorable(result.data);
    if (errors.length) throw new HttpError(400, 'Bad Request', `Invalid ${part}.`, { errors });
    input[part] = result.data;
  }
  return input as Parsed<S>;
}
