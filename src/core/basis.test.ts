import { describe, expect, it } from 'vitest';
import { compareBases, type Basis } from './basis.js';

const base: Basis = {
  model: 'llama-3.1-70b',
  precision: 'fp8',
  workload: 'isl=1024 osl=1024',
  slo: { ttftP99Seconds: 2, tpotP99Seconds: 0.1 },
  utilization: 'concurrency 64',
  boundary: 'chip',
  currencyYear: 'n/a',
  provenance: 'modeled',
  source: 'test',
};

describe('compareBases', () => {
  it('finds no difference between identical bases', () => {
    expect(compareBases(base, { ...base })).toEqual([]);
  });

  it('names every differing field, including inside the SLOs', () => {
    const other: Basis = {
      ...base,
      precision: 'fp4',
      boundary: 'facility',
      slo: { ttftP99Seconds: 2, tpotP99Seconds: 0.05 },
    };
    expect(compareBases(base, other).map((d) => d.field)).toEqual([
      'boundary',
      'precision',
      'slo.tpotP99Seconds',
    ]);
  });
});
