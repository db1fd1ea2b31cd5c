import { requireArg } from '../../core/errors.js';
import { refuse, type EnergyOutcome } from './energy-refusal.js';
import type { TimeWindow } from './power-sample.js';
import {
  MAX_SAMPLE_GAP_SECONDS,
  MIN_POWER_SAMPLES_IN_WINDOW,
  minimumWindowSeconds,
} from './source-resolution.js';

/** One power reading of one device: monotonic seconds and watts. */
export interface PowerPoint {
  timestampSeconds: number;
  powerWatts: number;
}

export interface TrapezoidEnergy {
  energyJoules: number;
  /** Samples strictly inside the window (the edges are interpolated). */
  samplesInWindow: number;
  largestGapSeconds: number;
  minWindowSeconds: number;
}

export interface TrapezoidOptions {
  /** Documented update/averaging period of the power field, seconds (see source-resolution). */
  sourcePeriodSeconds: number;
  maxGapSeconds?: number;
  minSamplesInWindow?: number;
  minWindowPeriods?: number;
}

/**
 * Energy of one device over `window` by trapezoid integration of power samples:
 *
 *     E = Σ ½ (P_i + P_{i+1}) (t_{i+1} − t_i)   over the samples in the window,
 *
 * with the power at the window edges interpolated linearly between the bracketing samples.
 * Units: seconds and watts in, joules out. O(n) in the number of samples.
 *
 * Refuses (returns `ok: false`) when the samples do not bracket the window, when any gap
 * between consecutive samples overlapping the window exceeds 3 s (InferenceX
 * utils/aggregate_power.py), when fewer than 10 samples fall inside the window, or when the
 * window is shorter than `10 × max(sourcePeriodSeconds, largest gap)`.
 *
 * @throws AifError E_INVALID_ARGUMENT when samples are not sorted by time.
 * @example integratePowerTrapezoid(points100WFor20s, { startSeconds: 5, endSeconds: 15 },
 *   { sourcePeriodSeconds: 1 }) // → ok, 1000 J
 */
export function integratePowerTrapezoid(
  points: readonly PowerPoint[],
  window: TimeWindow,
  options: TrapezoidOptions,
): EnergyOutcome<TrapezoidEnergy> {
  const { startSeconds: a, endSeconds: b } = window;
  const maxGap = options.maxGapSeconds ?? MAX_SAMPLE_GAP_SECONDS;
  const minSamples = options.minSamplesInWindow ?? MIN_POWER_SAMPLES_IN_WINDOW;
  for (let i = 1; i < points.length; i++) {
    requireArg(
      points[i]!.timestampSeconds >= points[i - 1]!.timestampSeconds,
      'integratePowerTrapezoid',
      'samples must be sorted by timestampSeconds',
    );
  }
  if (!(b > a)) {
    return refuse('invalid-window', `window end ${b} s is not after its start ${a} s`, {
      startSeconds: a,
      endSeconds: b,
    });
  }
  if (points.length === 0) return refuse('no-samples', 'no power samples');
  const first = points[0]!;
  const last = points[points.length - 1]!;
  if (first.timestampSeconds > a || last.timestampSeconds < b) {
    return refuse(
      'window-not-covered',
      `power samples span ${first.timestampSeconds}–${last.timestampSeconds} s but the window is ${a}–${b} s`,
      { firstSampleSeconds: first.timestampSeconds, lastSampleSeconds: last.timestampSeconds },
    );
  }
  // Index of the last sample at or before a, and of the first sample at or after b.
  let lo = 0;
  while (lo + 1 < points.length && points[lo + 1]!.timestampSeconds <= a) lo++;
  let hi = points.length - 1;
  while (hi - 1 >= 0 && points[hi - 1]!.timestampSeconds >= b) hi--;

  let largestGap = 0;
  for (let i = lo; i < hi; i++) {
    largestGap = Math.max(
      largestGap,
      points[i + 1]!.timestampSeconds - points[i]!.timestampSeconds,
    );
  }
  const windowSeconds = b - a;
  const minWindow = minimumWindowSeconds(
    options.sourcePeriodSeconds,
    largestGap,
    options.minWindowPeriods,
  );
  if (largestGap > maxGap) {
    return refuse(
      'sample-gap',
      `a gap of ${round(largestGap)} s between power samples exceeds the ${maxGap} s limit`,
      { largestGapSeconds: largestGap, maxGapSeconds: maxGap },
    );
  }
  const inside = points.filter((p) => p.timestampSeconds > a && p.timestampSeconds < b);
  if (inside.length < minSamples) {
    return refuse(
      'too-few-samples',
      `${inside.length} power samples inside the window; at least ${minSamples} are required`,
      { samplesInWindow: inside.length, minSamplesInWindow: minSamples },
    );
  }
  if (windowSeconds < minWindow * (1 - 1e-9)) {
    return refuse(
      'window-too-short',
      `window of ${round(windowSeconds)} s is shorter than the ${round(minWindow)} s minimum (10 × max(source period ${options.sourcePeriodSeconds} s, largest gap ${round(largestGap)} s))`,
      { windowSeconds, minWindowSeconds: minWindow },
    );
  }
  const edge = (t: number): PowerPoint => ({
    timestampSeconds: t,
    powerWatts: interpolate(points, t, (p) => p.powerWatts),
  });
  const series = [edge(a), ...inside, edge(b)];
  let energyJoules = 0;
  for (let i = 1; i < series.length; i++) {
    const p0 = series[i - 1]!;
    const p1 = series[i]!;
    energyJoules +=
      0.5 * (p0.powerWatts + p1.powerWatts) * (p1.timestampSeconds - p0.timestampSeconds);
  }
  return {
    ok: true,
    value: {
      energyJoules,
      samplesInWindow: inside.length,
      largestGapSeconds: largestGap,
      minWindowSeconds: minWindow,
    },
  };
}

/** Linear interpolation of `value` at time `t`; `points` sorted and bracketing `t`. */
export function interpolate<T extends { timestampSeconds: number }>(
  points: readonly T[],
  t: number,
  value: (p: T) => number,
): number {
  for (let i = 1; i < points.length; i++) {
    const p0 = points[i - 1]!;
    const p1 = points[i]!;
    if (p0.timestampSeconds <= t && t <= p1.timestampSeconds) {
      const span = p1.timestampSeconds - p0.timestampSeconds;
      if (span === 0) return value(p1);
      const f = (t - p0.timestampSeconds) / span;
      return value(p0) + f * (value(p1) - value(p0));
    }
  }
  // Single point exactly at t.
  const only = points.find((p) => p.timestampSeconds === t);
  requireArg(only !== undefined, 'interpolate', `t = ${t} s must lie within the samples`);
  return value(only);
}

const round = (x: number): number => Math.round(x * 1000) / 1000;
