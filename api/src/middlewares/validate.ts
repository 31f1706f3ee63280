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

/** Paths of the strings holding NUL, which Postgres text cannot store: refused for every route here. */
function nulPaths(value: unknown, path: (string | number)[] = []): string[] {
  if (typeof value === 'string') return value.includes('\0') ? [path.join('.')] : [];
  if (Array.isArray(value)) return value.flatMap((item, i) => nulPaths(item, [...path, i]));
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, item]) => nulPaths(item, [...path, key]));
  }
  return [];
}

/**
 * Validates a request against zod schemas (which should be `.strict()` so unknown fields are refused) and hands
 * the parsed values to the handler; a failure, or a string with a NUL character, answers 400 with every problem
 * listed.
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
        const nul = part === 'params' ? [] : nulPaths(result.data);
        if (nul.length) {
          const errors = nul.map((path) => ({ path, message: 'must not contain NUL characters' }));
          return next(new HttpError(400, 'Bad Request', `Invalid ${part}.`, { errors }));
        }
        input[part] = result.data;
      }
      try {
        await handler(req, res, input as Parsed<S>);
      } catch (error) {
        next(error);
      }
    };
}
