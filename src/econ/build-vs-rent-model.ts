/**
 * The build-vs-rent model (DESIGN §7): options, the problem after the load-duration reduction,
 * and the discounted cost coefficient of every decision. The LP (`build-vs-rent-lp.ts`) and the
 * evaluator (`build-vs-rent-evaluate.ts`) both price decisions with these functions, so the
 * optimiser's objective and the evaluator's NPV agree by construction.
 *
 * Time. The horizon is P periods of Δ = periodMonths / 12 years; period p starts at t_p = p·Δ and
 * has 8760·Δ hours. Money is discounted at the cost of capital r: a payment at t years is worth
 * (1 + r)^(−t) now. Hourly flows of a period are discounted at its midpoint t_p + Δ/2
 * (mid-period convention). Prices follow an annual trend: x(t) = x₀ · (1 + trend)^t.
 *
 * Owned capacity. `ownedAdded[p]` whole replicas enter service at t_p; they were ordered (capex
 * paid, at the capex price of that moment) `leadTimeMonths` earlier, never before t = 0, so the
 * first period with owned capacity is ⌈lead / periodMonths⌉. They serve for
 * round(life / Δ) periods, cost fixed opex (maintenance, space, staff, idle power) in every
 * in-service hour and energy per busy replica-hour; a replica still in service at the horizon
 * T is sold (or kept) at `residualValueShare` of its straight-line book value, at T.
 *
 * Reserved capacity. `reservedAdded[k][p]` whole replicas committed at t_p for the option's
 * term (which must end within the horizon): the upfront share of the whole term's cost is paid
 * at t_p, the rest hourly over the term, at the rate of t_p.
 *
 * Hourly options (on-demand, spot, API). Per block, a rented amount (replicas, averaged over the
 * block's hours) at the period's price; it delivers `deliveredFraction` of a replica (spot
 * availability: interrupted hours deliver nothing); `maxReplicas` caps it in every hour.
 *
 * Money: USD of `currencyYear`; NPV = present value at t = 0 of all costs (residual value
 * counts negative).
 */
import type { LoadPeriod } from './demand-load-duration.js';

export interface OwnOption {
  /** Purchase price of one replica, installed (systems, networking share, facility share). */
  capexUsdPerReplica: number;
  /** Costs of an in-service replica whether busy or not, per hour (maintenance, space, staff, idle power). */
  fixedOpexUsdPerReplicaHour: number;
  /** Extra cost per busy replica-hour (energy above idle). */
  energyUsdPerBusyReplicaHour: number;
  usefulLifeYears: number;
  /** Months from order to capacity in service. */
  leadTimeMonths: number;
  /** Share of straight-line book value recovered at the horizon, in [0, 1]. */
  residualValueShare: number;
  /** Annual change of the capex price, e.g. −0.1 = 10 % cheaper each year. */
  capexChangePerYear: number;
  /** Most owned replicas in service at once (power, space); undefined = no cap. */
  maxReplicas?: number;
}

export interface ReservedOption {
  name: string;
  termYears: number;
  /** Share of the term's total cost paid at commitment, in [0, 1]. */
  upfrontShare: number;
  /** Effective rate over the term, upfront included, per replica-hour, at t = 0. */
  usdPerReplicaHour: number;
  /** Most replicas under this option at once; undefined = no cap. */
  maxReplicas?: number;
}

export type HourlyOptionKind = 'on-demand' | 'spot' | 'api';

export interface HourlyOption {
  name: string;
  kind: HourlyOptionKind;
  /** Price per rented replica-hour (API: per replica-hour of tokens, see `apiUsdPerReplicaHour`), at t = 0. */
  usdPerReplicaHour: number;
  /** Replicas of service delivered per rented replica, in (0, 1]: spot availability; else 1. */
  deliveredFraction: number;
  /** Most rented replicas in any hour; undefined = no cap. */
  maxReplicas?: number;
}

export interface BuildVsRentProblem {
  /** Currency and year of every money figure, e.g. `USD-2026`. */
  currencyYear: string;
  /** Cost of capital, per year (discount rate). */
  discountRatePerYear: number;
  periodMonths: number;
  /** Demand in replicas, reduced to load-duration blocks per period. */
  periods: readonly LoadPeriod[];
  own?: OwnOption;
  reserved: readonly ReservedOption[];
  hourly: readonly HourlyOption[];
  /** Annual change of every rent price (reserved, on-demand, spot, API), e.g. −0.1. */
  rentPriceChangePerYear: number;
}

// ---------------------------------------------------------------------------------------------
// Time and discounting
// ---------------------------------------------------------------------------------------------

export const periodYears = (pr: BuildVsRentProblem): number => pr.periodMonths / 12;
export const periodHours = (pr: BuildVsRentProblem): number => 8760 * periodYears(pr);
export const horizonYears = (pr: BuildVsRentProblem): number => pr.periods.length * periodYears(pr);
export const periodStartYears = (pr: BuildVsRentProblem, p: number): number => p * periodYears(pr);
export const periodMidYears = (pr: BuildVsRentProblem, p: number): number =>
  (p + 0.5) * periodYears(pr);

/** (1 + r)^(−t): value now of one dollar paid at t years. */
export const discountFactor = (pr: BuildVsRentProblem, tYears: number): number =>
  Math.pow(1 + pr.discountRatePerYear, -tYears);

/** x₀ · (1 + trend)^t. */
export const trended = (x0: number, trendPerYear: number, tYears: number): number =>
  x0 * Math.pow(1 + trendPerYear, tYears);

// ---------------------------------------------------------------------------------------------
// Owned capacity
// ---------------------------------------------------------------------------------------------

