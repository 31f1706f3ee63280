import cookieParser from 'cookie-parser';
import cors from 'cors';
import express, { type Express, type RequestHandler, type Response } from 'express';
import helmet from 'helmet';
import { pinoHttp } from 'pino-http';
import { randomUUID } from 'node:crypto';
import { serializeError } from '@taskstack/runtime';
import type { AppContext } from './context.js';
import { createMetrics } from './metrics.js';
import { notFoundHandler, problemHandler } from './middlewares/problem.js';
import { openApiDocument } from './openapi/registry.js';
import { boardRoutes } from './routes/board.js';
import { identityRoutes } from './routes/identity.js';
import { redactLoggedRequest } from './middlewares/log-redaction.js';
import { addOperationsRoutes } from './routes/operations.js';
import { spaFallback } from './static.js';

/** Builds the Express app: headers, logging, metrics, `/api/v1`, then the problem+json error handler. */
export function createApp(ctx: AppContext, options: { staticDir?: string } = {}): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', ctx.config.TRUST_PROXY);
  app.set('query parser', 'simple');
  // API responses are per-user JSON that clients never revalidate; hashing every body for an ETag was wasted work.
  app.set('etag', false);
  const metrics = createMetrics(ctx.sequelize);
  app.use(
    pinoHttp({
      logger: ctx.logger,
      genReqId: (req, res) => {
        const id =
          (typeof req.headers['x-request-id'] === 'string' && req.headers['x-request-id'].slice(0, 64)) ||
          randomUUID();
        res.setHeader('X-Request-Id', id);
        return id;
      },
      autoLogging: { ignore: (req) => req.url === '/health' || req.url === '/metrics' },
      // Ours get the raw objects: pino-http's wrapping first ran pino's own serializers on every request (copying
      // the headers, parsing the query for the child logger) and handed serializeError pino's copy of an error,
      // which is no Error, so a failed request's database error was logged whole (statement, parameters, detail).
      wrapSerializers: false,
      serializers: {
        req: redactLoggedRequest,
        err: serializeError,
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
    }),
  );
  app.use(metrics.middleware);
  addOperationsRoutes(app, ctx, metrics.registry);

  const api = express.Router();
  api.use(securityHeaders());
  if (ctx.config.CORS_ORIGIN) api.use(cors({ origin: ctx.config.CORS_ORIGIN, credentials: true }));
  api.use(express.json({ limit: '1mb' }));
  api.use(cookieParser());
  api.get('/openapi.json', (_req, res) => {
    res.json(openApiDocument());
  });
  // One router for every API route (see RouteGroup).
  for (const group of [...identityRoutes(ctx), ...boardRoutes(ctx)]) group.addTo(api);
  api.use(notFoundHandler);
  app.use('/api/v1', api);

  if (options.staticDir) app.use(spaFallback(options.staticDir));
  app.use(notFoundHandler);
  app.use(problemHandler);
  return app;
}

/**
 * helmet's default headers, taken once from helmet itself: they depend on nothing in the request, and helmet()
 * runs a dozen middlewares per request to set them one by one.
 */
function securityHeaders(): RequestHandler {
  const headers = new Map<string, string>();
  const removed: string[] = [];
  const recorder = {
    setHeader: (name: string, value: string) => headers.set(name, value),
    removeHeader: (name: string) => removed.push(name),
  };
  helmet()({} as never, recorder as unknown as Response, (error?: unknown) => {
    if (error) throw error;
  });
  return (_req, res, next) => {
    res.setHeaders(headers);
    for (const name of removed) res.removeHeader(name);
    next();
  };
}
