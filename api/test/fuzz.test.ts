/**
 * Property-based robustness: random (often hostile) path parameters, query strings and bodies are thrown at every
 * route the OpenAPI document lists — so routes are covered as soon as they are documented — and no answer may be
 * a 5xx, and every error must be problem+json without a stack trace. Values are drawn partly from each route's own
 * schema (so requests get past validation into the handlers) and partly at random. Runs are bounded to stay fast.
 */
import { Comment } from '@taskstack/db';
import fc from 'fast-check';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildLabel, buildProject, createTask } from './board-factories.js';
import { startTestApi } from './harness.js';
import { signInAsInstanceAdmin } from './admins.js';

const RUNS_PER_ROUTE = 12;

const filesDir = mkdtempSync(join(tmpdir(), 'taskstack-fuzz-files-'));
// A provider that cannot be reached (port 9, discard): the OIDC routes run their handlers rather than answer 404.
const api = await startTestApi({
  LOG_LEVEL: 'error',
  STORAGE_DIR: filesDir,
  OIDC_ISSUER: 'http://127.0.0.1:9',
  OIDC_CLIENT_ID: 'fuzz',
  OIDC_CLIENT_SECRET: 'fuzz',
});
afterAll(async () => {
  await api.close();
  rmSync(filesDir, { recursive: true, force: true });
});

type Schema = {
  type?: string | string[];
  format?: string;
  enum?: unknown[];
  properties?: Record<string, Schema>;
  items?: Schema;
  anyOf?: Schema[];
  oneOf?: Schema[];
  $ref?: string;
};
type Operation = {
  parameters?: { name: string; in: 'path' | 'query'; schema?: Schema }[];
  requestBody?: { content: Record<string, { schema: Schema }> };
};
type Document = {
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, Schema> };
};
const doc = (await api.call('GET', '/api/v1/openapi.json')).body as Document;

// Real rows, so a share of the requests name things the caller may touch and reach the handlers' logic.
const owner = await signInAsInstanceAdmin(api); // an instance admin, so /admin is reachable too
const workspaceRes = await api.call('POST', '/api/v1/workspaces', {
  token: owner.token,
  body: { name: 'Fuzz' },
});
const workspace = { id: workspaceRes.body.id as string };
const project = await buildProject(workspace);
const label = await buildLabel(workspace);
const task = await createTask(api, owner.token, project);
const comment = await Comment.create({ taskId: task.id, authorId: owner.user.id, body: 'hi' });
const realIds = [workspace.id, project.id, label.id, task.id, comment.id, owner.user.id];

const resolve = (schema: Schema): Schema =>
  schema.$ref ? resolve(doc.components!.schemas![schema.$ref.split('/').pop()!]!) : schema;

const hostileString = fc.oneof(
  fc.string(),
  fc.constantFrom('', ' ', '../../etc/passwd', "' OR 1=1 --", '%00', '\u0000', 'null', '-1', '1e309', 'NaN'),
  fc.string({ minLength: 300, maxLength: 3000 }),
);
const uuid = fc.oneof(fc.constantFrom(...realIds), fc.uuid());

/** Values shaped by `schema` (valid-looking) mixed with arbitrary JSON (invalid-looking). */
function valueFor(input: Schema, depth = 0): fc.Arbitrary<unknown> {
  const schema = resolve(input);
  const noise = fc.jsonValue({ maxDepth: 2 });
  if (depth > 3) return noise;
  const variants = schema.anyOf ?? schema.oneOf;
  let shaped: fc.Arbitrary<unknown>;
  if (variants) shaped = fc.oneof(...variants.map((v) => valueFor(v, depth + 1)));
  else if (schema.enum) shaped = fc.constantFrom(...schema.enum);
  else {
    const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
    switch (type) {
      case 'string':
        shaped =
          schema.format === 'uuid'
            ? uuid
            : schema.format === 'date-time'
              ? fc.date({ noInvalidDate: true }).map((d) => d.toISOString())
              : schema.format === 'email'
                ? fc.emailAddress()
                : hostileString;
        break;
      case 'integer':
      case 'number':
        shaped = fc.oneof(fc.integer(), fc.double(), fc.constantFrom(0, -1, 2 ** 53, 1e308));
        break;
      case 'boolean':
        shaped = fc.boolean();
        break;
      case 'array':
        shaped = fc.array(schema.items ? valueFor(schema.items, depth + 1) : noise, { maxLength: 5 });
        break;
      case 'object':
        shaped = objectFor(schema, depth);
        break;
      default:
        shaped = noise;
    }
  }
  return fc.oneof({ arbitrary: shaped, weight: 4 }, { arbitrary: noise, weight: 1 });
}

/** An object with some of the schema's properties and, sometimes, an unknown one. */
function objectFor(schema: Schema, depth: number): fc.Arbitrary<Record<string, unknown>> {
  const properties = Object.fromEntries(
    Object.entries(schema.properties ?? {}).map(([key, value]) => [key, valueFor(value, depth + 1)]),
  );
  return fc
    .tuple(
      fc.record(properties, { requiredKeys: [] }),
      fc.option(fc.dictionary(fc.string({ maxLength: 10 }), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 2 })),
    )
    .map(([known, extra]) => ({ ...(extra ?? {}), ...known }));
}