/** First period in which owned capacity can be in service: ⌈lead / periodMonths⌉. */
export const firstOwnedPeriod = (pr: BuildVsRentProblem, own: OwnOption): number =>
  Math.ceil(own.leadTimeMonths / pr.periodMonths - 1e-9);

/** Periods an owned replica serves: round(life / Δ), at least 1. */
export const ownedLifePeriods = (pr: BuildVsRentProblem, own: OwnOption): number =>
  Math.max(1, Math.round(own.usefulLifeYears / periodYears(pr)));

/** Whether units added in period `added` are in service in period `q`. */
export const ownedActive = (pr: BuildVsRentProblem, own: OwnOption, added: number, q: number) =>
  added <= q && q < added + ownedLifePeriods(pr, own);

export interface OwnedUnitCost {
  capexUsd: number;
  fixedOpexUsd: number;
  /** Negative: value recovered at the horizon. */
  residualUsd: number;
  /** Order time, years. */
  orderYears: number;
}

/** Discounted fixed opex of one owned replica in service through period q. */
export const ownedFixedOpexOfPeriod = (pr: BuildVsRentProblem, own: OwnOption, q: number): number =>
  own.fixedOpexUsdPerReplicaHour * periodHours(pr) * discountFactor(pr, periodMidYears(pr, q));

/** Discounted costs of one replica entering service in period p (energy excluded). */
export function ownedUnitCost(pr: BuildVsRentProblem, own: OwnOption, p: number): OwnedUnitCost {
  const orderYears = periodStartYears(pr, p) - own.leadTimeMonths / 12;
  const capexAtOrder = trended(own.capexUsdPerReplica, own.capexChangePerYear, orderYears);
  const capexUsd = capexAtOrder * discountFactor(pr, orderYears);
  const life = ownedLifePeriods(pr, own);
  const P = pr.periods.length;
  let fixedOpexUsd = 0;
  for (let q = p; q < Math.min(P, p + life); q++)
    fixedOpexUsd += ownedFixedOpexOfPeriod(pr, own, q);
  const remainingShare = Math.max(0, 1 - (P - p) / life);
  const residualUsd =
    -capexAtOrder * own.residualValueShare * remainingShare * discountFactor(pr, horizonYears(pr));
  return { capexUsd, fixedOpexUsd, residualUsd, orderYears };
}

/** Discounted energy cost of one owned replica busy through block b of period p. */
export const ownedEnergyCoefficient = (
  pr: BuildVsRentProblem,
  own: OwnOption,
  p: number,
  b: number,
) =>
  own.energyUsdPerBusyReplicaHour *
  pr.periods[p]!.blocks[b]!.hours *
  discountFactor(pr, periodMidYears(pr, p));

// ---------------------------------------------------------------------------------------------
// Reserved capacity
// ---------------------------------------------------------------------------------------------

export const reservedTermPeriods = (pr: BuildVsRentProblem, r: ReservedOption): number =>
  Math.max(1, Math.round(r.termYears / periodYears(pr)));

/** Commitments may start in periods 0 … P − term (the term ends within the horizon). */
export const lastReservedStart = (pr: BuildVsRentProblem, r: ReservedOption): number =>
  pr.periods.length - reservedTermPeriods(pr, r);

export const reservedActive = (
  pr: BuildVsRentProblem,
  r: ReservedOption,
  start: number,
  q: number,
) => start <= q && q < start + reservedTermPeriods(pr, r);

export interface ReservedUnitCost {
  upfrontUsd: number;
  hourlyUsd: number;
}

/** Rate of a commitment starting in period `start` (locked for the term). */
export const reservedRate = (pr: BuildVsRentProblem, r: ReservedOption, start: number): number =>
  trended(r.usdPerReplicaHour, pr.rentPriceChangePerYear, periodStartYears(pr, start));

/** Discounted non-upfront payment in period q for one replica committed in period `start`. */
export const reservedHourlyOfPeriod = (
  pr: BuildVsRentProblem,
  r: ReservedOption,
  start: number,
  q: number,
): number =>
  (1 - r.upfrontShare) *
  reservedRate(pr, r, start) *
  periodHours(pr) *
  discountFactor(pr, periodMidYears(pr, q));

/** Discounted cost of one replica committed under `r` from period p, split upfront / hourly. */
export function reservedUnitCost(
  pr: BuildVsRentProblem,
  r: ReservedOption,
  p: number,
): ReservedUnitCost {
  const term = reservedTermPeriods(pr, r);
  const upfrontUsd =
    r.upfrontShare *
    reservedRate(pr, r, p) *
    term *
    periodHours(pr) *
    discountFactor(pr, periodStartYears(pr, p));
  let hourlyUsd = 0;
  for (let q = p; q < p + term; q++) hourlyUsd += reservedHourlyOfPeriod(pr, r, p, q);
  return { upfrontUsd, hourlyUsd };
}

// ---------------------------------------------------------------------------------------------
// Hourly options
// ---------------------------------------------------------------------------------------------

/** Price of `o` per rented replica-hour in period p (trend at the period's midpoint). */
export const hourlyPrice = (pr: BuildVsRentProblem, o: HourlyOption, p: number): number =>
  trended(o.usdPerReplicaHour, pr.rentPriceChangePerYear, periodMidYears(pr, p));

/** Discounted cost of renting one replica of `o` through block b of period p. */
export const hourlyCoefficient = (pr: BuildVsRentProblem, o: HourlyOption, p: number, b: number) =>
  hourlyPrice(pr, o, p) *
  pr.periods[p]!.blocks[b]!.hours *
  discountFactor(pr, periodMidYears(pr, p));
