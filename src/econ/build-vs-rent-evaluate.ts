/**
 * Pure evaluation of a build-vs-rent portfolio: its NPV of costs per option and year, and its
 * feasibility (demand covered in every block, caps, lead time, terms within the horizon). Also
 * the cheapest hourly dispatch for fixed owned and reserved capacity, and the capacity
 * schedules that build the pure options. Used by the report, the cost-vs-owned-fraction curve
 * and the brute-force test of the optimiser. Costs come from `build-vs-rent-model.ts`, the same
 * coefficients as the LP, so `evaluatePortfolio(LP optimum) = LP objective`.
 */
import {
  firstOwnedPeriod,
  horizonYears,
  hourlyCoefficient,
  lastReservedStart,
  ownedActive,
  ownedEnergyCoefficient,
  ownedFixedOpexOfPeriod,
  ownedUnitCost,
  periodStartYears,
  reservedActive,
  reservedHourlyOfPeriod,
  reservedUnitCost,
  type BuildVsRentProblem,
} from './build-vs-rent-model.js';

/** Decisions of a portfolio. Arrays are per period (p) and per block (b). */
export interface Portfolio {
  /** Owned replicas entering service at the start of each period. */
  ownedAdded: number[];
  /** Per reserved option name: replicas committed at the start of each period. */
  reservedAdded: Record<string, number[]>;
  /** Owned replicas busy in each block ([p][b], average over the block's hours). */
  ownedServed: number[][];
  /** Per hourly option name: rented replicas in each block ([p][b]). */
  hourlyRented: Record<string, number[][]>;
}

/** The name under which owned costs are reported. */
export const OWN_OPTION_NAME = 'own';

export interface OwnCostBreakdown {
  capexUsd: number;
  fixedOpexUsd: number;
  energyUsd: number;
  /** Negative. */
  residualUsd: number;
}

export interface PortfolioCost {
  currencyYear: string;
  /** Present value of all costs at t = 0. */
  npvUsd: number;
  /** Per option (`own`, reserved and hourly names): discounted cost in each year of the horizon. */
  npvUsdByOptionByYear: Record<string, number[]>;
  ownBreakdown: OwnCostBreakdown;
  feasible: boolean;
  /** Every way the portfolio breaks the model's rules, in words. */
  violations: string[];
}

const TOLERANCE = 1e-6;

/** Owned replicas in service in period q. */
export function ownedInService(pr: BuildVsRentProblem, portfolio: Portfolio, q: number): number {
  const own = pr.own;
  if (!own) return 0;
  let n = 0;
  portfolio.ownedAdded.forEach((added, p) => {
    if (ownedActive(pr, own, p, q)) n += added;
  });
  return n;
}

/** Reserved replicas under option `name` in period q. */
export function reservedInService(
  pr: BuildVsRentProblem,
  portfolio: Portfolio,
  name: string,
  q: number,
) {
  const r = pr.reserved.find((o) => o.name === name);
  if (!r) return 0;
  let n = 0;
  (portfolio.reservedAdded[name] ?? []).forEach((added, p) => {
    if (reservedActive(pr, r, p, q)) n += added;
  });
  return n;
}

