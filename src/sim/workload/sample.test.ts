import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { DistributionSpec } from '../../core/distributions.js';
import { createRng } from '../../core/rng.js';
import { quantile } from '../../core/stats.js';
import {
  createSampler,
  roundCount,
  sampleDistribution,
  sampleGamma,
  sampleTokens,
} from './sample.js';

const draws = (d: DistributionSpec, n: number, seed = 1): number[] => {
  const rng = createRng(seed, 'sample-test');
  const sample = createSampler(d);
  return Array.from({ length: n }, () => sample(rng));
};

describe('sampleDistribution', () => {
  // 200 000 draws: the sample median of ln X has standard error 1.2533·σ/√n ≈ 0.3 % here and the
  // p90 about 0.4 %, so ±2 % / ±3 % fail only for a wrong formula.
  it('lognormal draws have the stated median (±2 %) and p90 (±3 %)', () => {
    const xs = draws({ dist: 'lognormal', median: 1020, p90: 2734 }, 200_000);
    expect(Math.abs(quantile(xs, 0.5) / 1020 - 1)).toBeLessThan(0.02);
    expect(Math.abs(quantile(xs, 0.9) / 2734 - 1)).toBeLessThan(0.03);
  });

  it('a fixed distribution always gives its value', () => {
    expect(new Set(draws({ dist: 'fixed', value: 7.5 }, 100))).toEqual(new Set([7.5]));
  });

  // Uniform on [2, 6): mean 4, p10 2.4, p90 5.6 (inverse CDF); 100 000 draws, ±1 %.
  it('uniform draws stay in [min, max) with the uniform quantiles', () => {
    const xs = draws({ dist: 'uniform', min: 2, max: 6 }, 100_000);
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(2);
    expect(Math.max(...xs)).toBeLessThan(6);
    expect(Math.abs(quantile(xs, 0.1) - 2.4)).toBeLessThan(0.04);
    expect(Math.abs(quantile(xs, 0.9) - 5.6)).toBeLessThan(0.06);
  });

  // Each of 4 values has probability 1/4: 40 000 draws, count sd ≈ 87, so ±5 % = ±500 is ~6 sd.
  it('empirical draws pick each observed value with equal probability', () => {
    const xs = draws({ dist: 'empirical', values: [3, 10, 10, 40] }, 40_000);
    const count = (v: number) => xs.filter((x) => x === v).length;
    expect(new Set(xs)).toEqual(new Set([3, 10, 40]));
    expect(Math.abs(count(3) - 10_000)).toBeLessThan(500);
    expect(Math.abs(count(10) - 20_000)).toBeLessThan(1_000);
  });

  it('the same seed and stream give the same draws', () => {
    const d = { dist: 'lognormal', median: 216, p90: 879 } as const;
    expect(draws(d, 5, 9)).toEqual(draws(d, 5, 9));
    expect(draws(d, 5, 9)).not.toEqual(draws(d, 5, 10));
    const rng = createRng(9, 'sample-test');
    expect(sampleDistribution(d, rng)).toBe(draws(d, 1, 9)[0]);
  });

  it('rejects an empty empirical distribution and a uniform with max below min', () => {
    expect(() => createSampler({ dist: 'empirical', values: [] })).toThrow(/no values/);
    expect(() => createSampler({ dist: 'uniform', min: 5, max: 1 })).toThrow(/max ≥ min/);
    expect(() => createSampler({ dist: 'lognormal', median: 5, p90: 2 })).toThrow(/median < p90/);
  });
});

describe('sampleTokens', () => {
  it('rounds to the nearest integer and never goes below the minimum', () => {
    const rng = createRng(1, 't');
    expect(sampleTokens({ dist: 'fixed', value: 215.6 }, rng)).toBe(216);
    expect(sampleTokens({ dist: 'fixed', value: 0.2 }, rng)).toBe(1);
    expect(sampleTokens({ dist: 'fixed', value: 0.2 }, rng, 0)).toBe(0);
    expect(roundCount(-3, 0)).toBe(0);
  });

  it('gives integers ≥ the minimum for any distribution (property)', () => {
    const distribution = fc.oneof(
      fc.record({
        dist: fc.constant('fixed' as const),
        value: fc.double({ min: 0, max: 1e6, noNaN: true }),
      }),
      fc
        .tuple(
          fc.double({ min: 0.01, max: 1e5, noNaN: true }),
          fc.double({ min: 1.01, max: 100, noNaN: true }),
        )
        .map(([median, ratio]) => ({ dist: 'lognormal' as const, median, p90: median * ratio })),
      fc
        .tuple(
          fc.double({ min: 0, max: 1e5, noNaN: true }),
          fc.double({ min: 0, max: 1e5, noNaN: true }),
        )
        .map(([a, b]) => ({ dist: 'uniform' as const, min: Math.min(a, b), max: Math.max(a, b) })),
    );
    fc.assert(
      fc.property(
        distribution,
        fc.integer({ min: 0, max: 3 }),
        fc.integer(),
        (d, minimum, seed) => {
          const rng = createRng(seed, 'prop');
          for (let i = 0; i < 20; i++) {
            const n = sampleTokens(d, rng, minimum);
            if (!Number.isInteger(n) || n < minimum) return false;
          }
          return true;
        },
      ),
    );
  });
});

describe('sampleGamma (Marsaglia–Tsang)', () => {
  // Gamma(k, 1) has mean k and variance k. 100 000 draws: relative standard error of the mean
  // is 1/√(k·n) ≤ 0.7 % (k = 0.25) and of the variance ≈ √((6/k + 2)/n) ≤ 1.6 %; ±5 % / ±10 %.
  it.each([0.25, 1, 4, 30])('shape %d gives mean k and variance k', (shape) => {
    const rng = createRng(3, `gamma-${shape}`);
    const xs = Array.from({ length: 100_000 }, () => sampleGamma(shape, rng));
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    const variance = xs.reduce((s, x) => s + (x - mean) ** 2, 0) / (xs.length - 1);
    expect(Math.abs(mean / shape - 1)).toBeLessThan(0.05);
    expect(Math.abs(variance / shape - 1)).toBeLessThan(0.1);
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
  });

  it('rejects a non-positive shape', () => {
    expect(() => sampleGamma(0, createRng(1, 'g'))).toThrow(/shape must be > 0/);
  });
});
