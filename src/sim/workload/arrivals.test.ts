import { describe, expect, it } from 'vitest';
import { createRng } from '../../core/rng.js';
import { ARRIVAL_CHECKS, type ArrivalCase } from './arrivals.case.js';
import {
  ARRIVAL_PROCESSES,
  createArrivalProcess,
  createDiurnalArrivals,
  createTraceArrivals,
  type ArrivalSpec,
} from './arrivals.js';

const fromSpec = (spec: ArrivalSpec) => (seed: number) =>
  createArrivalProcess(spec, createRng(seed, 'arrivals'));

/** A recorded trace: Poisson at 5/s for 25 000 s, generated once from a fixed stream. */
const recorded: number[] = (() => {
  const rng = createRng(99, 'recorded-trace');
  const times: number[] = [];
  let t = 0;
  while (t < 25_000) times.push((t += rng.nextExponential(5)));
  return times;
})();

// Tolerances: a renewal process counted over a horizon holding N ≈ 100 000 arrivals has a count
// standard deviation ≈ cv·√N, i.e. 0.3 % (cv 1) to 0.6 % (cv 2); ±3 % is > 5 sd. Diurnal counts
// are Poisson over whole periods (0.3 %); the trace is deterministic up to its last partial gap.
const CASES: ArrivalCase[] = [
  {
    name: 'poisson',
    create: fromSpec({ process: 'poisson', ratePerSecond: 20 }),
    expectedRatePerSecond: 20,
    horizonSeconds: 5_000,
    rateTolerance: 0.03,
    expectedGapCv: 1,
    random: true,
  },
  {
    name: 'gamma, bursty (cv 2)',
    create: fromSpec({ process: 'gamma', ratePerSecond: 20, cv: 2 }),
    expectedRatePerSecond: 20,
    horizonSeconds: 5_000,
    rateTolerance: 0.03,
    expectedGapCv: 2,
    gapCvTolerance: 0.05,
    random: true,
  },
  {
    name: 'gamma, regular (cv 0.5)',
    create: fromSpec({ process: 'gamma', ratePerSecond: 20, cv: 0.5 }),
    expectedRatePerSecond: 20,
    horizonSeconds: 5_000,
    rateTolerance: 0.03,
    expectedGapCv: 0.5,
    gapCvTolerance: 0.05,
    random: true,
  },
  {
    name: 'diurnal, hourly steps',
    create: fromSpec({
      process: 'diurnal',
      meanRatePerSecond: 10,
      profile: [
        1, 1, 0.5, 0.2, 0.2, 0.5, 1, 2, 3, 3, 3, 2.5, 2, 2, 2.5, 3, 3, 2.5, 2, 1.5, 1, 1, 1, 1,
      ],
      periodSeconds: 100,
    }),
    expectedRatePerSecond: 10,
    horizonSeconds: 10_000,
    rateTolerance: 0.03,
    random: true,
  },
  {
    name: 'diurnal, linear between points',
    create: fromSpec({
      process: 'diurnal',
      meanRatePerSecond: 10,
      profile: [
        { hour: 4, multiplier: 0.2 },
        { hour: 14, multiplier: 3 },
        { hour: 20, multiplier: 1 },
      ],
      periodSeconds: 100,
    }),
    expectedRatePerSecond: 10,
    horizonSeconds: 10_000,
    rateTolerance: 0.03,
    random: true,
  },
  {
    name: 'trace replay at twice the speed',
    create: fromSpec({ process: 'trace', arrivalSeconds: recorded, timeScale: 2 }),
    expectedRatePerSecond: 10,
    horizonSeconds: 12_000,
    rateTolerance: 0.03,
    random: false,
  },
];

describe.each(CASES)('arrival process conformance: $name', (c) => {
  it.each(ARRIVAL_CHECKS.filter((check) => check.appliesTo(c)))('$name', (check) => {
    expect(() => check.run(c)).not.toThrow();
  });
});

describe('arrival conformance suite', () => {
  it('covers every registered arrival process', () => {
    const covered = new Set(CASES.map((c) => c.create(1).name));
    expect([...covered].sort()).toEqual(Object.keys(ARRIVAL_PROCESSES).sort());
  });

  it('catches a process whose time runs backwards', () => {
    let t = 10;
    const backwards: ArrivalCase = {
      ...CASES[0]!,
      create: () => ({ name: 'broken', nextArrivalSeconds: () => (t -= 1) }),
    };
    expect(() => ARRIVAL_CHECKS[0]!.run(backwards)).toThrow(/before/);
  });
});

describe('diurnal arrivals', () => {
  // Two slots per period, multipliers 3 and 1: rates 15/s and 5/s around a mean of 10/s, so the
  // first half of each period holds 3/4 of the arrivals (~75 000 of 100 000; sd ≈ 140).
  it('arrive in proportion to the profile multipliers', () => {
    const process = createDiurnalArrivals(
      { process: 'diurnal', meanRatePerSecond: 10, profile: [3, 1], periodSeconds: 100 },
      createRng(5, 'diurnal'),
    );
    let high = 0;
    let total = 0;
    for (let t = process.nextArrivalSeconds()!; t <= 10_000; t = process.nextArrivalSeconds()!) {
      total++;
      if (t % 100 < 50) high++;
    }
    expect(Math.abs(high / total - 0.75)).toBeLessThan(0.01);
  });

  it('defaults to a day-long period', () => {
    // All traffic in hour 23: every arrival falls in [82 800, 86 400) s of each day.
    const profile = Array.from({ length: 24 }, (_, h) => (h === 23 ? 1 : 0));
    const process = createDiurnalArrivals(
      { process: 'diurnal', meanRatePerSecond: 0.01, profile },
      createRng(5, 'diurnal'),
    );
    for (let i = 0; i < 200; i++) {
      const t = process.nextArrivalSeconds()!;
      expect(t % 86_400).toBeGreaterThanOrEqual(82_800);
    }
  });

  it('rejects a profile that is zero everywhere or negative', () => {
    const rng = createRng(1, 'd');
    expect(() =>
      createDiurnalArrivals({ process: 'diurnal', meanRatePerSecond: 1, profile: [0, 0] }, rng),
    ).toThrow(/zero everywhere/);
    expect(() =>
      createDiurnalArrivals({ process: 'diurnal', meanRatePerSecond: 1, profile: [1, -1] }, rng),
    ).toThrow(/≥ 0/);
  });
});

describe('trace arrivals', () => {
  it('replays recorded times divided by the time scale, then ends', () => {
    const process = createTraceArrivals({
      process: 'trace',
      arrivalSeconds: [0, 1, 1, 4],
      timeScale: 2,
    });
    const times = [1, 2, 3, 4, 5].map(() => process.nextArrivalSeconds());
    expect(times).toEqual([0, 0.5, 0.5, 2, undefined]);
  });

  it('rejects times that decrease', () => {
    expect(() => createTraceArrivals({ process: 'trace', arrivalSeconds: [0, 2, 1] })).toThrow(
      /non-decreasing \(index 2: 1\)/,
    );
  });
});

describe('rate-based arrivals', () => {
  it('reject a non-positive rate or cv with the function named', () => {
    const rng = createRng(1, 'r');
    expect(() => createArrivalProcess({ process: 'poisson', ratePerSecond: 0 }, rng)).toThrow(
      /createPoissonArrivals: ratePerSecond must be > 0/,
    );
    expect(() => createArrivalProcess({ process: 'gamma', ratePerSecond: 1, cv: 0 }, rng)).toThrow(
      /createGammaArrivals: cv must be > 0/,
    );
  });
});
