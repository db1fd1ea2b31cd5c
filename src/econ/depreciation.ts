/**
 * Capital cost per hour of an asset (DESIGN §7): straight-line depreciation over its useful
 * life, or an annuity at a cost of capital (the level payment that repays the purchase with
 * interest over the life). Money in the currency-year of `capexUsd`; a year is 8,760 hours.
 */
import { requireArg } from '../core/errors.js';

/** Hours in a (365-day) year, the basis of every per-hour figure in `econ`. */
export const HOURS_PER_YEAR = 8760;

/**
 * Straight-line depreciation per hour: `capexUsd / (lifeYears × 8760)`, USD per hour.
 * No residual value. Example: 270,000 USD over 4 years → 7.705 USD/hour.
 * @throws AifError E_INVALID_ARGUMENT when capex < 0 or life ≤ 0.
 */
export function straightLineUsdPerHour(capexUsd: number, lifeYears: number): number {
  requireArg(capexUsd >= 0, 'straightLineUsdPerHour', 'capexUsd must be ≥ 0');
  requireArg(lifeYears > 0, 'straightLineUsdPerHour', 'lifeYears must be > 0');
  return capexUsd / (lifeYears * HOURS_PER_YEAR);
}

/**
 * Capital recovery factor `CRF = r(1+r)^n / ((1+r)^n − 1) = r / (1 − (1+r)^−n)`, per year:
 * the share of the principal paid each year by a level annuity at annual rate r over n years.
 * Computed with expm1/log1p so it stays accurate as r → 0, where it tends to 1/n (and is 1/n
 * at r = 0). Example: r = 0.08, n = 5 → 0.250456.
 * @throws AifError E_INVALID_ARGUMENT when r < 0 or n ≤ 0.
 */
export function capitalRecoveryFactor(annualRate: number, years: number): number {
  requireArg(annualRate >= 0, 'capitalRecoveryFactor', 'annualRate must be ≥ 0');
  requireArg(years > 0, 'capitalRecoveryFactor', 'years must be > 0');
  if (annualRate === 0) return 1 / years;
  // 1 − (1+r)^−n = −expm1(−n·log1p(r))
  return annualRate / -Math.expm1(-years * Math.log1p(annualRate));
}

/**
 * Annuity (capital recovery) cost per hour: `capexUsd × CRF(r, n) / 8760`, USD per hour.
 * Equals straight-line at r = 0. Example: 270,000 USD, 4 years, 8% → 9.306 USD/hour.
 * @throws AifError E_INVALID_ARGUMENT for capex < 0, life ≤ 0 or rate < 0.
 */
export function annuityUsdPerHour(capexUsd: number, lifeYears: number, annualRate: number): number {
  requireArg(capexUsd >= 0, 'annuityUsdPerHour', 'capexUsd must be ≥ 0');
  return (capexUsd * capitalRecoveryFactor(annualRate, lifeYears)) / HOURS_PER_YEAR;
}

export const AMORTIZATION_METHOD_NAMES = ['straight-line', 'annuity'] as const;
export type AmortizationMethodName = (typeof AMORTIZATION_METHOD_NAMES)[number];

/** One way to turn a purchase into an hourly cost. */
export interface AmortizationMethod {
  name: AmortizationMethodName;
  /** The formula in words, for reports. */
  formula: string;
  usdPerHour(capexUsd: number, lifeYears: number, annualRate: number): number;
}

/** The amortization methods, by name (a registry: shared code never branches on the name). */
export const AMORTIZATION_METHODS: Readonly<Record<AmortizationMethodName, AmortizationMethod>> = {
  'straight-line': {
    name: 'straight-line',
    formula: 'capex / (life years × 8760 h); no cost of capital',
    usdPerHour: (capexUsd, lifeYears) => straightLineUsdPerHour(capexUsd, lifeYears),
  },
  annuity: {
    name: 'annuity',
    formula: 'capex × r(1+r)^n / ((1+r)^n − 1) / 8760 h, r = cost of capital, n = life years',
    usdPerHour: annuityUsdPerHour,
  },
};
