import { describe, expect, it } from 'vitest';
import {
  describeDistribution,
  distributionMean,
  distributionSecondMoment,
  lognormalSigma,
  Z_90,
} from './distributions.js';

describe('distribution moments', () => {
  it('lognormal σ comes from the median and p90', () => {
    expect(lognormalSigma(1, Math.exp(Z_90))).toBeCloseTo(1, 12);
    expect(() => lognormalSigma(10, 5)).toThrow(/median < p90/);
  });

  // Checked against the closed forms E[X] = exp(μ + σ²/2), E[X²] = exp(2μ + 2σ²) with μ = ln median.
  it('lognormal mean and second moment follow the closed forms', () => {
    const d = { dist: 'lognormal', median: 1020, p90: 2734 } as const;
    const s = Math.log(2734 / 1020) / Z_90;
    expect(distributionMean(d)).toBeCloseTo(1020 * Math.exp((s * s) / 2), 9);
    expect(distributionMean(d)).toBeCloseTo(1371.3, 1);
    expect(distributionSecondMoment(d)).toBeCloseTo(1020 ** 2 * Math.exp(2 * s * s), 3);
  });

  it('fixed, uniform and empirical have their textbook moments', () => {
    expect(distributionMean({ dist: 'fixed', value: 7 })).toBe(7);
    expect(distributionSecondMoment({ dist: 'fixed', value: 7 })).toBe(49);
    expect(distributionMean({ dist: 'uniform', min: 2, max: 4 })).toBe(3);
    expect(distributionSecondMoment({ dist: 'uniform', min: 0, max: 3 })).toBe(3);
    expect(distributionMean({ dist: 'empirical', values: [1, 2, 6] })).toBe(3);
    expect(distributionSecondMoment({ dist: 'empirical', values: [1, 2, 6] })).toBeCloseTo(
      41 / 3,
      12,
    );
  });

  it('an empirical distribution without values is refused', () => {
    expect(() => distributionMean({ dist: 'empirical', values: [] })).toThrow(/no values/);
  });

  it('describes a distribution in words', () => {
    expect(describeDistribution({ dist: 'lognormal', median: 1, p90: 2 })).toBe(
      'lognormal(median 1, p90 2)',
    );
  });
});
