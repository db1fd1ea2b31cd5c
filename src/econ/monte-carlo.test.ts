import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRng, RNG_ALGORITHM } from '../core/rng.js';
import { quantile } from '../core/stats.js';
import { monteCarlo, PERCENTILE_METHOD, type MonteCarloInputs } from './monte-carlo.js';
import type { ModelInputs } from './sensitivity.js';
import { createUncertainSampler } from './uncertain.js';

// A small TCO-like model: cost per million tokens from capex, energy price and utilisation.
const inputs: MonteCarloInputs = {
  capexUsd: { dist: 'triangular', min: 250_000, mode: 300_000, max: 400_000 },
  priceUsdPerKwh: { dist: 'lognormal', median: 0.08, p90: 0.14 },
  utilization: { dist: 'uniform', min: 0.4, max: 0.8 },
  powerKw: 10,
};
const HOURS = 5 * 8760;
const tco = (x: ModelInputs) => {
  const hourlyUsd = x.capexUsd! / HOURS + x.powerKw! * x.priceUsdPerKwh!;
  const mTokensPerHour = 20 * x.utilization!; // 20 M tokens/h at full load
  return { usdPerMTokens: hourlyUsd / mTokensPerHour, tcoUsd: hourlyUsd * HOURS };
};

describe('monteCarlo', () => {
  it('is byte-reproducible for a fixed seed and differs for another seed', () => {
    const a = monteCarlo(tco, inputs, { seed: 42, samples: 2_000 });
    const b = monteCarlo(tco, inputs, { seed: 42, samples: 2_000 });
    const c = monteCarlo(tco, inputs, { seed: 43, samples: 2_000 });
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    expect(JSON.stringify(c)).not.toBe(JSON.stringify(a));
    expect(c.outputs.usdPerMTokens.p50).not.toBe(a.outputs.usdPerMTokens.p50);
  });

  it('records the algorithm, seed and one named stream per uncertain input', () => {
    const r = monteCarlo(tco, inputs, { seed: 7, samples: 10 });
    expect(r.samples).toBe(10);
    expect(r.percentileMethod).toBe(PERCENTILE_METHOD);
    expect(r.rng).toEqual({
      algorithm: RNG_ALGORITHM,
      seed: 7,
      streams: ['capexUsd', 'priceUsdPerKwh', 'utilization'].map((name) => ({
        algorithm: RNG_ALGORITHM,
        seed: 7,
        stream: `mc:${name}`,
      })),
    });
  });

  it('orders min ≤ P10 ≤ P50 ≤ P90 ≤ max and min ≤ mean ≤ max (property)', () => {
    fc.assert(
      fc.property(fc.integer(), fc.integer({ min: 1, max: 300 }), (seed, samples) => {
        const r = monteCarlo(tco, inputs, { seed, samples });
        for (const s of Object.values(r.outputs)) {
          expect(s.min).toBeLessThanOrEqual(s.p10);
          expect(s.p10).toBeLessThanOrEqual(s.p50);
          expect(s.p50).toBeLessThanOrEqual(s.p90);
          expect(s.p90).toBeLessThanOrEqual(s.max);
          expect(s.mean).toBeGreaterThanOrEqual(s.min * (1 - 1e-12));
          expect(s.mean).toBeLessThanOrEqual(s.max * (1 + 1e-12));
        }
      }),
      { numRuns: 50 },
    );
  });

  // y = 5 + 2x, x ~ U[10, 30): y ~ U[25, 65), P_q = 25 + 40q, mean 45, sd 40/√12 ≈ 11.55.
  // n = 100 000: quantile SE = 40·√(q(1 − q)/n) ≤ 0.063 and mean SE ≈ 0.037; bounds 0.3 and
  // 0.2 are ≥ 4.7 SE.
  it('on a linear model of a uniform input, the summary matches the closed form', () => {
    const r = monteCarlo(
      (x) => 5 + 2 * x.x!,
      { x: { dist: 'uniform', min: 10, max: 30 } },
      { seed: 1, samples: 100_000 },
    );
    const s = r.outputs.output;
    expect(Math.abs(s.p10 - 29)).toBeLessThan(0.3);
    expect(Math.abs(s.p50 - 45)).toBeLessThan(0.3);
    expect(Math.abs(s.p90 - 61)).toBeLessThan(0.3);
    expect(Math.abs(s.mean - 45)).toBeLessThan(0.2);
    expect(Math.abs(s.stdDev - 40 / Math.sqrt(12)) / (40 / Math.sqrt(12))).toBeLessThan(0.01);
    expect(s.min).toBeGreaterThanOrEqual(25);
    expect(s.max).toBeLessThan(65);
  });

  it('percentiles are type 7 of the values drawn from the mc:<input> stream', () => {
    const spec = { dist: 'triangular', min: 1, mode: 2, max: 6 } as const;
    const rng = createRng(5, 'mc:x');
    const sample = createUncertainSampler(spec);
    const xs = Array.from({ length: 101 }, () => sample(rng));
    const s = monteCarlo((x) => x.x!, { x: spec }, { seed: 5, samples: 101 }).outputs.output;
    expect(s.p10).toBe(quantile(xs, 0.1));
    expect(s.p50).toBe(quantile(xs, 0.5));
    expect(s.p90).toBe(quantile(xs, 0.9));
    expect(s.min).toBe(Math.min(...xs));
    expect(s.max).toBe(Math.max(...xs));
  });

  it('summarises every output of a multi-output model from the same draws', () => {
    const opts = { seed: 3, samples: 500 };
    const both = monteCarlo(tco, inputs, opts);
    const perToken = monteCarlo((x) => tco(x).usdPerMTokens, inputs, opts);
    const total = monteCarlo((x) => tco(x).tcoUsd, inputs, opts);
    expect(both.outputs.usdPerMTokens).toEqual(perToken.outputs.output);
    expect(both.outputs.tcoUsd).toEqual(total.outputs.output);
    expect(Object.keys(both.outputs)).toEqual(['usdPerMTokens', 'tcoUsd']);
  });

  it('evaluates the model once per sample', () => {
    let calls = 0;
    monteCarlo(
      (x) => {
        calls++;
        return { a: x.v!, b: 2 * x.v! };
      },
      { v: { dist: 'uniform', min: 0, max: 1 } },
      { seed: 1, samples: 250 },
    );
    expect(calls).toBe(250);
  });

  it('adding an input does not change the draws of the others', () => {
    const x = { dist: 'lognormal', median: 4, p90: 24 } as const;
    const opts = { seed: 11, samples: 300 };
    const alone = monteCarlo((i) => i.x!, { x }, opts);
    const withMore = monteCarlo((i) => i.x!, { a: { dist: 'uniform', min: 0, max: 1 }, x }, opts);
    expect(withMore.outputs).toEqual(alone.outputs);
  });

  it('more samples keep the first draws (prefix property)', () => {
    const seen: number[][] = [[], []];
    for (const [k, samples] of [100, 200].entries())
      monteCarlo(
        (i) => {
          seen[k]!.push(i.x!);
          return i.x!;
        },
        { x: { dist: 'triangular', min: 0, mode: 1, max: 2 } },
        { seed: 2, samples },
      );
    expect(seen[1]!.slice(0, 100)).toEqual(seen[0]);
  });

  it('holds plain-number inputs fixed', () => {
    const r = monteCarlo((i) => i.k! * 2, { k: 21 }, { seed: 1, samples: 5 });
    expect(r.outputs.output).toEqual({
      mean: 42,
      stdDev: 0,
      min: 42,
      p10: 42,
      p50: 42,
      p90: 42,
      max: 42,
    });
    expect(r.rng.streams).toEqual([]);
  });

  it('rejects bad options, specs and model outputs, naming monteCarlo', () => {
    const u = { x: { dist: 'uniform', min: 0, max: 1 } } as const;
    expect(() => monteCarlo((i) => i.x!, u, { seed: 1.5, samples: 10 })).toThrow(
      /monteCarlo: seed must be an integer/,
    );
    expect(() => monteCarlo((i) => i.x!, u, { seed: 1, samples: 0 })).toThrow(/samples must/);
    expect(() =>
      monteCarlo((i) => i.x!, { x: { dist: 'uniform', min: 2, max: 1 } }, { seed: 1, samples: 1 }),
    ).toThrow(/uniform needs/);
    expect(() => monteCarlo(() => Number.NaN, u, { seed: 1, samples: 3 })).toThrow(/finite number/);
    let n = 0;
    expect(() =>
      monteCarlo((): Record<string, number> => (n++ === 0 ? { a: 1 } : { b: 1 }), u, {
        seed: 1,
        samples: 3,
      }),
    ).toThrow(/output 'a' must be a finite number/);
  });
});
