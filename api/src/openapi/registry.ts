import {
  extendZodWithOpenApi,
  OpenAPIRegistry,
  OpenApiGeneratorV31,
  type RouteConfig,
} from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { API_TOKEN_PREFIX, API_TOKEN_TAGS } from '../auth/api-token.js';

extendZodWithOpenApi(z);

/** Routes register their zod schemas here as they are defined, so the OpenAPI document is never written twice. */
export const registry = new OpenAPIRegistry();
registry.registerComponent('securitySchemes', 'bearer', {
  type: 'http',
  scheme: 'bearer',
  bearerFormat: 'JWT',
  description:
    'The 15-minute access token of a signed-in session (`POST /auth/login`, `POST /auth/refresh`).',
});
registry.registerComponent('securitySchemes', 'apiToken', {
  type: 'http',
  scheme: 'bearer',
  description:
    `A personal API token (\`${API_TOKEN_PREFIX}…\`, \`POST /me/tokens\`) as \`Authorization: Bearer\`: one ` +
    'workspace, read or write scope, accepted only by the operations that list it (the work inside a workspace).',
});

/** `METHOD /express/path` of every operation an API token may call, for `authenticate`. */
const apiTokenRoutes = new Set<string>();

/** Whether an API token may call the route `path` (Express syntax, as the router declared it) with `method`. */
export function acceptsApiTokens(method: string, path: string): boolean {
  const documented = method.toLowerCase() === 'head' ? 'get' : method.toLowerCase();
  return apiTokenRoutes.has(`${documented} ${path}`);
}

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
  const apiTokens = !isPublic && (config.tags ?? []).some((tag) => API_TOKEN_TAGS.has(tag));
  if (apiTokens) apiTokenRoutes.add(`${config.method} ${config.path}`);
  registry.registerPath({
    ...config,
    path: config.path.replace(/:(\w+)/g, '{$1}'),
    security: isPublic ? [] : apiTokens ? [{ bearer: [] }, { apiToken: [] }] : [{ bearer: [] }],
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
