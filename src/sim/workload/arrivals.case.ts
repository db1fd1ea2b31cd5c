/**
 * Conformance suite for arrival processes (STYLE: one shared `*.case.ts` run against every
 * implementation, like hono's `common.case.test.ts`). Framework-free so that this non-test file
 * stays inside the pure layer: each check throws an Error describing the violation, and
 * `arrivals.test.ts` runs every check against every case.
 */
import type { ArrivalProcess } from './arrivals.js';

/** One process under test, with what its spec promises. */
export interface ArrivalCase {
  name: string;
  /** A fresh process drawing from streams of `seed`. */
  create(seed: number): ArrivalProcess;
  /** Long-run arrivals per second the spec states. */
  expectedRatePerSecond: number;
  /** Arrivals are counted over [0, horizonSeconds] (a whole number of periods when periodic). */
  horizonSeconds: number;
  /** Relative tolerance of the measured rate (state the statistics behind it). */
  rateTolerance: number;
  /** Coefficient of variation of the gaps the spec states, when it states one. */
  expectedGapCv?: number;
  gapCvTolerance?: number;
  /** Whether different seeds must give different sequences (false for replayed traces). */
  random: boolean;
}

export interface ArrivalCheck {
  name: string;
  /** Whether the check applies to the case. */
  appliesTo(c: ArrivalCase): boolean;
  /** Throws an Error naming the violation. */
  run(c: ArrivalCase): void;
}

function take(process: ArrivalProcess, n: number): number[] {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = process.nextArrivalSeconds();
    if (t === undefined) break;
    times.push(t);
  }
  return times;
}

function fail(message: string): never {
  throw new Error(message);
}

/** The invariants every arrival process keeps. */
export const ARRIVAL_CHECKS: readonly ArrivalCheck[] = [
  {
    name: 'never moves time backwards and starts at or after 0',
    appliesTo: () => true,
    run: (c) => {
      const times = take(c.create(1), 20_000);
      if (times.length === 0) fail('no arrivals');
      let previous = 0;
      for (const [i, t] of times.entries()) {
        if (!(t >= previous && Number.isFinite(t)))
          fail(`arrival ${i} at ${t} s is before ${previous} s`);
        previous = t;
      }
    },
  },
  {
    name: 'repeats its sequence for the same seed',
    appliesTo: () => true,
    run: (c) => {
      const a = take(c.create(7), 2_000);
      const b = take(c.create(7), 2_000);
      if (a.length !== b.length || a.some((t, i) => t !== b[i]))
        fail('two processes with seed 7 gave different sequences');
    },
  },
  {
    name: 'gives a different sequence for a different seed',
    appliesTo: (c) => c.random,
    run: (c) => {
      const a = take(c.create(7), 100);
      const b = take(c.create(8), 100);
      if (a.every((t, i) => t === b[i])) fail('seeds 7 and 8 gave the same sequence');
    },
  },
  {
    name: 'arrives at the stated long-run rate',
    appliesTo: () => true,
    run: (c) => {
      const process = c.create(11);
      let count = 0;
      for (;;) {
        const t = process.nextArrivalSeconds();
        if (t === undefined || t > c.horizonSeconds) break;
        count++;
      }
      const rate = count / c.horizonSeconds;
      const error = Math.abs(rate / c.expectedRatePerSecond - 1);
      if (!(error <= c.rateTolerance))
        fail(
          `rate ${rate.toFixed(4)}/s vs stated ${c.expectedRatePerSecond}/s: error ${(100 * error).toFixed(2)} % > ${100 * c.rateTolerance} %`,
        );
    },
  },
  {
    name: 'has gaps with the stated coefficient of variation',
    appliesTo: (c) => c.expectedGapCv !== undefined,
    run: (c) => {
      const times = take(c.create(13), 100_001);
      let sum = 0;
      let sumSquares = 0;
      for (let i = 1; i < times.length; i++) {
        const gap = times[i]! - times[i - 1]!;
        sum += gap;
        sumSquares += gap * gap;
      }
      const n = times.length - 1;
      const mean = sum / n;
      const cv = Math.sqrt(sumSquares / n - mean * mean) / mean;
      const error = Math.abs(cv / c.expectedGapCv! - 1);
      if (!(error <= (c.gapCvTolerance ?? 0.05)))
        fail(`gap cv ${cv.toFixed(3)} vs stated ${c.expectedGapCv}`);
    },
  },
];
