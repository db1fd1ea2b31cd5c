/**
 * The OpenAPI document covers exactly the routes the app registers (both ways), and its
 * request schemas are the ones the handlers validate with.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApiPath } from './openapi.js';
import { makeApi, type TestApi } from './test-helpers.js';

interface Doc {
  openapi: string;
  paths: Record<
    string,
    Record<
      string,
      {
        summary: string;
        parameters?: { name: string; in: string; required: boolean }[];
        requestBody?: {
          required: boolean;
          content: { 'application/json': { schema: { properties?: Record<string, unknown> } } };
        };
        responses: Record<string, { description: string }>;
      }
    >
  >;
}

describe('OpenAPI document', () => {
  let t: TestApi;
  let doc: Doc;
  beforeAll(async () => {
    t = makeApi();
    doc = JSON.parse(await (await t.app.request('/openapi.json')).text()) as Doc;
  });
  afterAll(() => t.close());

  it('lists every registered /api route, and nothing else', () => {
    const registered = new Set(
      t.app.routes
        .filter((r) => r.path.startsWith('/api/') && r.method !== 'ALL')
        .map((r) => `${r.method.toLowerCase()} ${openApiPath(r.path).path}`),
    );
    const documented = new Set(
      Object.entries(doc.paths).flatMap(([path, ops]) =>
        Object.keys(ops).map((method) => `${method} ${path}`),
      ),
    );
    expect(registered.size).toBeGreaterThan(20);
    expect([...documented].sort()).toEqual([...registered].sort());
  });

  it('is OpenAPI 3.1 with a summary, responses and path parameters for each operation', () => {
    expect(doc.openapi).toBe('3.1.0');
    for (const [path, ops] of Object.entries(doc.paths))
      for (const op of Object.values(ops)) {
        expect(op.summary.length).toBeGreaterThan(0);
        expect(Object.keys(op.responses).length).toBeGreaterThan(0);
        const names = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
        expect((op.parameters ?? []).filter((p) => p.in === 'path').map((p) => p.name)).toEqual(
          names,
        );
      }
  });

  it('publishes the request schemas the handlers validate with', () => {
    const runs = doc.paths['/api/runs']!.post!;
    expect(runs.requestBody?.required).toBe(true);
    expect(
      Object.keys(runs.requestBody!.content['application/json'].schema.properties!).sort(),
    ).toEqual(['scenarioHash', 'seed', 'yaml']);
    const validate = doc.paths['/api/claims/{id}/validate']!.post!;
    expect(validate.requestBody?.required).toBe(false);
    const list = doc.paths['/api/runs']!.get!;
    expect(
      list.parameters
        ?.filter((p) => p.in === 'query')
        .map((p) => p.name)
        .sort(),
    ).toEqual(['kind', 'limit', 'scenarioHash']);
    expect(doc.paths['/api/runs/{id}/cancel']!.post!.responses['409']).toBeDefined();
  });
});
