/**
 * The OpenAPI 3.1 document, written from the route table (`route-table.ts`): request bodies
 * and query parameters are the zod schemas the handlers validate with, as JSON Schema
 * (draft 2020-12, the dialect OpenAPI 3.1 uses) from zod 4's `z.toJSONSchema`.
 */
import { z } from 'zod';
import type { AnyRoute } from './route-table.js';

export interface OpenApiInfo {
  title: string;
  version: string;
  description: string;
}

type JsonSchema = Record<string, unknown>;

const schemaOf = (s: z.ZodType): JsonSchema => {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(s, {
    io: 'input',
    target: 'draft-2020-12',
  }) as JsonSchema;
  return rest;
};

/** `/api/runs/:id` → `/api/runs/{id}` and its parameter names. */
export function openApiPath(path: string): { path: string; params: string[] } {
  const params: string[] = [];
  const out = path.replace(/:([A-Za-z_][A-Za-z0-9_]*)/g, (_, name: string) => {
    params.push(name);
    return `{${name}}`;
  });
  return { path: out, params };
}

const ERROR_SCHEMA: JsonSchema = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message', 'issues'],
      properties: {
        code: { type: 'string', description: 'stable `E_…` code' },
        message: { type: 'string' },
        issues: {
          type: 'array',
          items: {
            type: 'object',
            required: ['path', 'message'],
            properties: {
              path: { type: 'string' },
              message: { type: 'string' },
              value: {},
              expected: { type: 'string' },
              line: { type: 'integer' },
              column: { type: 'integer' },
              file: { type: 'string', description: 'body field holding the YAML text' },
            },
          },
        },
      },
    },
  },
};

export function buildOpenApi(routes: readonly AnyRoute[], info: OpenApiInfo): JsonSchema {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of routes) {
    const { path, params } = openApiPath(r.path);
    const parameters: unknown[] = params.map((name) => ({
      name,
      in: 'path',
      required: true,
      schema: { type: 'string' },
    }));
    if (r.query) {
      const q = schemaOf(r.query);
      const required = new Set((q.required as string[] | undefined) ?? []);
      for (const [name, schema] of Object.entries((q.properties as JsonSchema | undefined) ?? {}))
        parameters.push({
          name,
          in: 'query',
          required: required.has(name),
          schema,
          ...((schema as { description?: string }).description
            ? { description: (schema as { description: string }).description }
            : {}),
        });
    }
    const responses: Record<string, unknown> = {};
    for (const [status, description] of Object.entries(r.responses)) {
      const code = Number(status);
      responses[status] = {
        description,
        content:
          code >= 400
            ? { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } }
            : r.stream === 'sse'
              ? { 'text/event-stream': { schema: { type: 'string' } } }
              : { 'application/json': { schema: {} } },
      };
    }
    (paths[path] ??= {})[r.method] = {
      summary: r.summary,
      operationId: `${r.method}${path.replace(/[{}]/g, '').replace(/[^A-Za-z0-9]+(.)?/g, (_, ch: string | undefined) => (ch ?? '').toUpperCase())}`,
      ...(parameters.length ? { parameters } : {}),
      ...(r.body
        ? {
            requestBody: {
              required: !r.bodyOptional,
              content: { 'application/json': { schema: schemaOf(r.body) } },
            },
          }
        : {}),
      responses,
    };
  }
  return {
    openapi: '3.1.0',
    info,
    paths,
    components: {
      schemas: { Error: ERROR_SCHEMA },
      securitySchemes: {
        bearer: {
          type: 'http',
          scheme: 'bearer',
          description:
            'needed on /api when the server was started with a token (any non-loopback address)',
        },
      },
    },
    security: [{}, { bearer: [] }],
  };
}
