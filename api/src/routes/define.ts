import type { IRouter, Request, RequestHandler, Response } from 'express';
import type { Transaction } from 'sequelize';
import type { z } from 'zod';
import type { AppContext, AuthUser } from '../context.js';
import { authenticate, tokenFromQuery } from '../middlewares/authenticate.js';
import { transactional } from '../middlewares/transaction.js';
import { parseInput, type Parsed, type Schemas } from '../middlewares/validate.js';
import { documentRoute } from '../openapi/registry.js';

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

/** One response of a route: a JSON `schema`, other `content` (files, multipart, text), or none (204). */
export type ResponseSpec = {
  description: string;
  schema?: z.ZodType;
  content?: Record<string, { schema: unknown }>;
};

export type RouteSpec<S extends Schemas> = {
  method: Method;
  /** Express syntax (`/tasks/:id`); the OpenAPI path is derived from it. */
  path: string;
  summary: string;
  description?: string;
  tags: string[];
  /** `user` (default): a valid access token; `public`: none. */
  auth?: 'user' | 'public';
  /** Also accept a session's access token as `?access_token=` (the event stream: EventSource sends no headers). */
  tokenInQuery?: boolean;
  /** Runs after authentication and before validation (e.g. the instance-admin guard). */
  guard?: RequestHandler;
  request?: S & { bodyContent?: Record<string, { schema: unknown }> };
  responses: Record<number, ResponseSpec>;
  /** Runs first, before any token check or validation (per-IP limits of the signed-out routes). */
  rateLimit?: RequestHandler;
  /** The handler runs inside one transaction, committed before the response is sent. */
  transaction?: boolean;
};

/** What a handler gets: the parsed input, the signed-in user (for `auth: 'user'`) and the route's transaction. */
export type RouteInput<S extends Schemas> = Parsed<S> & {
  user: AuthUser;
  transaction: Transaction | undefined;
  req: Request;
  res: Response;
};

/**
 * What a handler returns: the JSON body of the route's success status (the lowest 2xx it documents), or nothing
 * for a body-less answer. A handler that answered itself (a file, a stream) returns nothing as well.
 */
type Handler<S extends Schemas> = (input: RouteInput<S>) => Promise<unknown>;

const json = (schema: z.ZodType) => ({ content: { 'application/json': { schema } } });
// A route that declares a JSON body needs one (an empty object at least), as every documented route says.
const jsonBody = (schema: z.ZodType) => ({ required: true, ...json(schema) });

/**
 * The routes one module defines, registered together on the app's one API router. They are not a nested Router
 * each: Express hands a request on from a nested router without a matching route only on the next turn of the
 * event loop (setImmediate), so a request for the last of 27 routers waited behind everything else in the loop
 * for each one it passed.
 */
export class RouteGroup {
  readonly #routes: Array<{ method: Method; path: string; chain: RequestHandler[] }> = [];

  add(method: Method, path: string, chain: RequestHandler[]): void {
    this.#routes.push({ method, path, chain });
  }

  addTo(router: IRouter): void {
    for (const { method, path, chain } of this.#routes) router[method](path, ...chain);
  }
}

/**
 * The one way to define a route: `route(spec, handler)` registers the Express chain — rate limit → auth →
 * validate → transaction → handler → response — and the route's OpenAPI operation from the same spec.
 */
export function defineRoutes(ctx: AppContext) {
  const routes = new RouteGroup();
  const auth = authenticate(ctx);

  function route<S extends Schemas>(spec: RouteSpec<S>, handler: Handler<S>): void {
    const { params, query, body, bodyContent } = spec.request ?? ({} as NonNullable<RouteSpec<S>['request']>);
    documentRoute({
      method: spec.method,
      path: spec.path,
      summary: spec.summary,
      ...(spec.description ? { description: spec.description } : {}),
      tags: spec.tags,
      public: spec.auth === 'public',
      request: {
        ...(params ? { params } : {}),
        ...(query ? { query } : {}),
        ...(body ? { body: jsonBody(body) } : bodyContent ? { body: { content: bodyContent } } : {}),
      } as never,
      responses: Object.fromEntries(
        Object.entries(spec.responses).map(([status, r]) => [
          status,
          {
            description: r.description,
            ...(r.schema ? json(r.schema) : r.content ? { content: r.content } : {}),
          },
        ]),
      ) as never,
    });
    const success = Number(Object.keys(spec.responses).find((status) => status.startsWith('2')) ?? 200);
    const run = spec.transaction ? transactional(ctx.sequelize, handler) : handler;
    const chain: RequestHandler[] = [
      ...(spec.rateLimit ? [spec.rateLimit] : []),
      ...(spec.auth === 'public' ? [] : spec.tokenInQuery ? [tokenFromQuery, auth] : [auth]),
      ...(spec.guard ? [spec.guard] : []),
      async (req, res, next) => {
        try {
          const input = parseInput(spec.request ?? {}, req);
          // Public routes have no user; their handlers never read it.
          const user = req.user as AuthUser;
          const result = await run({ ...input, user, transaction: undefined, req, res } as RouteInput<S>);
          if (res.headersSent) return;
          if (result === undefined) res.status(success).end();
          else res.status(success).json(result);
        } catch (error) {
          next(error);
        }
      },
    ];
    routes.add(spec.method, spec.path, chain);
  }

  return { routes, route };
}
