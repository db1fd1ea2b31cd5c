import { describe, expect, it } from 'vitest';
import { generateDemandProfile, type DemandProfileOptions } from './demand-profile.js';
import { loadDurationPeriods } from './demand-load-duration.js';
import { replicasForDemand } from './demand-replicas.js';

const base: DemandProfileOptions = {
  baseline: 100,
  diurnalAmplitude: 0.4,
  weeklyAmplitude: 0.1,
  annualGrowth: 0.5,
  noiseCv: 0.05,
  seed: 7,
  years: 2,
};
const mean = (xs: readonly number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;

describe('generateDemandProfile', () => {
  it('gives the same array for the same seed and a different one for another seed', () => {
    const a = generateDemandProfile(base);
    expect(generateDemandProfile(base)).toEqual(a);
    expect(generateDemandProfile({ ...base, seed: 8 })).not.toEqual(a);
    expect(a).toHaveLength(2 * 8760);
  });

  it('grows each year by the annual growth factor', () => {
    const d = generateDemandProfile(base);
    const ratio = mean(d.slice(8760)) / mean(d.slice(0, 8760));
    expect(ratio).toBeGreaterThan(1.48);
    expect(ratio).toBeLessThan(1.52);
    // First-year mean of a continuously compounded baseline: b·g/ln(1+g) (cycles average out).
    expect(mean(d.slice(0, 8760)) / (100 * (0.5 / Math.log(1.5)))).toBeCloseTo(1, 2);
  });

  it('peaks at the stated hour of day with the stated amplitude', () => {
    const d = generateDemandProfile({ ...base, annualGrowth: 0, years: 1 });
    const atHour = (hour: number) => mean(d.filter((_, h) => h % 24 === hour));
    expect(atHour(14) / atHour(2)).toBeCloseTo(1.4 / 0.6, 1);
  });
});

describe('loadDurationPeriods', () => {
  it('sorts each period and preserves replica-hours in its blocks', () => {
    const d = generateDemandProfile(base);
    const periods = loadDurationPeriods(d, { periodMonths: 6, blocksPerPeriod: 5 });
    expect(periods).toHaveLength(4);
    const total = periods.flatMap((p) => p.blocks).reduce((s, b) => s + b.hours * b.meanDemand, 0);
    expect(total).toBeCloseTo(
      d.reduce((s, x) => s + x, 0),
      6,
    );
    const blocks = periods[0]!.blocks;
    expect(blocks.reduce((s, b) => s + b.hours, 0)).toBe(4380);
    for (let i = 1; i < blocks.length; i++)
      expect(blocks[i]!.meanDemand).toBeLessThanOrEqual(blocks[i - 1]!.minDemand);
  });

  it('rejects a period length that does not divide a year', () => {
    expect(() => loadDurationPeriods([1], { periodMonths: 5, blocksPerPeriod: 1 })).toThrow(
      /divides 12/,
    );
  });
});

describe('replicasForDemand', () => {
  it('divides tokens per second by the capacity at the SLO', () => {
    expect(replicasForDemand([0, 500, 1500], 1000)).toEqual([0, 0.5, 1.5]);
  });
});
