import { describe, expect, it } from 'vitest';
import { defaultCatalog } from '../catalog/catalog.js';
import { BUILTIN_CLAIMS } from '../compare/claims-data.js';
import type { Claim } from '../compare/claims.js';
import { BUILTIN_CALIBRATION } from '../perf/calibration-data.js';
import { validateClaim } from './claims.js';

const catalog = defaultCatalog();
const claim = (id: string): Claim => BUILTIN_CLAIMS.find((c) => c.id === id)!;

/** A claim with every condition stated, on hardware and a model the catalog has. */
const complete: Claim = {
  id: 'test-gb200-vs-h200-fp8',
  claimant: 'test',
  statement: 'GB200 NVL72 has 4x the output tok/s per GPU of HGX H200 at 30 tok/s/user, fp8',
  source: 'test fixture',
  date: '2026',
  metric: 'throughput-per-gpu',
  kind: 'ratio',
  value: 4,
  unit: 'x',
  qualifier: 'at',
  model: 'deepseek-r1',
  subject: { label: 'GB200 NVL72', systemId: 'gb200-nvl72', precision: 'fp8', speculative: 'none' },
  baseline: { label: 'HGX H200', systemId: 'hgx-h200-8gpu', precision: 'fp8', speculative: 'none' },
  workload: { inputTokens: 8192, outputTokens: 1024 },
  interactivityTokensPerSecondPerUser: 30,
  statedConditions: ['all'],
  missingConditions: [],
};

describe('validateClaim', () => {
  it('tables a claim on catalog hardware at several interactivity levels, equal and claimed precision', () => {
    const v = validateClaim(
      claim('nvidia-gb300-tokens-per-mw-vs-hopper'),
      catalog,
      BUILTIN_CALIBRATION,
    );
    expect(v.rows[0]).toMatchObject({ group: 'arithmetic' });
    expect(v.rows[0]!.ratio).toBeCloseTo(54.92, 2);
    const equal = v.rows.filter((r) => r.group === 'equal-precision' && r.ratio !== undefined);
    expect(equal.length).toBeGreaterThanOrEqual(4);
    expect(new Set(equal.map((r) => r.interactivityTokensPerSecondPerUser)).size).toBe(
      equal.length,
    );
    for (const r of equal) {
      expect(r.condition).toContain('fp8/fp8');
      expect(r.ratio).toBeGreaterThan(1);
    }
    expect(
      v.rows.some((r) => r.group === 'claim-pairing' && r.condition.includes('nvfp4/fp8')),
    ).toBe(true);
    // the claim leaves out the workload, interactivity and the baseline's MTP: directional
    expect(v.status).toBe('directional');
    expect(v.notes.join('\n')).toContain('both sides run without it');
  });

  it('reads both sides at the claim’s own interactivity and classifies a complete claim', () => {
    const v = validateClaim(complete, catalog, BUILTIN_CALIBRATION);
    const row = v.rows.find((r) => r.interactivityTokensPerSecondPerUser === 30)!;
    expect(row.subjectValue).toBeGreaterThan(0);
    expect(row.baselineValue).toBeGreaterThan(0);
    expect(v.modelValue).toBeCloseTo(row.ratio!, 3);
    expect(v.conditionsMissing).toEqual([]);
    const expected =
      Math.abs(v.modelValue! / 4 - 1) <= 0.25
        ? 'reproduced-by-model'
        : Math.abs(v.modelValue! / 4 - 1) > 0.5
          ? 'contradicted'
          : 'directional';
    expect(v.status).toBe(expected);
  });

  it('is directional, naming the missing hardware, when the catalog lacks a side', () => {
    const v = validateClaim(
      { ...complete, subject: { label: 'TPU v7 pod', systemId: 'tpu-v7-pod' } },
      catalog,
      BUILTIN_CALIBRATION,
    );
    expect(v.status).toBe('directional');
    expect(v.reason).toContain("the catalog lacks system 'tpu-v7-pod'");
    expect(v.rows).toEqual([]);
  });

  it('is directional when the claim names no precise system ("Hopper")', () => {
    const v = validateClaim(
      claim('nvidia-gb200-tokens-per-mw-vs-hopper-gpt-oss'),
      catalog,
      BUILTIN_CALIBRATION,
    );
    expect(v.status).toBe('directional');
    expect(v.notes.join('\n')).toContain("baseline 'Hopper (H100 or H200 not stated)'");
  });

  it('takes a supplied measurement into the status', () => {
    const v = validateClaim(complete, catalog, BUILTIN_CALIBRATION, { measuredValue: 4.4 });
    expect(v.status).toBe('reproduced-by-measurement');
  });
});
