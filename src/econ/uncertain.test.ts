import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRng } from '../core/rng.js';
import { mean, quantile } from '../core/stats.js';
import {
  createUncertainSampler,
  describeUncertain,
  sampleUncertain,
  triangularQuantile,
  uncertainMean,
  uncertainPercentiles,
  uncertainVariance,
  type UncertainSpec,
} from './uncertain.js';

const N = 200_000;
const draws = (spec: UncertainSpec, n = N, seed = 1): number[] => {
  const rng = createRng(seed, 'uncertain-test');
  const sample = createUncertainSampler(spec);
  return Array.from({ length: n }, () => sample(rng));
};

// Tolerances are stated in standard errors (SE) of the estimator at n = 200 000:
// mean: SE = sd/√n; a sample p-quantile: SE = √(p(1 − p)/n) / f(x_p) (asymptotic normality of
// order statistics, e.g. Serfling 1980 §2.3). Each bound is ≥ 5 SE, so it fails only for a
// wrong formula, not for an unlucky seed (and the seed is fixed anyway).
const minOf = (xs: number[]) => xs.reduce((a, b) => Math.min(a, b), Infinity);
const maxOf = (xs: number[]) => xs.reduce((a, b) => Math.max(a, b), -Infinity);
const se = (spec: UncertainSpec, n = N) => Math.sqrt(uncertainVariance(spec) / n);

describe('closed-form moments', () => {
  // Textbook: triangular mean (a + b + c)/3, variance (a² + b² + c² − ab − ac − bc)/18.
  it('triangular mean and variance follow the closed forms', () => {
    const t = { dist: 'triangular', min: 0, mode: 3, max: 9 } as const;
    expect(uncertainMean(t)).toBe(4);
    expect(uncertainVariance(t)).toBeCloseTo((0 + 81 + 9 - 0 - 0 - 27) / 18, 12);
  });

  it('uniform, fixed and lognormal moments follow the closed forms', () => {
    expect(uncertainMean({ dist: 'uniform', min: 2, max: 6 })).toBe(4);
    expect(uncertainVariance({ dist: 'uniform', min: 0, max: 6 })).toBe(3);
    expect(uncertainMean({ dist: 'fixed', value: 7 })).toBe(7);
    expect(uncertainVariance({ dist: 'fixed', value: 7 })).toBe(0);
    const s = Math.log(24 / 4) / 1.2815515655446004;
    const l = { dist: 'lognormal', median: 4, p90: 24 } as const;
    expect(uncertainMean(l)).toBeCloseTo(4 * Math.exp((s * s) / 2), 12);
    expect(uncertainVariance(l)).toBeCloseTo((Math.exp(s * s) - 1) * 16 * Math.exp(s * s), 9);
  });

  it('percentiles are the inverse CDF at 0.1, 0.5 and 0.9', () => {
    expect(uncertainPercentiles({ dist: 'uniform', min: 0, max: 10 })).toEqual({
      p10: 1,
      p50: 5,
      p90: 9,
    });
    const l = uncertainPercentiles({ dist: 'lognormal', median: 4, p90: 24 });
    expect(l.p50).toBe(4);
    expect(l.p90).toBe(24);
    expect(l.p10).toBeCloseTo(16 / 24, 12);
    // Symmetric triangular (0, 5, 10): P50 = 5; P10 = √(0.1·10·5) = √5.
    const t = uncertainPercentiles({ dist: 'triangular', min: 0, mode: 5, max: 10 });
    expect(t.p50).toBeCloseTo(5, 12);
    expect(t.p10).toBeCloseTo(Math.sqrt(5), 12);
    expect(t.p90).toBeCloseTo(10 - Math.sqrt(5), 12);
  });

  it('the triangular inverse CDF hits min, mode and max at 0, F(mode) and 1', () => {
    const t = { min: 1, mode: 2, max: 5 };
    expect(triangularQuantile(t, 0)).toBe(1);
    expect(triangularQuantile(t, 0.25)).toBeCloseTo(2, 12); // F(mode) = (2 − 1)/(5 − 1)
    expect(triangularQuantile(t, 1)).toBe(5);
    expect(triangularQuantile({ min: 0, mode: 0, max: 1 }, 0.75)).toBeCloseTo(0.5, 12);
    expect(triangularQuantile({ min: 3, mode: 3, max: 3 }, 0.4)).toBe(3);
  });
});

