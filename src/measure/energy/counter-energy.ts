import { requireArg } from '../../core/errors.js';
import { refuse, type EnergyOutcome } from './energy-refusal.js';
import type { TimeWindow } from './power-sample.js';
import { interpolate } from './trapezoid-energy.js';
import { minimumWindowSeconds } from './source-resolution.js';

/** One reading of a cumulative energy counter: monotonic seconds and joules since driver load. */
export interface CounterPoint {
  timestampSeconds: number;
  energyCounterJoules: number;
}

export interface CounterEnergy {
  energyJoules: number;
  /** Readings strictly inside the window. */
  readingsInWindow: number;
  largestGapSeconds: number;
  minWindowSeconds: number;
  /** How many times the counter wrapped around its modulus within the readings used. */
  wraps: number;
}

export interface CounterOptions {
  /** Counter update period, seconds (NVML: ≤ 0.1 s, see source-resolution). */
  sourcePeriodSeconds: number;
  /**
   * Value at which the counter wraps to 0, joules. NVML's counter is an unsigned 64-bit count of
   * millijoules (2^64 mJ ≈ 1.8e16 J, never reached in practice); set this for narrower counters.
   * Without it, a decrease is read as a reset (driver reload) and the window is refused.
   */
  wrapModulusJoules?: number;
  minWindowPeriods?: number;
}

/**
 * Energy of one device over `window` from a cumulative counter:
 *
 *     E = C(end) − C(start)
 *
 * where C at each edge is interpolated linearly between the bracketing readings, after
 * unwrapping: whenever a reading is below its predecessor, `wrapModulusJoules` is added to it
 * and to every later reading. Units: seconds and joules. O(n).
 *
 * Refuses when the readings do not bracket the window, when the counter decreases and no
 * modulus is given (`counter-reset`), when the window is shorter than
 * `10 × max(sourcePeriodSeconds, largest gap between readings)`, or when the counter did not
 * advance (Zeus: windows shorter than the update period read 0 J).
 *
 * @throws AifError E_INVALID_ARGUMENT when readings are not sorted by time.
 * @example differenceEnergyCounter([{ timestampSeconds: 0, energyCounterJoules: 1000 },
 *   { timestampSeconds: 2, energyCounterJoules: 1400 }], { startSeconds: 0, endSeconds: 2 },
 *   { sourcePeriodSeconds: 0.1 }) // → ok, 400 J
 */
export function differenceEnergyCounter(
  readings: readonly CounterPoint[],
  window: TimeWindow,
  options: CounterOptions,
): EnergyOutcome<CounterEnergy> {
  const { startSeconds: a, endSeconds: b } = window;
  for (let i = 1; i < readings.length; i++) {
    requireArg(
      readings[i]!.timestampSeconds >= readings[i - 1]!.timestampSeconds,
      'differenceEnergyCounter',
      'readings must be sorted by timestampSeconds',
    );
  }
  if (!(b > a)) {
    return refuse('invalid-window', `window end ${b} s is not after its start ${a} s`, {
      startSeconds: a,
      endSeconds: b,
    });
  }
  if (readings.length === 0) return refuse('no-samples', 'no energy counter readings');
  const first = readings[0]!;
  const last = readings[readings.length - 1]!;
  if (first.timestampSeconds > a || last.timestampSeconds < b) {
    return refuse(
      'window-not-covered',
      `counter readings span ${first.timestampSeconds}–${last.timestampSeconds} s but the window is ${a}–${b} s`,
      { firstSampleSeconds: first.timestampSeconds, lastSampleSeconds: last.timestampSeconds },
    );
  }
  let lo = 0;
  while (lo + 1 < readings.length && readings[lo + 1]!.timestampSeconds <= a) lo++;
  let hi = readings.length - 1;
  while (hi - 1 >= 0 && readings[hi - 1]!.timestampSeconds >= b) hi--;
  const used = readings.slice(lo, hi + 1);

  const unwrapped = unwrapCounter(used, options.wrapModulusJoules);
  if (!unwrapped.ok) return unwrapped;
  const { points, wraps } = unwrapped.value;

  let largestGap = 0;
  for (let i = 1; i < points.length; i++) {
    largestGap = Math.max(
      largestGap,
      points[i]!.timestampSeconds - points[i - 1]!.timestampSeconds,
    );
  }
  const windowSeconds = b - a;
  const minWindow = minimumWindowSeconds(
    options.sourcePeriodSeconds,
    largestGap,
    options.minWindowPeriods,
  );
  if (windowSeconds < minWindow * (1 - 1e-9)) {
    return refuse(
      'window-too-short',
      `window of ${round(windowSeconds)} s is shorter than the ${round(minWindow)} s minimum (10 × max(counter period ${options.sourcePeriodSeconds} s, largest gap ${round(largestGap)} s))`,
      { windowSeconds, minWindowSeconds: minWindow },
    );
  }
  const at = (t: number): number => interpolate(points, t, (p) => p.energyCounterJoules);
  const energyJoules = at(b) - at(a);
  if (!(energyJoules > 0)) {
    return refuse('counter-not-advanced', `the energy counter did not advance over the window`, {
      energyJoules,
    });
  }
  return {
    ok: true,
    value: {
      energyJoules,
      readingsInWindow: points.filter((p) => p.timestampSeconds > a && p.timestampSeconds < b)
        .length,
      largestGapSeconds: largestGap,
      minWindowSeconds: minWindow,
      wraps,
    },
  };
}

/**
 * Make a counter series non-decreasing by adding `modulus` after each wrap. Without a modulus a
 * decrease is a reset, refused as `counter-reset`. O(n).
 */
export function unwrapCounter(
  readings: readonly CounterPoint[],
  modulusJoules?: number,
): EnergyOutcome<{ points: CounterPoint[]; wraps: number }> {
  const points: CounterPoint[] = [];
  let offset = 0;
  let wraps = 0;
  for (let i = 0; i < readings.length; i++) {
    const r = readings[i]!;
    if (i > 0 && r.energyCounterJoules < readings[i - 1]!.energyCounterJoules) {
      if (modulusJoules === undefined) {
        return refuse(
          'counter-reset',
          `the energy counter fell from ${readings[i - 1]!.energyCounterJoules} J to ${r.energyCounterJoules} J at ${r.timestampSeconds} s and no wrap modulus is known (driver reload?)`,
          { atSeconds: r.timestampSeconds },
        );
      }
      offset += modulusJoules;
      wraps++;
    }
    points.push({
      timestampSeconds: r.timestampSeconds,
      energyCounterJoules: r.energyCounterJoules + offset,
    });
  }
  return { ok: true, value: { points, wraps } };
}

const round = (x: number): number => Math.round(x * 1000) / 1000;
