/**
 * Build vs rent vs hybrid (DESIGN §7): for an hourly demand profile over a multi-year horizon,
 * the cheapest portfolio of owned capacity (whole replicas per purchase period, with lead time,
 * useful life and residual value), reserved cloud commitments, and on-demand / spot / API per
 * load block — solved as a MILP through the `LpSolver` port — with the NPV of each pure option,
 * the break-even utilization, the load-duration curve split into owned and rented, and cost
 * against owned fraction. Pure: the solver is passed in; econ never loads one.
 *
 * Every money figure is a `Metric` in USD of `currencyYear` (or a plain number inside an object
 * that states `currencyYear`); the report lists its assumptions in words.
 */
import type { Basis, Metric, SloBasis } from '../core/basis.js';
import { requireArg } from '../core/errors.js';
import type { LpSolver } from '../core/lp.js';
import { breakEvenUtilization, discountedLifeYears } from './build-vs-rent-break-even.js';
import {
  dispatchHourly,
  scheduleForTargets,
  type FixedCapacity,
} from './build-vs-rent-dispatch.js';
import {
  evaluatePortfolio,
  ownedInService,
  reservedInService,
  type Portfolio,
  type PortfolioCost,
} from './build-vs-rent-evaluate.js';
import { buildVsRentLp } from './build-vs-rent-lp.js';
import {
  firstOwnedPeriod,
  lastReservedStart,
  ownedLifePeriods,
  reservedTermPeriods,
  type BuildVsRentProblem,
  type HourlyOption,
  type OwnOption,
  type ReservedOption,
} from './build-vs-rent-model.js';
import { loadDurationPeriods } from './demand-load-duration.js';

export interface BuildVsRentInputs {
  name: string;
  currencyYear: string;
  discountRatePerYear: number;
  periodMonths: number;
  blocksPerPeriod: number;
  /** Replicas needed in each hour of the horizon (whole periods). */
  demandReplicasPerHour: readonly number[];
  own?: OwnOption;
  reserved: readonly ReservedOption[];
  hourly: readonly HourlyOption[];
  rentPriceChangePerYear: number;
  /** Points of the cost-vs-owned-fraction curve: fractions 0, 1/n, …, 1. */
  ownedFractionSteps: number;
  /** Basis fields: what the replicas serve. */
  workload: string;
  model?: string;
  precision?: string;
  slo?: SloBasis;
  /** Where the inputs come from (file, catalog, sourced defaults). */
  source: string;
  /** Extra assumptions to list (e.g. defaults applied). */
  assumptions?: readonly string[];
}

export interface OptionNpv {
  name: string;
  description: string;
  feasible: boolean;
  /** NPV of costs; present even when infeasible (cost of what could be served). */
  npv: Metric;
  violations: string[];
  cost: PortfolioCost;
}

export interface LoadDurationRow {
  period: number;
  block: number;
  hours: number;
  demandReplicas: number;
  /** Replicas served by each source, averaged over the block's hours. */
  ownedReplicas: number;
  reservedReplicas: number;
  /** Delivered replicas per hourly option. */
  rentedReplicasByOption: Record<string, number>;
}

export interface OwnedFractionPoint {
  /** Owned capacity as a fraction of each period's peak demand (after the lead time). */
  ownedFraction: number;
  npvUsd: number;
  feasible: boolean;
}

export interface MixSummary {
  /** Owned replicas in service per period. */
  ownedReplicasByPeriod: number[];
  /** Reserved replicas in service per period, per option. */
  reservedReplicasByPeriod: Record<string, number[]>;
  /** Share of demanded replica-hours served by each source (own, reserved names, hourly names). */
  servedShareBySource: Record<string, number>;
  /** Peak owned replicas in service ÷ peak demand. */
  ownedFractionOfPeak: number;
}

export interface BuildVsRentReport {
  name: string;
  currencyYear: string;
  basis: Basis;
  assumptions: string[];
  horizon: { years: number; periodMonths: number; blocksPerPeriod: number };
  demand: { peakReplicas: number; meanReplicas: number; replicaHours: number };
  optimum: OptionNpv & { portfolio: Portfolio; mix: MixSummary };
  /** The pure options and the optimum, cheapest first. */
  ranking: OptionNpv[];
  /** Cheapest feasible entry of `ranking`. */
  cheapest: string;
  breakEven?: { utilization: Metric; formula: string; discountedLifeYears: number };
  loadDuration: LoadDurationRow[];
  costVsOwnedFraction: { currencyYear: string; points: OwnedFractionPoint[] };
  lp: {
    variables: number;
    integerVariables: number;
    constraints: number;
    solver: string;
    objectiveUsd: number;
  };
}

