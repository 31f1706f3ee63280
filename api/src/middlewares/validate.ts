import type { NextFunction, Request, Response } from 'express';
import type { z } from 'zod';
import { HttpError } from '../errors.js';
import { validationProblem } from './problem.js';

type Schemas = { body?: z.ZodType; query?: z.ZodType; params?: z.ZodType };
type Parsed<S extends Schemas> = {
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
 * Validates a request against zod schemas (which should be `.strict()` so unknown fields are refused) and hands
 * the parsed values to the handler; a failure, or a string Postgres cannot store (NUL, lone surrogates), answers
 * 400 with every problem listed.
 */
export function validate<S extends Schemas>(schemas: S) {
  return (handler: (req: Request, res: Response, input: Parsed<S>) => Promise<unknown> | unknown) =>
    async (req: Request, res: Response, next: NextFunction): Promise<void> => {
      const input: Record<string, unknown> = {};
      for (const part of ['params', 'query', 'body'] as const) {
        const schema = schemas[part];
        if (!schema) continue;
        const result = schema.safeParse(part === 'body' ? (req.body ?? {}) : req[part]);
        if (!result.success) {
          const problem = validationProblem(result.error, part === 'params' ? 'path parameters' : part);
          // An id that is not a UUID cannot name anything the caller may see: answer like any unknown id.
          if (part === 'params') return next(new HttpError(404, 'Not Found', 'Resource not found.'));
          return next(new HttpError(400, 'Bad Request', problem.detail, { errors: problem.errors }));
        }
        const errors = part === 'params' ? [] : unstorable(result.data);
        if (errors.length) return next(new HttpError(400, 'Bad Request', `Invalid ${part}.`, { errors }));
        input[part] = result.data;
      }
      try {
        await handler(req, res, input as Parsed<S>);
      } catch (error) {
        next(error);
      }
    };
}
