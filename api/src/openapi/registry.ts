import {
  extendZodWithOpenApi,
  OpenAPIRegistry,
  OpenApiGeneratorV31,
  type RouteConfig,
} from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';

extendZodWithOpenApi(z);

/** Routes register their zod schemas here as they are defined, so the OpenAPI document is never written twice. */
export const registry = new OpenAPIRegistry();
registry.registerComponent('securitySchemes', 'bearer', {
  type: 'http',
  scheme: 'bearer',
  bearerFormat: 'JWT',
});

const problem = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  detail: z.string(),
  errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});
const problemResponse = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: problem } },
});

/** Documents one route; the standard problem responses are added to every route. */
export function documentRoute(route: RouteConfig & { public?: boolean }): void {
  const { public: isPublic, ...config } = route;
  registry.registerPath({
    ...config,
    path: config.path.replace(/:(\w+)/g, '{$1}'),
    security: isPublic ? [] : [{ bearer: [] }],
    responses: {
      ...config.responses,
      400: problemResponse('Invalid input'),
      ...(isPublic
        ? {}
        : { 401: problemResponse('Not signed in'), 404: problemResponse('Not found, or not yours') }),
      429: problemResponse('Rate limited'),
    },
  });
}

/** The OpenAPI 3.1 document of every registered route. */
export function openApiDocument(): unknown {
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: { title: 'taskstack API', version: '1.0.0' },
    servers: [{ url: '/api/v1' }],
  });
}