describe('sampleUncertain', () => {
  // Triangular (0, 3, 9): sd ≈ 1.87, SE of the mean ≈ 0.0042; bound 0.03 ≈ 7 SE.
  // Quantile SEs: density at P10 (≈ 1.64) is 2(x − a)/((b − a)(c − a)) ≈ 0.122, SE ≈ 0.0055;
  // at P50 (≈ 3.80) and P90 (≈ 6.68) 2(b − x)/((b − a)(b − c)) ≈ 0.192 and 0.086, SE ≈ 0.0058
  // and 0.0078; bounds 0.05 ≥ 6 SE.
  it('triangular draws match the closed-form mean and percentiles', () => {
    const t = { dist: 'triangular', min: 0, mode: 3, max: 9 } as const;
    const xs = draws(t);
    expect(se(t)).toBeLessThan(0.005);
    expect(Math.abs(mean(xs) - 4)).toBeLessThan(0.03);
    const p = uncertainPercentiles(t);
    expect(Math.abs(quantile(xs, 0.1) - p.p10)).toBeLessThan(0.05);
    expect(Math.abs(quantile(xs, 0.5) - p.p50)).toBeLessThan(0.05);
    expect(Math.abs(quantile(xs, 0.9) - p.p90)).toBeLessThan(0.05);
    expect(minOf(xs)).toBeGreaterThanOrEqual(0);
    expect(maxOf(xs)).toBeLessThanOrEqual(9);
  });

  // Lognormal (median 4, p90 24): σ ≈ 1.40. Sample median SE ≈ 1.2533·σ/√n ≈ 0.39 % and p90
  // ≈ 0.53 % (relative, from ln X normal); bounds 2 % / 3 % ≥ 5 SE. The mean has a heavy
  // tail (sd/mean ≈ 2.5, SE ≈ 0.56 %); bound 4 % ≈ 7 SE.
  it('lognormal draws have the stated median and p90 and the closed-form mean', () => {
    const l = { dist: 'lognormal', median: 4, p90: 24 } as const;
    const xs = draws(l);
    expect(Math.abs(quantile(xs, 0.5) / 4 - 1)).toBeLessThan(0.02);
    expect(Math.abs(quantile(xs, 0.9) / 24 - 1)).toBeLessThan(0.03);
    expect(se(l) / uncertainMean(l)).toBeLessThan(0.006);
    expect(Math.abs(mean(xs) / uncertainMean(l) - 1)).toBeLessThan(0.04);
  });

  // Uniform [2, 6): SE of the mean 1.155/√n ≈ 0.0026 (bound 0.02 ≈ 8 SE); quantile SE
  // √(0.09/n)·4 ≈ 0.0027 (bound 0.02 ≈ 7 SE).
  it('uniform draws stay in [min, max) with the closed-form mean and percentiles', () => {
    const u = { dist: 'uniform', min: 2, max: 6 } as const;
    const xs = draws(u);
    expect(minOf(xs)).toBeGreaterThanOrEqual(2);
    expect(maxOf(xs)).toBeLessThan(6);
    expect(Math.abs(mean(xs) - 4)).toBeLessThan(0.02);
    expect(Math.abs(quantile(xs, 0.1) - 2.4)).toBeLessThan(0.02);
    expect(Math.abs(quantile(xs, 0.9) - 5.6)).toBeLessThan(0.02);
  });

  it('a fixed spec always gives its value and draws nothing from the stream', () => {
    const rng = createRng(3, 's');
    expect(sampleUncertain({ dist: 'fixed', value: 2.5 }, rng)).toBe(2.5);
    expect(rng.next()).toBe(createRng(3, 's').next());
  });

  // The shared kinds use the serving twin's formulas, so the same stream gives the same value.
  it('lognormal and uniform draws equal median·exp(σ·Z) and min + width·U from the stream', () => {
    const a = createRng(9, 'x');
    const b = createRng(9, 'x');
    const sigma = Math.log(24 / 4) / 1.2815515655446004;
    expect(sampleUncertain({ dist: 'lognormal', median: 4, p90: 24 }, a)).toBeCloseTo(
      4 * Math.exp(sigma * b.nextNormal()),
      12,
    );
    expect(sampleUncertain({ dist: 'uniform', min: 1, max: 3 }, a)).toBe(1 + 2 * b.next());
  });

  it('draws of any valid triangular stay within [min, max] (property)', () => {
    fc.assert(
      fc.property(
        fc.tuple(
          fc.double({ min: -1e6, max: 1e6, noNaN: true }),
          fc.double({ min: -1e6, max: 1e6, noNaN: true }),
          fc.double({ min: -1e6, max: 1e6, noNaN: true }),
        ),
        fc.integer(),
        (abc, seed) => {
          const [min, mode, max] = [...abc].sort((x, y) => x - y) as [number, number, number];
          const xs = draws({ dist: 'triangular', min, mode, max }, 50, seed);
          return xs.every((x) => x >= min && x <= max);
        },
      ),
    );
  });

  // Found by the property above: width² underflowed to a subnormal whose root overshot max − min.
  it('stays within [min, max] for a range so narrow its square is subnormal', () => {
    const t = { min: 0, mode: 0, max: 1.5722449814209286e-162 };
    for (const u of [0, 0.25, 0.5, 0.999]) {
      const x = triangularQuantile(t, u);
      expect(x).toBeGreaterThanOrEqual(t.min);
      expect(x).toBeLessThanOrEqual(t.max);
    }
    expect(triangularQuantile({ min: 0, mode: 0, max: 1 }, 0.75)).toBe(0.5);
  });

  it('rejects invalid parameters with the function and the requirement named', () => {
    const bad: UncertainSpec[] = [
      { dist: 'triangular', min: 0, mode: 5, max: 4 },
      { dist: 'uniform', min: 5, max: 1 },
      { dist: 'lognormal', median: 5, p90: 2 },
      { dist: 'fixed', value: Number.NaN },
    ];
    for (const b of bad)
      expect(() => createUncertainSampler(b)).toThrow(/createUncertainSampler: .* needs|must/);
    expect(() => uncertainMean(bad[0]!)).toThrow(/uncertainMean: triangular needs/);
  });

  it('describes a spec in words', () => {
    expect(describeUncertain({ dist: 'triangular', min: 1, mode: 2, max: 4 })).toBe(
      'triangular(1, 2, 4)',
    );
    expect(describeUncertain({ dist: 'lognormal', median: 4, p90: 24 })).toBe(
      'lognormal(median 4, p90 24)',
    );
  });
});
