import { describe, expect, it } from 'vitest';
import { AifError } from '../core/errors.js';
import { BUILTIN_CLAIMS } from './claims-data.js';
import { parseClaimsObject, parseClaimsYaml } from './claims-schema.js';

const yaml = `
claims:
  - id: acme-x1-tokens-per-mw
    claimant: ACME
    statement: X1 delivers 4x the tokens per MW of H100
    source: https://example.com/x1
    date: 2026-05
    metric: tokens-per-mw
    kind: ratio
    value: 4
    unit: x
    qualifier: up-to
    model: llama-3.1-70b
    subject: { label: ACME X1, systemId: acme-x1 }
    baseline: { label: HGX H100, systemId: hgx-h100-8gpu, precision: fp8 }
    statedConditions: [Llama 3.1 70B]
    missingConditions:
      - { condition: workload, note: not stated }
    arithmetic:
      formula: throughput-ratio
      inputs:
        subjectTokensPerSecondPerGpu: { value: 4000, unit: tok/s per GPU, source: ACME }
        baselineTokensPerSecondPerGpu: { value: 1000, unit: tok/s per GPU, source: ACME }
`;

describe('claims file schema', () => {
  it('reads a YAML claims file', () => {
    const [c] = parseClaimsYaml(yaml, 'claims.yaml');
    expect(c!.id).toBe('acme-x1-tokens-per-mw');
    expect(c!.arithmetic!.inputs.subjectTokensPerSecondPerGpu!.value).toBe(4000);
  });

  it('accepts every built-in claim (the schema and the type agree)', () => {
    expect(parseClaimsObject({ claims: BUILTIN_CLAIMS }, 'builtin')).toHaveLength(
      BUILTIN_CLAIMS.length,
    );
  });

  it('names field, value and expectation of each problem', () => {
    const bad = yaml
      .replace('value: 4\n', 'value: -4\n')
      .replace('metric: tokens-per-mw', 'metric: tokens-per-watt')
      .replace('baselineTokensPerSecondPerGpu', 'baselineTokens');
    try {
      parseClaimsYaml(bad, 'claims.yaml');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(AifError);
      const issues = (e as AifError).issues;
      const byPath = Object.fromEntries(issues.map((i) => [i.path, i]));
      expect(byPath['claims.0.value']).toMatchObject({ value: -4, expected: 'a number > 0' });
      expect(byPath['claims.0.metric']!.message).toContain('got "tokens-per-watt"');
      expect(byPath['claims.0.metric']!.expected).toContain('tokens-per-mw');
      expect(byPath['claims.0.arithmetic.inputs.baselineTokensPerSecondPerGpu']!.message).toContain(
        "input 'baselineTokensPerSecondPerGpu' for formula 'throughput-ratio'",
      );
    }
  });

  it('rejects unknown fields by name', () => {
    expect(() =>
      parseClaimsYaml(yaml.replace('    kind: ratio', '    kind: ratio\n    ratioo: 3'), 'f.yaml'),
    ).toThrow(/unknown field 'ratioo'/);
  });

  it('reports invalid YAML', () => {
    expect(() => parseClaimsYaml('claims: [', 'f.yaml')).toThrow(/not valid YAML/);
  });
});