/** Discounted cost per option per year and feasibility of a portfolio. O(P² + P·B·options). */
export function evaluatePortfolio(pr: BuildVsRentProblem, portfolio: Portfolio): PortfolioCost {
  const years = Math.ceil(horizonYears(pr) - 1e-9);
  const P = pr.periods.length;
  const byOption: Record<string, number[]> = {};
  const row = (name: string) => (byOption[name] ??= new Array<number>(years).fill(0));
  const yearOf = (t: number) => Math.min(years - 1, Math.max(0, Math.floor(t + 1e-9)));
  const violations: string[] = [];
  const ownBreakdown: OwnCostBreakdown = {
    capexUsd: 0,
    fixedOpexUsd: 0,
    energyUsd: 0,
    residualUsd: 0,
  };

  // Owned.
  const own = pr.own;
  if (own) {
    const first = firstOwnedPeriod(pr, own);
    const ownRow = row(OWN_OPTION_NAME);
    portfolio.ownedAdded.forEach((n, p) => {
      if (n === 0) return;
      if (p < first)
        violations.push(
          `owned replicas added in period ${p}, before the lead time allows (period ${first})`,
        );
      if (!Number.isInteger(n) || n < 0)
        violations.push(`owned replicas added in period ${p} must be a whole number ≥ 0, got ${n}`);
      const c = ownedUnitCost(pr, own, p);
      ownBreakdown.capexUsd += n * c.capexUsd;
      ownBreakdown.fixedOpexUsd += n * c.fixedOpexUsd;
      ownBreakdown.residualUsd += n * c.residualUsd;
      ownRow[yearOf(c.orderYears)]! += n * c.capexUsd;
      ownRow[years - 1]! += n * c.residualUsd;
    });
    for (let q = 0; q < P; q++) {
      const inService = ownedInService(pr, portfolio, q);
      ownRow[yearOf(periodStartYears(pr, q))]! += inService * ownedFixedOpexOfPeriod(pr, own, q);
    }
  } else if (portfolio.ownedAdded.some((n) => n !== 0)) {
    violations.push('owned replicas added but the problem has no own option');
  }

  // Reserved.
  for (const r of pr.reserved) {
    const added = portfolio.reservedAdded[r.name] ?? [];
    const rRow = row(r.name);
    const last = lastReservedStart(pr, r);
    added.forEach((n, p) => {
      if (n === 0) return;
      if (p > last)
        violations.push(`${r.name} committed in period ${p}: the term would end after the horizon`);
      if (!Number.isInteger(n) || n < 0)
        violations.push(`${r.name} in period ${p} must be a whole number ≥ 0, got ${n}`);
      const c = reservedUnitCost(pr, r, p);
      rRow[yearOf(periodStartYears(pr, p))]! += n * c.upfrontUsd;
      for (let q = p; q < P; q++)
        if (reservedActive(pr, r, p, q))
          rRow[yearOf(periodStartYears(pr, q))]! += n * reservedHourlyOfPeriod(pr, r, p, q);
    });
    for (let q = 0; q < P; q++) {
      const cap = r.maxReplicas;
      if (cap !== undefined && reservedInService(pr, portfolio, r.name, q) > cap + TOLERANCE)
        violations.push(`${r.name} exceeds its cap of ${cap} replicas in period ${q}`);
    }
  }
  for (const name of Object.keys(portfolio.reservedAdded))
    if (!pr.reserved.some((r) => r.name === name))
      violations.push(`unknown reserved option '${name}'`);

  // Hourly options and coverage.
  for (const o of pr.hourly) row(o.name);
  for (const name of Object.keys(portfolio.hourlyRented))
    if (!pr.hourly.some((o) => o.name === name)) violations.push(`unknown hourly option '${name}'`);
  pr.periods.forEach((period, p) => {
    const ownedCap = ownedInService(pr, portfolio, p);
    if (own?.maxReplicas !== undefined && ownedCap > own.maxReplicas + TOLERANCE)
      violations.push(
        `owned replicas in service exceed the cap of ${own.maxReplicas} in period ${p}`,
      );
    const reservedCap = pr.reserved.reduce(
      (s, r) => s + reservedInService(pr, portfolio, r.name, p),
      0,
    );
    period.blocks.forEach((block, b) => {
      const served = portfolio.ownedServed[p]?.[b] ?? 0;
      if (served > ownedCap + TOLERANCE)
        violations.push(
          `period ${p} block ${b}: owned busy ${served} exceeds owned in service ${ownedCap}`,
        );
      if (own && served > 0) {
        const e = served * ownedEnergyCoefficient(pr, own, p, b);
        ownBreakdown.energyUsd += e;
        row(OWN_OPTION_NAME)[yearOf(periodStartYears(pr, p))]! += e;
      }
      let delivered = Math.min(served, ownedCap) + reservedCap;
      for (const o of pr.hourly) {
        const rented = portfolio.hourlyRented[o.name]?.[p]?.[b] ?? 0;
        if (rented < -TOLERANCE)
          violations.push(`${o.name} period ${p} block ${b}: negative rental ${rented}`);
        if (o.maxReplicas !== undefined && rented > o.maxReplicas + TOLERANCE)
          violations.push(
            `${o.name} period ${p} block ${b}: ${rented} exceeds the cap of ${o.maxReplicas}`,
          );
        delivered += rented * o.deliveredFraction;
        row(o.name)[yearOf(periodStartYears(pr, p))]! += rented * hourlyCoefficient(pr, o, p, b);
      }
      if (delivered < block.meanDemand - TOLERANCE)
        violations.push(
          `period ${p} block ${b}: delivers ${delivered.toFixed(3)} of ${block.meanDemand.toFixed(3)} replicas needed`,
        );
    });
  });

  let npvUsd = 0;
  for (const values of Object.values(byOption)) for (const v of values) npvUsd += v;
  return {
    currencyYear: pr.currencyYear,
    npvUsd,
    npvUsdByOptionByYear: byOption,
    ownBreakdown,
    feasible: violations.length === 0,
    violations,
  };
}
