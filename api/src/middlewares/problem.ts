import type { ErrorRequestHandler, RequestHandler } from 'express';
import { ZodError } from 'zod';
import { HttpError } from '../errors.js';

type Problem = { type: string; title: string; status: number; detail: string; [key: string]: unknown };

function send(
  res: Parameters<RequestHandler>[1],
  problem: Problem,
  headers: Record<string, string> = {},
): void {
  if (res.headersSent) return;
  res.status(problem.status).set(headers).type('application/problem+json').send(JSON.stringify(problem));
}

/** Turns zod issues into the contract's `errors: [{path, message}]`. */
export function validationProblem(error: ZodError, where: string): Problem {
  return {
    type: 'about:blank',
    title: 'Bad Request',
    status: 400,
    detail: `Invalid ${where}.`,
    errors: error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })),
  };
}

/** 404 for every path no router claimed. */
export const notFoundHandler: RequestHandler = (req, res) =>
  send(res, {
    type: 'about:blank',
    title: 'Not Found',
    status: 404,
    detail: `No route for ${req.method} ${req.path}.`,
  });

/**
 * The single place errors become responses: known errors keep their status and message, body-parser's
 * errors become 400/413, anything else is logged and answered with a bare 500 — never a stack trace.
 */
export const problemHandler: ErrorRequestHandler = (error, req, res, _next) => {
  if (error instanceof HttpError) {
    const { retryAfter, ...extra } = error.extra;
    const headers: Record<string, string> =
      retryAfter === undefined ? {} : { 'Retry-After': String(retryAfter) };
    return send(
      res,
      { type: 'about:blank', title: error.title, status: error.status, detail: error.message, ...extra },
      headers,
    );
  }
  if (error instanceof ZodError) return send(res, validationProblem(error, 'request'));
  const status = (error as { status?: number; type?: string }).status;
  const type = (error as { type?: string }).type;
  if (type === 'entity.too.large' || status === 413) {
    return send(res, {
      type: 'about:blank',
      title: 'Payload Too Large',
      status: 413,
      detail: 'Request body is too large.',
    });
  }
  if (type === 'entity.parse.failed') {
    return send(res, {
      type: 'about:blank',
      title: 'Bad Request',
      status: 400,
      detail: 'Request body is not valid JSON.',
    });
  }
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return send(res, {
      type: 'about:blank',
      title: 'Bad Request',
      status,
      detail: 'The request could not be processed.',
    });
  }
  req.log?.error({ err: error }, 'unhandled error');
  send(res, {
    type: 'about:blank',
    title: 'Internal Server Error',
    status: 500,
    detail: 'Something went wrong on our side.',
  });
};