/** Reduce the inputs to the optimiser's problem (load-duration blocks per period). */
export function prepareBuildVsRentProblem(inputs: BuildVsRentInputs): BuildVsRentProblem {
  const fn = 'prepareBuildVsRentProblem';
  requireArg(inputs.discountRatePerYear > -1, fn, 'discountRatePerYear must be > −1');
  requireArg(inputs.rentPriceChangePerYear > -1, fn, 'rentPriceChangePerYear must be > −1');
  for (const o of inputs.hourly)
    requireArg(
      o.deliveredFraction > 0 && o.deliveredFraction <= 1,
      fn,
      `${o.name}: deliveredFraction must be in (0, 1]`,
    );
  const names = [...inputs.reserved.map((r) => r.name), ...inputs.hourly.map((o) => o.name), 'own'];
  requireArg(
    new Set(names).size === names.length,
    fn,
    `option names must be unique, got ${names.join(', ')}`,
  );
  return {
    currencyYear: inputs.currencyYear,
    discountRatePerYear: inputs.discountRatePerYear,
    periodMonths: inputs.periodMonths,
    periods: loadDurationPeriods(inputs.demandReplicasPerHour, {
      periodMonths: inputs.periodMonths,
      blocksPerPeriod: inputs.blocksPerPeriod,
    }),
    ...(inputs.own ? { own: inputs.own } : {}),
    reserved: inputs.reserved,
    hourly: inputs.hourly,
    rentPriceChangePerYear: inputs.rentPriceChangePerYear,
  };
}

const noCapacity = (pr: BuildVsRentProblem): FixedCapacity => ({
  ownedAdded: pr.periods.map(() => 0),
  reservedAdded: Object.fromEntries(pr.reserved.map((r) => [r.name, pr.periods.map(() => 0)])),
});

/** Owned schedule reaching ⌈fraction · peak⌉ in every period from the first allowed one. */
function ownedSchedule(pr: BuildVsRentProblem, own: OwnOption, fraction: number): number[] {
  return scheduleForTargets({
    targets: pr.periods.map((p) => fraction * p.peakDemand),
    lifePeriods: ownedLifePeriods(pr, own),
    firstPeriod: firstOwnedPeriod(pr, own),
    lastPeriod: pr.periods.length - 1,
  });
}

/** All reserved, sized for each period's peak: longest term that still fits, then shorter. */
function reservedForPeak(pr: BuildVsRentProblem): FixedCapacity {
  const capacity = noCapacity(pr);
  const byTerm = [...pr.reserved].sort(
    (a, b) => reservedTermPeriods(pr, b) - reservedTermPeriods(pr, a),
  );
  const partial: Portfolio = { ...capacity, ownedServed: [], hourlyRented: {} };
  pr.periods.forEach((period, p) => {
    for (const r of byTerm) {
      if (p > lastReservedStart(pr, r)) continue;
      const have = pr.reserved.reduce((s, o) => s + reservedInService(pr, partial, o.name, p), 0);
      const want = Math.ceil(period.peakDemand - 1e-9);
      const cap = r.maxReplicas ?? Infinity;
      const add = Math.max(
        0,
        Math.min(want - have, cap - reservedInService(pr, partial, r.name, p)),
      );
      capacity.reservedAdded[r.name]![p] = add;
    }
  });
  return capacity;
}

