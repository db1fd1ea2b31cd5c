import { describe, expect, it } from 'vitest';
import { scenarioJsonSchema } from './json-schema.js';

type Json = Record<string, unknown>;
const at = (o: unknown, ...keys: (string | number)[]): unknown =>
  keys.reduce<unknown>((cur, k) => (cur as Record<string | number, unknown> | undefined)?.[k], o);

describe('scenarioJsonSchema', () => {
  const schema = scenarioJsonSchema();

  it('is a draft 2020-12 schema with the deployments property', () => {
    expect(schema['$schema']).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(at(schema, 'properties', 'deployments', 'type')).toBe('array');
  });

  it('forbids unknown keys at the root and inside deployments', () => {
    expect(schema['additionalProperties']).toBe(false);
    expect(at(schema, 'properties', 'deployments', 'items', 'additionalProperties')).toBe(false);
  });

  it('describes the input side: a token length may be a bare number', () => {
    const classes = at(schema, 'properties', 'workload', 'properties', 'classes', 'items') as Json;
    const request = (classes['oneOf'] ?? classes['anyOf']) as Json[];
    const inputTokens = at(request[0], 'properties', 'inputTokens', 'anyOf') as Json[];
    expect(inputTokens[0]).toMatchObject({ type: 'number', minimum: 1 });
  });

  it('carries the field descriptions', () => {
    expect(at(schema, 'properties', 'seed', 'description')).toMatch(/seed/i);
  });
});
