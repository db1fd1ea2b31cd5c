/**
 * Load-duration reduction of an hourly demand profile: per period (a year, or a whole number
 * of months that divides 12), sort the hours by demand, highest first, and bin them into
 * `blocksPerPeriod` blocks of (nearly) equal hour counts. Each block keeps its hours, its mean
 * demand (so replica-hours are preserved exactly) and its peak and minimum.
 *
 * Why sorting is exact for the build-vs-rent LP. In a period, owned and reserved capacity K are
 * the same in every hour, and every other option is priced per hour at that period's price.
 * For fixed K the cheapest rental in hour h solves min Σⱼ cⱼ·rⱼ s.t. Σⱼ δⱼ·rⱼ ≥ d_h − K,
 * 0 ≤ rⱼ ≤ capⱼ — a problem that depends on h only through d_h. The period's cost is therefore
 * Σ_h f(d_h), a symmetric function of the hours: any permutation of them, the sorted one
 * included, has the same optimum. Grouping hours with equal demand into one block of
 * `hours · f(d)` changes nothing either.
 *
 * Binning hours of *different* demand into a block at its mean is exact as long as no kink of f
 * (the capacity levels K, K + δ₁cap₁, …) falls strictly inside the block's demand range, since
 * f is linear there; otherwise f is convex, so the block mean under-states rented cost (Jensen)
 * by at most hours · (peak − min) · (highest rent price per delivered replica-hour). With one
 * block per hour (`blocksPerPeriod` = hours per period) the reduction is exact everywhere.
 * Complexity O(n log n) per period.
 */
import { requireArg } from '../core/errors.js';
import { HOURS_PER_YEAR } from '../core/units.js';

export interface LoadBlock {
  /** Hours in the block. */
  hours: number;
  /** Mean demand over the block's hours (replicas, or the profile's unit). */
  meanDemand: number;
  peakDemand: number;
  minDemand: number;
}

export interface LoadPeriod {
  /** 0-based period index. */
  index: number;
  /** Start of the period, in years from the start of the horizon. */
  startYears: number;
  /** Blocks, highest demand first. */
  blocks: LoadBlock[];
  /** Peak hourly demand in the period. */
  peakDemand: number;
}

export interface LoadDurationOptions {
  /** Months per period; must divide 12. */
  periodMonths: number;
  /** Blocks per period (≥ 1, ≤ hours per period). */
  blocksPerPeriod: number;
}

/** Hours in a period of `periodMonths` months (8760 / 12 · months). */
export const hoursPerPeriod = (periodMonths: number): number =>
  (HOURS_PER_YEAR * periodMonths) / 12;

/**
 * Sort and bin an hourly profile into load-duration blocks per period.
 * The profile's length must be a whole number of periods. Throws `E_INVALID_ARGUMENT`.
 */
export function loadDurationPeriods(
  hourlyDemand: readonly number[],
  options: LoadDurationOptions,
): LoadPeriod[] {
  const fn = 'loadDurationPeriods';
  const { periodMonths, blocksPerPeriod } = options;
  requireArg(
    Number.isInteger(periodMonths) && periodMonths >= 1 && 12 % periodMonths === 0,
    fn,
    'periodMonths must be a whole number of months that divides 12 (1, 2, 3, 4, 6, 12)',
  );
  const hp = hoursPerPeriod(periodMonths);
  requireArg(
    Number.isInteger(blocksPerPeriod) && blocksPerPeriod >= 1 && blocksPerPeriod <= hp,
    fn,
    `blocksPerPeriod must be an integer in [1, ${hp}]`,
  );
  requireArg(
    hourlyDemand.length > 0 && hourlyDemand.length % hp === 0,
    fn,
    `the profile must cover whole periods of ${hp} hours, got ${hourlyDemand.length} hours`,
  );
  requireArg(
    hourlyDemand.every((d) => Number.isFinite(d) && d >= 0),
    fn,
    'hourly demand must be finite and ≥ 0',
  );
  const periods: LoadPeriod[] = [];
  for (let p = 0; p * hp < hourlyDemand.length; p++) {
    const sorted = hourlyDemand.slice(p * hp, (p + 1) * hp).sort((a, b) => b - a);
    const blocks: LoadBlock[] = [];
    for (let b = 0; b < blocksPerPeriod; b++) {
      const from = Math.floor((b * hp) / blocksPerPeriod);
      const to = Math.floor(((b + 1) * hp) / blocksPerPeriod);
      let sum = 0;
      for (let i = from; i < to; i++) sum += sorted[i]!;
      blocks.push({
        hours: to - from,
        meanDemand: sum / (to - from),
        peakDemand: sorted[from]!,
        minDemand: sorted[to - 1]!,
      });
    }
    periods.push({
      index: p,
      startYears: (p * periodMonths) / 12,
      blocks,
      peakDemand: sorted[0]!,
    });
  }
  return periods;
}
