import { describe, expect, it } from 'vitest';
import { ERROR_CODES, isAifError } from '../../core/errors.js';
import { createRng } from '../../core/rng.js';
import { mean, quantile } from '../../core/stats.js';
import { createFailureProcess, type FailureProcessOptions } from './process.js';
import { weibullFromUniform, weibullScaleForMean } from './weibull.js';

const HOUR = 3600;
const base = (over: Partial<FailureProcessOptions> = {}): FailureProcessOptions => ({
  acceleratorsPerReplica: 8,
  mtbfHours: 1000,
  repairHours: { dist: 'lognormal', median: 4, p90: 24 },
  rng: createRng(42, 'failures'),
  ...over,
});
const draws = <T>(n: number, f: () => T): T[] => Array.from({ length: n }, f);

describe('createFailureProcess', () => {
  it('fails a replica of G exponential accelerators every MTBF/G on average (20,000 draws, ±3%)', () => {
    const p = createFailureProcess(base());
    expect(p.acceleratorMeanTimeToFailureHours).toBe(125);
    // relative σ of the mean = 1/√20000 ≈ 0.7% ⇒ 3% is > 4σ
    const m = mean(draws(20000, () => p.nextFailureDelaySeconds())) / HOUR;
    expect(Math.abs(m / 125 - 1)).toBeLessThan(0.03);
  });

  it('gives exponential times the survival e^(−1) at the mean (20,000 draws, ±0.01)', () => {
    const p = createFailureProcess(base());
    const xs = draws(20000, () => p.nextFailureDelaySeconds() / HOUR);
    // binomial σ = √(0.368·0.632/20000) ≈ 0.0034
    expect(Math.abs(xs.filter((x) => x > 125).length / xs.length - Math.exp(-1))).toBeLessThan(
      0.01,
    );
  });

  it('matches the Weibull closed-form mean MTBF·G^(−1/k) for k = 0.75 (40,000 draws, ±4%)', () => {
    const p = createFailureProcess(base({ weibullShape: 0.75 }));
    // 1000 · 8^(−4/3) = 62.5 h; CV of Weibull(0.75) ≈ 1.35 ⇒ relative σ of the mean ≈ 0.7%
    expect(p.acceleratorMeanTimeToFailureHours).toBeCloseTo(62.5, 10);
    const m = mean(draws(40000, () => p.nextFailureDelaySeconds())) / HOUR;
    expect(Math.abs(m / 62.5 - 1)).toBeLessThan(0.04);
  });

  it('agrees with the brute-force minimum of G separately drawn Weibull accelerators (±4%)', () => {
    const shape = 0.75;
    const scale = weibullScaleForMean(1000, shape);
    const rng = createRng(7, 'brute-force');
    const brute = draws(20000, () =>
      Math.min(...draws(8, () => weibullFromUniform(rng.next(), scale, shape))),
    );
    const p = createFailureProcess(base({ weibullShape: shape, rng: createRng(8, 'closed') }));
    const closed = draws(20000, () => p.nextFailureDelaySeconds() / HOUR);
    expect(Math.abs(mean(brute) / mean(closed) - 1)).toBeLessThan(0.04);
    expect(Math.abs(quantile(brute, 0.5) / quantile(closed, 0.5) - 1)).toBeLessThan(0.04);
  });

  it('adds the node component as a competing exponential (rate 8/1000 + 2/1000 per hour)', () => {
    const p = createFailureProcess(base({ nodesPerReplica: 2, nodeMtbfHours: 1000 }));
    expect(p.nodeFailureRatePerHour).toBeCloseTo(0.002, 15);
    const xs = draws(20000, () => p.nextFailure());
    // mean 1/0.01 = 100 h (±3%); node share 0.002/0.01 = 0.2 (binomial σ ≈ 0.003, ±0.015)
    expect(Math.abs(mean(xs.map((x) => x.delaySeconds / HOUR)) / 100 - 1)).toBeLessThan(0.03);
    const nodeShare = xs.filter((x) => x.cause === 'node').length / xs.length;
    expect(Math.abs(nodeShare - 0.2)).toBeLessThan(0.015);
  });

  it('draws repair times whose median is the stated median (20,001 draws, ±4%)', () => {
    const p = createFailureProcess(base());
    // σ of the sample median ≈ 4·1.40·1.25/√20001 ≈ 0.05 h ≈ 1.2%
    const med = quantile(
      draws(20001, () => p.repairDelaySeconds()),
      0.5,
    );
    expect(Math.abs(med / (4 * HOUR) - 1)).toBeLessThan(0.04);
  });

  it('repeats the same timeline for the same seed', () => {
    const run = () => {
      const p = createFailureProcess(base({ nodesPerReplica: 1, nodeMtbfHours: 500 }));
      return draws(5, () => [p.nextFailureDelaySeconds(), p.repairDelaySeconds()]);
    };
    expect(run()).toEqual(run());
  });

  it('refuses a replica without accelerators, a zero MTBF and nodes without a node MTBF', () => {
    expect(() => createFailureProcess(base({ acceleratorsPerReplica: 0 }))).toThrow(
      /acceleratorsPerReplica must be an integer ≥ 1/,
    );
    expect(() => createFailureProcess(base({ mtbfHours: 0 }))).toThrow(/mtbfHours/);
    expect(() => createFailureProcess(base({ nodesPerReplica: 1 }))).toThrow(/nodeMtbfHours/);
  });

  it('refuses a negative repair draw', () => {
    const p = createFailureProcess(base({ repairHours: { dist: 'fixed', value: -1 } }));
    expect(() => p.repairDelaySeconds()).toThrow(/repair time must be ≥ 0 hours/);
  });

  it('reports invalid options with the stable code E_INVALID_ARGUMENT', () => {
    try {
      createFailureProcess(base({ weibullShape: 0 }));
      expect.unreachable();
    } catch (e) {
      expect(isAifError(e) && e.code).toBe(ERROR_CODES.INVALID_ARGUMENT);
    }
  });
});