/** A whole request body: schema-shaped JSON, arbitrary JSON, or bytes that are not JSON at all. */
function bodyFor(operation: Operation): fc.Arbitrary<{ raw: string; type: string } | undefined> {
  const schema = operation.requestBody?.content['application/json']?.schema;
  const json = (value: unknown) => ({ raw: JSON.stringify(value) ?? 'null', type: 'application/json' });
  return fc.oneof(
    { arbitrary: (schema ? valueFor(schema) : fc.jsonValue()).map(json), weight: 5 },
    { arbitrary: fc.jsonValue().map(json), weight: 1 },
    { arbitrary: fc.string().map((raw) => ({ raw, type: 'application/json' })), weight: 1 },
    { arbitrary: fc.string().map((raw) => ({ raw, type: 'text/plain' })), weight: 1 },
    { arbitrary: fc.constant(undefined), weight: 1 },
  );
}

function paramValue(schema: Schema | undefined): fc.Arbitrary<string> {
  const shaped = schema
    ? valueFor(schema).map((v) => (typeof v === 'string' ? v : JSON.stringify(v)))
    : hostileString;
  return fc.oneof(uuid, shaped, hostileString);
}

type Case = { path: string; query: string; body?: { raw: string; type: string } };

function caseFor(template: string, method: string, operation: Operation): fc.Arbitrary<Case> {
  const params = operation.parameters ?? [];
  const pathParams = params.filter((p) => p.in === 'path');
  const queryParams = params.filter((p) => p.in === 'query');
  // Real ids are kept away from deletes, so the shared rows survive for the other routes.
  const pathValue = (schema?: Schema) =>
    method === 'delete' ? fc.oneof(fc.uuid(), hostileString) : paramValue(schema);
  return fc
    .record({
      path: fc.tuple(...pathParams.map((p) => pathValue(p.schema))),
      query: fc.record(Object.fromEntries(queryParams.map((p) => [p.name, paramValue(p.schema)])), {
        requiredKeys: [],
      }),
      extraQuery: fc.option(fc.dictionary(fc.string({ maxLength: 8 }), fc.string(), { maxKeys: 2 })),
      // fetch cannot send a body with GET.
      body: method === 'get' ? fc.constant(undefined) : bodyFor(operation),
    })
    .map(({ path, query, extraQuery, body }) => {
      let i = 0;
      const concrete = template.replace(/\{\w+\}/g, () => encodeURIComponent(path[i++] ?? ''));
      const search = new URLSearchParams({ ...(extraQuery ?? {}), ...(query as Record<string, string>) });
      return { path: concrete, query: search.toString(), body };
    });
}

/** One request; an event stream is judged by its status and headers, then cut off. */
async function send(method: string, c: Case) {
  const response = await fetch(`${api.url}/api/v1${c.path}${c.query ? `?${c.query}` : ''}`, {
    method: method.toUpperCase(),
    headers: {
      authorization: `Bearer ${owner.token}`,
      ...(c.body ? { 'content-type': c.body.type } : {}),
    },
    body: c.body?.raw,
    signal: AbortSignal.timeout(10_000),
  });
  const type = response.headers.get('content-type') ?? '';
  if (type.includes('event-stream')) {
    await response.body?.cancel();
    return { status: response.status, type, text: '' };
  }
  return { status: response.status, type, text: await response.text() };
}

const operations = Object.entries(doc.paths).flatMap(([path, ops]) =>
  Object.entries(ops).map(([method, operation]) => ({
    name: `${method.toUpperCase()} ${path}`,
    path,
    method,
    operation,
  })),
);

describe('random input never causes a 5xx', () => {
  it('the document lists the routes of both halves of the API', () => {
    const names = operations.map((o) => o.name);
    expect(names).toEqual(expect.arrayContaining(['POST /auth/login', 'GET /projects/{id}/tasks']));
  });

  const statuses: number[] = [];
  it.each(operations.map((o) => [o.name, o] as const))('%s', async (_name, { path, method, operation }) => {
    await fc.assert(
      fc.asyncProperty(caseFor(path, method, operation), async (c) => {
        const res = await send(method, c);
        statuses.push(res.status);
        expect(res.status, `${method.toUpperCase()} ${c.path}?${c.query} ${c.body?.raw ?? ''}`).toBeLessThan(
          500,
        );
        if (res.status >= 400) {
          expect(res.type).toMatch(/application\/problem\+json/);
          expect(res.text).not.toMatch(/\n\s+at |node_modules|stack/i);
        }
      }),
      { numRuns: RUNS_PER_ROUTE },
    );
  });

  it('gets past validation often enough to exercise the handlers', () => {
    const succeeded = statuses.filter((s) => s < 300).length;
    console.log(`fuzz: ${statuses.length} requests, ${succeeded} succeeded`);
    expect(succeeded / statuses.length).toBeGreaterThan(0.04);
  });
});