export function analyseBuildVsRent(inputs: BuildVsRentInputs, solver: LpSolver): BuildVsRentReport {
  const pr = prepareBuildVsRentProblem(inputs);
  const basis: Basis = {
    model: inputs.model ?? 'n/a',
    precision: inputs.precision ?? 'n/a',
    workload: inputs.workload,
    slo: inputs.slo ?? 'none',
    utilization: 'as demanded: hourly profile reduced to load-duration blocks',
    boundary: 'replica',
    currencyYear: inputs.currencyYear,
    provenance: 'modeled',
    source: inputs.source,
  };
  const money = (name: string, usd: number): Metric => ({ name, value: usd, unit: 'USD', basis });
  const option = (
    name: string,
    description: string,
    cost: PortfolioCost,
    extra: string[] = [],
  ): OptionNpv => ({
    name,
    description,
    feasible: cost.feasible && extra.length === 0,
    npv: money(`NPV of costs, ${name}`, cost.npvUsd),
    violations: [...extra, ...cost.violations],
    cost,
  });
  const dispatchAndPrice = (
    name: string,
    description: string,
    capacity: FixedCapacity,
    allowed?: readonly string[],
  ) => {
    const d = dispatchHourly(pr, capacity, allowed);
    const unserved =
      d.unservedReplicaHours > 1e-6
        ? [`${d.unservedReplicaHours.toFixed(1)} replica-hours unserved (caps or missing options)`]
        : [];
    return {
      ...option(name, description, evaluatePortfolio(pr, d.portfolio), unserved),
      portfolio: d.portfolio,
    };
  };

  // The optimum.
  const lp = buildVsRentLp(pr);
  const solution = solver.solve(lp.problem);
  const portfolio = lp.decode(solution);
  const optimumCost = evaluatePortfolio(pr, portfolio);
  const optimum = {
    ...option(
      'optimum',
      'cheapest mix (MILP): own base + reserved + on-demand/spot/API burst',
      optimumCost,
    ),
    portfolio,
    mix: mixSummary(pr, portfolio),
  };

  // Pure options.
  const pure: OptionNpv[] = [];
  const onDemand = pr.hourly.filter((o) => o.kind === 'on-demand').map((o) => o.name);
  if (pr.own) {
    pure.push(
      dispatchAndPrice(
        'own-for-peak',
        `own ⌈peak⌉ replicas each period; on-demand until the first owned capacity arrives (lead ${pr.own.leadTimeMonths} months)`,
        { ...noCapacity(pr), ownedAdded: ownedSchedule(pr, pr.own, 1) },
        onDemand,
      ),
    );
  }
  for (const name of onDemand)
    pure.push(dispatchAndPrice(`all ${name}`, `everything on ${name}`, noCapacity(pr), [name]));
  if (pr.reserved.length > 0)
    pure.push(
      dispatchAndPrice(
        'all reserved',
        "reserved commitments sized for each period's peak, longest term that ends within the horizon first; on-demand for what no term can cover",
        reservedForPeak(pr),
        onDemand,
      ),
    );
  for (const o of pr.hourly.filter((h) => h.kind === 'api'))
    pure.push(
      dispatchAndPrice(`all ${o.name}`, `everything through ${o.name}`, noCapacity(pr), [o.name]),
    );
  const ranking = [optimum, ...pure].sort((a, b) => a.npv.value - b.npv.value);
  const cheapest = ranking.find((r) => r.feasible)?.name ?? 'none feasible';

  // Cost against owned fraction.
  const steps = Math.max(1, Math.round(inputs.ownedFractionSteps));
  const points: OwnedFractionPoint[] = [];
  if (pr.own) {
    for (let i = 0; i <= steps; i++) {
      const f = i / steps;
      const d = dispatchHourly(pr, { ...noCapacity(pr), ownedAdded: ownedSchedule(pr, pr.own, f) });
      const c = evaluatePortfolio(pr, d.portfolio);
      points.push({
        ownedFraction: f,
        npvUsd: c.npvUsd,
        feasible: c.feasible && d.unservedReplicaHours <= 1e-6,
      });
    }
  }

  // Break-even utilization against the first on-demand option.
  const od = pr.hourly.find((o) => o.kind === 'on-demand');
  let breakEven: BuildVsRentReport['breakEven'];
  if (pr.own && od) {
    const be = {
      capexUsdPerReplica: pr.own.capexUsdPerReplica,
      fixedOpexUsdPerReplicaHour: pr.own.fixedOpexUsdPerReplicaHour,
      energyUsdPerBusyReplicaHour: pr.own.energyUsdPerBusyReplicaHour,
      usefulLifeYears: pr.own.usefulLifeYears,
      discountRatePerYear: pr.discountRatePerYear,
      onDemandUsdPerReplicaHour: od.usdPerReplicaHour,
      periodMonths: pr.periodMonths,
    };
    breakEven = {
      utilization: {
        name: `break-even utilization, own vs ${od.name}`,
        value: breakEvenUtilization(be),
        unit: 'fraction',
        basis: { ...basis, utilization: 'the break-even point itself' },
      },
      formula: 'u* = (C / (8760·S) + F) / (p − e); S = discounted years of the life (mid-period)',
      discountedLifeYears: discountedLifeYears(be),
    };
  }

  const hours = inputs.demandReplicasPerHour.length;
  const replicaHours = inputs.demandReplicasPerHour.reduce((s, d) => s + d, 0);
  const intVars = lp.problem.variables.filter((v) => v.integer).length;
  return {
    name: inputs.name,
    currencyYear: inputs.currencyYear,
    basis,
    assumptions: assumptionsOf(pr, inputs),
    horizon: {
      years: hours / 8760,
      periodMonths: pr.periodMonths,
      blocksPerPeriod: inputs.blocksPerPeriod,
    },
    demand: {
      peakReplicas: Math.max(...pr.periods.map((p) => p.peakDemand)),
      meanReplicas: replicaHours / hours,
      replicaHours,
    },
    optimum,
    ranking,
    cheapest,
    ...(breakEven ? { breakEven } : {}),
    loadDuration: loadDurationSplit(pr, portfolio),
    costVsOwnedFraction: { currencyYear: inputs.currencyYear, points },
    lp: {
      variables: lp.problem.variables.length,
      integerVariables: intVars,
      constraints: lp.problem.constraints.length,
      solver: solution.solver,
      objectiveUsd: solution.objectiveValue,
    },
  };
}

