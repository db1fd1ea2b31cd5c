/**
 * Cheapest use of fixed capacity, and capacity schedules for the pure options.
 *
 * `dispatchHourly`: with owned and reserved capacity fixed, each block is an independent
 * min-cost cover — min Σⱼ cⱼ·xⱼ s.t. Σⱼ δⱼ·xⱼ ≥ demand, 0 ≤ xⱼ ≤ capⱼ — a fractional knapsack,
 * solved exactly by filling in order of discounted cost per delivered replica (cⱼ / δⱼ):
 * reserved first (already paid, cost 0), then owned (energy only) and the hourly options in
 * price order. So for fixed whole-replica decisions it returns the cheapest portfolio, which
 * is what the brute-force test and the cost-vs-owned-fraction curve need.
 *
 * `scheduleForTargets`: whole units added per period so that units in service reach
 * ⌈target⌉ in every period where adding is allowed, given each unit's life (owned life or
 * reserved term); units retire at the end of their life and are replaced as needed.
 */
import type { Portfolio } from './build-vs-rent-evaluate.js';
import { ownedInService, reservedInService } from './build-vs-rent-evaluate.js';
import {
  hourlyCoefficient,
  ownedEnergyCoefficient,
  type BuildVsRentProblem,
} from './build-vs-rent-model.js';

export interface FixedCapacity {
  ownedAdded: number[];
  reservedAdded: Record<string, number[]>;
}

export interface DispatchResult {
  portfolio: Portfolio;
  /** Demand left unserved (replica-hours) because caps or allowed options ran out. */
  unservedReplicaHours: number;
}

/**
 * Fill every block at least cost with the fixed capacity and the allowed hourly options (all
 * when `allowedHourly` is omitted). Unserved demand is reported, not hidden.
 */
export function dispatchHourly(
  pr: BuildVsRentProblem,
  capacity: FixedCapacity,
  allowedHourly?: readonly string[],
): DispatchResult {
  const hourly = pr.hourly.filter((o) => !allowedHourly || allowedHourly.includes(o.name));
  const portfolio: Portfolio = {
    ownedAdded: capacity.ownedAdded.slice(),
    reservedAdded: Object.fromEntries(
      Object.entries(capacity.reservedAdded).map(([k, v]) => [k, v.slice()]),
    ),
    ownedServed: pr.periods.map((period) => period.blocks.map(() => 0)),
    hourlyRented: Object.fromEntries(
      pr.hourly.map((o) => [o.name, pr.periods.map((period) => period.blocks.map(() => 0))]),
    ),
  };
  let unservedReplicaHours = 0;
  pr.periods.forEach((period, p) => {
    const owned = ownedInService(pr, portfolio, p);
    const reserved = pr.reserved.reduce(
      (s, r) => s + reservedInService(pr, portfolio, r.name, p),
      0,
    );
    period.blocks.forEach((block, b) => {
      let need = Math.max(0, block.meanDemand - reserved);
      type Source = { key: string; costPerDelivered: number; cap: number; delivered: number };
      const sources: Source[] = [];
      if (pr.own && owned > 0)
        sources.push({
          key: '',
          costPerDelivered: ownedEnergyCoefficient(pr, pr.own, p, b),
          cap: owned,
          delivered: 1,
        });
      for (const o of hourly)
        sources.push({
          key: o.name,
          costPerDelivered: hourlyCoefficient(pr, o, p, b) / o.deliveredFraction,
          cap: o.maxReplicas ?? Infinity,
          delivered: o.deliveredFraction,
        });
      // Stable order: cost, then owned before rented, then declaration order.
      sources.sort((x, y) => x.costPerDelivered - y.costPerDelivered);
      for (const s of sources) {
        if (need <= 0) break;
        const units = Math.min(s.cap, need / s.delivered);
        need -= units * s.delivered;
        if (s.key === '') portfolio.ownedServed[p]![b] = units;
        else portfolio.hourlyRented[s.key]![p]![b] = units;
      }
      if (need > 1e-9) unservedReplicaHours += need * block.hours;
    });
  });
  return { portfolio, unservedReplicaHours };
}

export interface ScheduleOptions {
  /** Units wanted in service in each period (rounded up to whole units). */
  targets: readonly number[];
  /** Periods a unit stays in service. */
  lifePeriods: number;
  /** First period in which units may be added (lead time). */
  firstPeriod: number;
  /** Last period in which units may be added (terms ending within the horizon). */
  lastPeriod: number;
}

/** Whole units added per period to meet the targets where allowed (never removes units). */
export function scheduleForTargets(options: ScheduleOptions): number[] {
  const { targets, lifePeriods, firstPeriod, lastPeriod } = options;
  const added = targets.map(() => 0);
  for (let p = 0; p < targets.length; p++) {
    if (p < firstPeriod || p > lastPeriod) continue;
    let inService = 0;
    for (let q = Math.max(0, p - lifePeriods + 1); q < p; q++) inService += added[q]!;
    const want = Math.ceil(targets[p]! - 1e-9);
    added[p] = Math.max(0, want - inService);
  }
  return added;
}
