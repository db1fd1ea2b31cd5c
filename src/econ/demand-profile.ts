/**
 * A synthetic hourly demand profile over a multi-year horizon (DESIGN §7): a baseline that grows
 * geometrically, shaped by a daily and a weekly cycle, with multiplicative noise.
 *
 *   d(h) = max(0, baseline · (1 + g)^(h / 8760)
 *                  · (1 + A_day  · cos(2π (h mod 24 − peakHour) / 24))
 *                  · (1 + A_week · cos(2π (h mod 168 − weekPeakHour) / 168))
 *                  · (1 + cv · z_h)),      z_h ~ N(0, 1) from `createRng(seed, 'demand')`
 *
 * h = 0 is hour 0 of day 0 of year 0, a year is 8760 hours (no leap days). The cycles have
 * mean 1 over whole weeks (24 divides 168), so the first year's mean is ≈ baseline ·
 * ((1 + g) − 1) / ln(1 + g) and each year's mean is (1 + g) times the previous one.
 * Units: whatever `baseline` is in (tokens/s, replicas); the result is in the same unit.
 * Complexity O(years · 8760). Pure and reproducible: same options, same array.
 */
import { requireArg } from '../core/errors.js';
import { createRng } from '../core/rng.js';
import { HOURS_PER_YEAR } from '../core/units.js';

export interface DemandProfileOptions {
  /** Demand at hour 0 before cycles and noise, in the profile's unit (tokens/s or replicas). */
  baseline: number;
  /** Relative half-swing of the daily cycle, in [0, 1): 0.3 → peak 1.3×, trough 0.7×. */
  diurnalAmplitude: number;
  /** Relative half-swing of the weekly cycle, in [0, 1). */
  weeklyAmplitude: number;
  /** Growth per year as a fraction: 0.5 → +50 %/year, compounded hourly. > −1. */
  annualGrowth: number;
  /** Coefficient of variation of the hourly multiplicative noise, ≥ 0. */
  noiseCv: number;
  /** Integer seed; the stream is `demand`. */
  seed: number;
  /** Whole years of hours to generate. */
  years: number;
  /** Hour of the day (0–23) of the daily peak; default 14. */
  peakHourOfDay?: number;
  /** Hour of the week (0–167) of the weekly peak; default 62 (day 2, 14:00). */
  peakHourOfWeek?: number;
}

/** Hourly demand, `years · 8760` values, in the unit of `baseline`. */
export function generateDemandProfile(options: DemandProfileOptions): number[] {
  const fn = 'generateDemandProfile';
  const { baseline, diurnalAmplitude, weeklyAmplitude, annualGrowth, noiseCv, seed, years } =
    options;
  requireArg(Number.isFinite(baseline) && baseline >= 0, fn, 'baseline must be ≥ 0');
  requireArg(
    diurnalAmplitude >= 0 && diurnalAmplitude < 1,
    fn,
    'diurnalAmplitude must be in [0, 1)',
  );
  requireArg(weeklyAmplitude >= 0 && weeklyAmplitude < 1, fn, 'weeklyAmplitude must be in [0, 1)');
  requireArg(annualGrowth > -1, fn, 'annualGrowth must be > −1');
  requireArg(noiseCv >= 0, fn, 'noiseCv must be ≥ 0');
  requireArg(Number.isInteger(years) && years >= 1, fn, 'years must be a positive integer');
  const peakDay = options.peakHourOfDay ?? 14;
  const peakWeek = options.peakHourOfWeek ?? 62;
  const rng = createRng(seed, 'demand');
  const hours = years * HOURS_PER_YEAR;
  const growthPerHour = Math.log1p(annualGrowth) / HOURS_PER_YEAR;
  const out = new Array<number>(hours);
  for (let h = 0; h < hours; h++) {
    const day = 1 + diurnalAmplitude * Math.cos((2 * Math.PI * ((h % 24) - peakDay)) / 24);
    const week = 1 + weeklyAmplitude * Math.cos((2 * Math.PI * ((h % 168) - peakWeek)) / 168);
    // Always draw, so the sequence does not depend on noiseCv.
    const z = rng.nextNormal();
    const value = baseline * Math.exp(growthPerHour * h) * day * week * (1 + noiseCv * z);
    out[h] = Math.max(0, value);
  }
  return out;
}