function mixSummary(pr: BuildVsRentProblem, portfolio: Portfolio): MixSummary {
  const rows = loadDurationSplit(pr, portfolio);
  const total = rows.reduce((s, r) => s + r.demandReplicas * r.hours, 0);
  const share: Record<string, number> = { own: 0 };
  for (const r of pr.reserved) share[r.name] = 0;
  for (const o of pr.hourly) share[o.name] = 0;
  // Reserved replica-hours are split across reserved options in proportion to capacity.
  for (const row of rows) {
    share['own']! += (row.ownedReplicas * row.hours) / total;
    const resTotal = pr.reserved.reduce(
      (s, r) => s + reservedInService(pr, portfolio, r.name, row.period),
      0,
    );
    for (const r of pr.reserved) {
      const cap = reservedInService(pr, portfolio, r.name, row.period);
      if (resTotal > 0)
        share[r.name]! += (row.reservedReplicas * (cap / resTotal) * row.hours) / total;
    }
    for (const o of pr.hourly)
      share[o.name]! += ((row.rentedReplicasByOption[o.name] ?? 0) * row.hours) / total;
  }
  const owned = pr.periods.map((_, p) => ownedInService(pr, portfolio, p));
  const peak = Math.max(...pr.periods.map((p) => p.peakDemand));
  return {
    ownedReplicasByPeriod: owned,
    reservedReplicasByPeriod: Object.fromEntries(
      pr.reserved.map((r) => [
        r.name,
        pr.periods.map((_, p) => reservedInService(pr, portfolio, r.name, p)),
      ]),
    ),
    servedShareBySource: share,
    ownedFractionOfPeak: peak > 0 ? Math.max(...owned) / peak : 0,
  };
}

/** The load-duration curve of every period split by source: reserved first, then owned, then rented. */
function loadDurationSplit(pr: BuildVsRentProblem, portfolio: Portfolio): LoadDurationRow[] {
  const rows: LoadDurationRow[] = [];
  pr.periods.forEach((period, p) => {
    const reserved = pr.reserved.reduce(
      (s, r) => s + reservedInService(pr, portfolio, r.name, p),
      0,
    );
    period.blocks.forEach((block, b) => {
      const reservedServed = Math.min(reserved, block.meanDemand);
      const ownedServed = Math.min(
        portfolio.ownedServed[p]?.[b] ?? 0,
        block.meanDemand - reservedServed,
      );
      let left = block.meanDemand - reservedServed - ownedServed;
      const rented: Record<string, number> = {};
      for (const o of pr.hourly) {
        const delivered = Math.min(
          left,
          (portfolio.hourlyRented[o.name]?.[p]?.[b] ?? 0) * o.deliveredFraction,
        );
        rented[o.name] = Math.max(0, delivered);
        left -= rented[o.name]!;
      }
      rows.push({
        period: p,
        block: b,
        hours: block.hours,
        demandReplicas: block.meanDemand,
        ownedReplicas: ownedServed,
        reservedReplicas: reservedServed,
        rentedReplicasByOption: rented,
      });
    });
  });
  return rows;
}

function assumptionsOf(pr: BuildVsRentProblem, inputs: BuildVsRentInputs): string[] {
  const a = [
    `money in ${pr.currencyYear}; NPV at t = 0 with cost of capital ${(pr.discountRatePerYear * 100).toFixed(1)} %/year; hourly flows discounted at each period's midpoint`,
    `periods of ${pr.periodMonths} months; each period's hours sorted into ${inputs.blocksPerPeriod} load-duration blocks at their mean demand (exact for the LP unless a capacity level falls inside a block's range — see demand-load-duration.ts)`,
    'demand in replicas = tokens/s ÷ capacity per replica at the SLO; fractional replicas in a block are replica-hours averaged over its hours',
    `rent prices (reserved, on-demand, spot, API) change ${(pr.rentPriceChangePerYear * 100).toFixed(1)} %/year`,
    'reserved commitments must end within the horizon; their rate is locked at commitment',
  ];
  if (pr.own)
    a.push(
      `owned replicas: whole units, ordered ${pr.own.leadTimeMonths} months before service (lead time rounded up to whole periods), life ${pr.own.usefulLifeYears} years, ${(pr.own.residualValueShare * 100).toFixed(0)} % of straight-line book value recovered at the horizon, capex ${(pr.own.capexChangePerYear * 100).toFixed(1)} %/year`,
    );
  for (const o of pr.hourly)
    if (o.deliveredFraction < 1)
      a.push(
        `${o.name} delivers ${(o.deliveredFraction * 100).toFixed(0)} % of what is rented (interruptions)`,
      );
  return [...a, ...(inputs.assumptions ?? [])];
}
