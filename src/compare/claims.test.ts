import { describe, expect, it } from 'vitest';
import { AifError } from '../core/errors.js';
import { BUILTIN_CLAIMS } from './claims-data.js';
import {
  classifyClaimStatus,
  createClaimRegistry,
  reproduceArithmetic,
  type Claim,
} from './claims.js';

const registry = createClaimRegistry(BUILTIN_CLAIMS);
const claim = (id: string): Claim => registry.byId.get(id)!;

describe('claim arithmetic', () => {
  it('reproduces NVIDIA’s GB300 tokens per MW: (6000/2.1)/(90/1.73) ≈ 55× against "up to 50×"', () => {
    // reference/public-data.json: vendor_claim 6000 and 90 tok/s per GPU; InferenceX kW per GPU 2.1 and 1.73
    const a = reproduceArithmetic(claim('nvidia-gb300-tokens-per-mw-vs-hopper'))!;
    expect(a.value).toBeCloseTo(6000 / 2.1 / (90 / 1.73), 10);
    expect(a.value).toBeCloseTo(54.92, 2);
    expect(a.deviationFraction).toBeCloseTo(0.0984, 3);
    expect(a.text).toBe('(6000 ÷ 2.1) ÷ (90 ÷ 1.73) = 54.9206');
  });

  it('reproduces the 35× cost per token from $/GPU-hour and tok/s per GPU', () => {
    // H200 1.41/(90·3600/1e6) = 4.352 $/M; GB300 2.65/(6000·3600/1e6) = 0.1227 $/M
    const a = reproduceArithmetic(claim('nvidia-gb300-cost-per-token-vs-hopper'))!;
    expect(a.value).toBeCloseTo(4.3519 / 0.12269, 2);
    expect(a.value).toBeCloseTo(35.47, 2);
  });

  it('finds the published H200 $4.20 per M tokens 3.5% below its own inputs', () => {
    const a = reproduceArithmetic(claim('nvidia-h200-cost-per-million-tokens-example'))!;
    expect(a.value).toBeCloseTo(4.352, 3);
    expect(a.deviationFraction).toBeCloseTo(0.0362, 3);
  });

  it.each([
    ['nvidia-gb300-cost-per-million-tokens-example', 0.12269],
    ['nvidia-gb200-roi-15x', 15],
    ['mlperf-v6-dsr1-offline-gb300-per-gpu', 8660.8],
    ['mlperf-v6-dsr1-server-per-gpu-gain', 2.774],
  ])('recomputes %s to %d', (id, expected) => {
    expect(reproduceArithmetic(claim(id))!.value).toBeCloseTo(expected, 1);
  });

  it('recomputes every built-in claim with arithmetic inputs within 15% of the claim', () => {
    const withArithmetic = BUILTIN_CLAIMS.filter((c) => c.arithmetic);
    expect(withArithmetic.length).toBeGreaterThanOrEqual(7);
    for (const c of withArithmetic) {
      const a = reproduceArithmetic(c)!;
      expect(Math.abs(a.deviationFraction), c.id).toBeLessThan(0.15);
    }
  });

  it('returns undefined for a claim without published inputs', () => {
    expect(
      reproduceArithmetic(claim('nvidia-gb200-tokens-per-mw-vs-hopper-gpt-oss')),
    ).toBeUndefined();
  });

  it('names the missing input of a malformed claim', () => {
    const c = claim('nvidia-gb200-roi-15x');
    const broken: Claim = {
      ...c,
      arithmetic: { formula: 'quotient', inputs: { numerator: c.arithmetic!.inputs.numerator! } },
    };
    expect(() => reproduceArithmetic(broken)).toThrow(/needs input 'denominator'/);
  });
});

describe('built-in claims', () => {
  it('cover the vendor_claim items with a source, a date and the conditions they leave out', () => {
    expect(BUILTIN_CLAIMS.length).toBeGreaterThanOrEqual(15);
    for (const c of BUILTIN_CLAIMS) {
      expect(c.source.length, c.id).toBeGreaterThan(10);
      expect(c.date, c.id).toMatch(/^\d{4}/);
      expect(c.missingConditions.length, c.id).toBeGreaterThan(0);
    }
  });

  it('refuses duplicate ids in a registry', () => {
    expect(() => createClaimRegistry(BUILTIN_CLAIMS, [BUILTIN_CLAIMS[0]!])).toThrow(AifError);
  });
});

describe('classifyClaimStatus', () => {
  const base = { claimedValue: 10, conditionsMissing: [] };
  it.each([
    [12.5, 'reproduced-by-model'], // +25% exactly: within
    [7.5, 'reproduced-by-model'], // −25% exactly
    [12.6, 'directional'],
    [15, 'directional'], // +50% exactly: not beyond
    [5, 'directional'], // −50% exactly
    [15.1, 'contradicted'],
    [4.9, 'contradicted'],
  ])('model value %d against a claim of 10 → %s', (modelValue, status) => {
    expect(classifyClaimStatus({ ...base, modelValue }).status).toBe(status);
  });

  it('stays directional when conditions are missing, whatever the model says', () => {
    const r = classifyClaimStatus({ ...base, modelValue: 10, conditionsMissing: ['workload'] });
    expect(r.status).toBe('directional');
    expect(r.reason).toContain('workload');
  });

  it('is reproduced by measurement within ±25% even when the model is off', () => {
    expect(classifyClaimStatus({ ...base, modelValue: 30, measuredValue: 7.5 }).status).toBe(
      'reproduced-by-measurement',
    );
    expect(classifyClaimStatus({ ...base, measuredValue: 4 }).status).toBe('contradicted');
    expect(classifyClaimStatus({ ...base, measuredValue: 14 }).status).toBe('directional');
  });

  it('is directional without evidence', () => {
    expect(classifyClaimStatus(base).status).toBe('directional');
  });
});
