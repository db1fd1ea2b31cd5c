/**
 * Use case `plan`: what a set of sites can serve, where, and when it is procurable (DESIGN §6,
 * §8). Pure; the solver comes in through the `LpSolver` port.
 *
 * 1. Sites from region defaults and the file (plan/site.ts); usable IT power per quarter after
 *    design-day PUE, redundancy and the installed base (plan/power-chain-fit.ts).
 * 2. Milestones → announced and procurable facility MW per quarter (plan/procurable.ts),
 *    and, with samples, P10/P50/P90 under gate delays (plan/gate-delays.ts). A site's usable IT
 *    power counts in a quarter only in the share of its envelope that is procurable then.
 * 3. Capacity per system: the model's throughput–interactivity envelope over the system's
 *    feasible plans (app/frontier.ts, the analytical estimate), read at each workload's
 *    interactivity (tokens/s per user) and TTFT target → tokens/s at SLO per system.
 * 4. Placement (plan/placement.ts, MILP): systems per site and quarter to serve the demand at
 *    least cost (or most tokens within the budget), within power, space, supply lead time and
 *    jurisdiction; what binds, with shadow prices; unserved demand with its reason.
 * 5. Per quarter: announced vs procurable MW (never summed), systems, GPUs, served tokens/s,
 *    cost and cost per 1M output tokens, tokens/s per procurable MW.
 */
import type { Catalog } from '../catalog/catalog.js';
import type { Basis } from '../core/basis.js';
import { AifError, ERROR_CODES } from '../core/errors.js';
import type { LpSolver } from '../core/lp.js';
import { sourced } from '../core/source.js';
import { maintenanceShareOfCapexPerYear, usefulLifeYears } from '../econ/defaults.js';
import type { CalibrationTable } from '../perf/calibration.js';
import { procurableMonteCarlo, type ProcurableMonteCarloResult } from '../plan/gate-delays.js';
import type { Gate, GateMilestone, SiteMilestones } from '../plan/milestones.js';
import { periodRange, type Period } from '../plan/period.js';
import { systemsThatFit, usableItPowerMw } from '../plan/power-chain-fit.js';
import { DEFAULT_PROVISIONING_POLICY } from '../plan/power-chain-policy.js';
import { systemPowerChain } from '../plan/power-chain.js';
import {
  optimizePlacement,
  type PlacementProblem,
  type PlacementResult,
} from '../plan/placement.js';
import { procurableTimeline, type ProcurableTimeline } from '../plan/procurable.js';
import { designDayPue } from '../plan/pue.js';
import { getRegion } from '../plan/regions.js';
import type { Redundancy } from '../plan/site-redundancy.js';
import { averageEnergyPriceUsdPerKwh, siteFromRegion, type Site } from '../plan/site.js';
import type { PlanFile } from '../scenario/plan-schema.js';
import { throughputAt, throughputEnvelope } from './frontier.js';

const HOURS_PER_QUARTER = 8760 / 4;
const SECONDS_PER_QUARTER = HOURS_PER_QUARTER * 3600;
const DEFAULT_COST_OF_CAPITAL = 0.08;
const DEFAULT_MC_SAMPLES = 500;

export interface SystemCapacity {
  systemId: string;
  workload: string;
  gpusPerSystem: number;
  /** Output tokens/s one system serves at the workload's interactivity and TTFT. */
  tokensPerSecondPerSystem: number;
  basis: Basis;
  /** Why the system cannot serve the workload, when it cannot. */
  note?: string;
}

export interface PlanPeriodRow {
  period: Period;
  /** Facility MW announced (every announced site) and procurable (passed the required gates). */
  announcedMw: number;
  procurableMw: number;
  /** Monte Carlo P10 / P50 / P90 of procurable facility MW (P10 pessimistic), with samples. */
  procurableMwPercentiles?: { p10: number; p50: number; p90: number };
  usableItMw: number;
  systems: Record<string, number>;
  gpus: number;
  demandTokensPerSecond: number;
  servedTokensPerSecond: number;
  /** Capex depreciated straight-line over the life + opex, this quarter, undiscounted. */
  costUsd: number;
  usdPerMillionOutputTokens: number | null;
  /** Served output tokens/s per procurable facility MW (provisioned basis). */
  tokensPerSecondPerProcurableMw: number | null;
}

export interface PlanReport {
  kind: 'aifactory.plan';
  name: string;
  seed: number;
  currencyYear: string;
  requiredGates: Gate[];
  periods: Period[];
  timeline: PlanPeriodRow[];
  capacity: SystemCapacity[];
  sites: {
    id: string;
    jurisdiction: string;
    envelopeMw: number;
    designDayPue: number;
    energyPriceUsdPerKwh: number;
    usableItMwAtFullEnvelope: number;
    /** At the full envelope, per system type: what fits, what binds, tokens/s at SLO. */
    fullBuild: {
      systemId: string;
      systems: number;
      binding: 'power' | 'density' | 'space';
      strandedInRacksKw: number;
      tokensPerSecondByWorkload: Record<string, number>;
      /** Output tok/s per facility MW of the envelope (provisioned). */
      tokensPerSecondPerMwByWorkload: Record<string, number>;
    }[];
  }[];
  procurable: ProcurableTimeline;
  monteCarlo?: ProcurableMonteCarloResult;
  placement: PlacementResult;
  assumptions: string[];
}

/** 'N+1' → 4 active + 1; 'N+1 (k+1)' → k active + 1. */
function redundancyOf(text: string | undefined): Redundancy {
  if (text === undefined || text === 'N') return { scheme: 'N' };
  if (text === '2N') return { scheme: '2N' };
  const m = /\((\d+)\+1\)/.exec(text);
  return { scheme: 'N+1', activeUnits: m ? Number(m[1]) : 4 };
}

function gateOf(g: string | { date: string; status?: string; confidence?: number }): GateMilestone {
  if (typeof g === 'string') return { date: g, status: 'done' } as GateMilestone;
  return {
    date: g.date,
    status: (g.status ?? 'planned') as GateMilestone['status'],
    ...(g.confidence !== undefined ? { confidence: g.confidence } : {}),
  } as GateMilestone;
}

/** Demand at a quarter: linear between stated quarters, flat after the last, 0 before the first. */
function demandAt(points: Record<string, number>, periods: readonly Period[]): number[] {
  const stated = Object.entries(points)
    .map(([p, v]) => ({ i: periods.indexOf(p as Period), v }))
    .filter((x) => x.i >= 0)
    .sort((a, b) => a.i - b.i);
  return periods.map((_, i) => {
    if (!stated.length || i < stated[0]!.i) return 0;
    for (let k = 0; k < stated.length - 1; k++) {
      const a = stated[k]!;
      const b = stated[k + 1]!;
      if (i >= a.i && i <= b.i) return a.v + ((b.v - a.v) * (i - a.i)) / (b.i - a.i);
    }
    return stated[stated.length - 1]!.v;
  });
}

/**
 * Plan the capacity of a plan file.
 * @throws AifError for unknown catalog ids, regions without sourced defaults the file does not
 *   state, demand quarters outside the horizon, a workload no system can serve.
 */
export function planCapacity(
  file: PlanFile,
  catalog: Catalog,
  calibration: CalibrationTable,
  solver: LpSolver,
): PlanReport {
  const periods = periodRange(file.horizon.start as Period, file.horizon.end as Period);
  const assumptions: string[] = [
    'capacity per system from the analytical estimate (steady-state means against the targets), not the twin',
    'a site serves only in the share of its envelope that is procurable in that quarter',
    `opex per system = energy at the provisioned power × design-day PUE (an upper bound) + maintenance (${(maintenanceShareOfCapexPerYear().value * 100).toFixed(0)}% of capex per year)`,
    'costs are discounted quarterly at the cost of capital; the per-quarter cost per token uses straight-line depreciation, undiscounted',
  ];
  const rate = file.costOfCapital ?? DEFAULT_COST_OF_CAPITAL;
  const lifeYears = file.hardwareLifeYears ?? usefulLifeYears().value;

  // 1. Sites.
  const sites: Site[] = file.sites.map((s) => {
    const region = getRegion(s.region);
    return siteFromRegion(region, {
      id: s.id,
      envelopeMw: s.powerEnvelopeMw,
      cooling: s.cooling,
      rackDensityLimitKw: s.rackDensityLimitKw,
      spaceRacks: s.spaceRacks,
      redundancy: {
        power: redundancyOf(s.redundancy?.power),
        cooling: redundancyOf(s.redundancy?.cooling),
      },
      ...(s.jurisdiction ? { jurisdiction: s.jurisdiction as Site['jurisdiction'] } : {}),
      ...(s.installedBase
        ? { installedBase: s.installedBase.map((b) => ({ from: b.from, itMw: b.itMw })) }
        : {}),
      ...(s.pue !== undefined ? { pue: { kind: 'constant' as const, pue: s.pue } } : {}),
      ...(s.energyPriceUsdPerKwh !== undefined
        ? {
            energyPrice: {
              kind: 'flat' as const,
              usdPerKwh: sourced(s.energyPriceUsdPerKwh, { source: `plan file ${file.name}` }),
            },
          }
        : {}),
      ...(s.carbonIntensityGPerKwh !== undefined
        ? {
            carbonIntensityGPerKwh: sourced(s.carbonIntensityGPerKwh, {
              source: `plan file ${file.name}`,
            }),
          }
        : {}),
    });
  });

  // 2. Milestones → procurable.
  const milestones: SiteMilestones[] = file.sites.map((s) => ({
    siteId: s.id,
    facilityMw: s.powerEnvelopeMw,
    gates: Object.fromEntries(
      Object.entries(s.milestones).map(([g, v]) => [g, gateOf(v!)]),
    ) as SiteMilestones['gates'],
  }));
  const required = [...file.require] as Gate[];
  const procurable = procurableTimeline(milestones, {
    from: periods[0]!,
    to: periods.at(-1)!,
    requiredGates: required,
  });
  const samples = file.monteCarloSamples ?? DEFAULT_MC_SAMPLES;
  const monteCarlo =
    samples > 0
      ? procurableMonteCarlo(milestones, {
          from: periods[0]!,
          to: periods.at(-1)!,
          requiredGates: required,
          seed: file.seed,
          samples,
        })
      : undefined;
  const procurableShare = (siteIndex: number, p: number): number => {
    const row = procurable.periods[p]!.sites.find((x) => x.siteId === file.sites[siteIndex]!.id);
    return row ? row.procurableMw / file.sites[siteIndex]!.powerEnvelopeMw : 0;
  };

  // 3. Capacity per system and workload.
  const capacity: SystemCapacity[] = [];
  for (const sys of file.systems) {
    const system = catalog.systems.get(sys.id);
    if (!system)
      throw new AifError(ERROR_CODES.CATALOG_UNKNOWN_ID, `unknown system '${sys.id}'`, [
        {
          path: 'systems',
          message: 'not in the catalog',
          value: sys.id,
          expected: `one of: ${[...catalog.systems.keys()].join(', ')}`,
        },
      ]);
    for (const w of file.workloads) {
      const curve = throughputEnvelope(
        { systemId: sys.id, precision: file.precision },
        file.model,
        { inputTokens: w.inputTokens, outputTokens: w.outputTokens },
        file.engine,
        1,
        catalog,
        calibration,
        w.ttftSeconds ?? Infinity,
      );
      const perGpu =
        'error' in curve
          ? undefined
          : throughputAt(curve.points, w.interactivityTokensPerSecondPerUser);
      capacity.push({
        systemId: sys.id,
        workload: w.name,
        gpusPerSystem: system.acceleratorCount,
        tokensPerSecondPerSystem: (perGpu ?? 0) * system.acceleratorCount,
        basis: {
          model: file.model,
          precision: file.precision,
          workload: `${w.name}: ISL ${w.inputTokens} / OSL ${w.outputTokens}`,
          slo: {
            tpotP99Seconds: 1 / w.interactivityTokensPerSecondPerUser,
            ...(w.ttftSeconds !== undefined ? { ttftP99Seconds: w.ttftSeconds } : {}),
          },
          utilization: `the best plan on ${sys.id} at ≥ ${w.interactivityTokensPerSecondPerUser} tok/s per user`,
          boundary: 'system',
          currencyYear: 'n/a',
          provenance: 'modeled',
          source: `analytical estimate envelope (app/frontier.ts), engine ${file.engine}`,
        },
        ...('error' in curve
          ? { note: curve.error }
          : perGpu === undefined
            ? { note: `no plan reaches ${w.interactivityTokensPerSecondPerUser} tok/s per user` }
            : {}),
      });
    }
  }

  // 4. Placement.
  const discount = periods.map((_, i) => (1 + rate) ** (-i / 4));
  const problem: PlacementProblem = {
    periods: periods.map((p, i) => ({ label: p, discountFactor: discount[i]! })),
    objective: file.objective,
    ...(file.budgetUsd !== undefined ? { budgetUsd: file.budgetUsd } : {}),
    sites: sites.map((site, si) => {
      const ddPue = designDayPue({
        spec: site.pue,
        cooling: site.cooling,
        climate: site.climate,
      }).value;
      const price = averageEnergyPriceUsdPerKwh(site.energyPrice);
      return {
        id: site.id,
        jurisdiction: site.jurisdiction,
        ...(file.sites[si]!.latencyRegion ? { latencyRegion: file.sites[si]!.latencyRegion } : {}),
        usableItPowerMwByPeriod: periods.map(
          (p, i) => usableItPowerMw(site, p) * procurableShare(si, i),
        ),
        racksByPeriod: periods.map(
          (_, i) => site.spaceRacks * Math.min(1, procurableShare(si, i) > 0 ? 1 : 0),
        ),
        systems: file.systems.map((sys) => {
          const system = catalog.systems.get(sys.id)!;
          const accelerator = catalog.accelerators.get(system.acceleratorId)!;
          const chain = systemPowerChain({
            system,
            accelerator,
            policy: DEFAULT_PROVISIONING_POLICY,
          });
          const kw = chain.budgetW / 1000;
          const perRack = Math.max(1, Math.floor(site.rackDensityLimitKw / kw));
          const capex = sys.capexUsd ?? system.priceUsd.value;
          const energyUsd = kw * ddPue * HOURS_PER_QUARTER * price;
          const maintenanceUsd = (capex * maintenanceShareOfCapexPerYear().value) / 4;
          return {
            systemTypeId: sys.id,
            provisionedKwPerSystem: kw,
            racksPerSystem:
              kw > site.rackDensityLimitKw ? Math.ceil(kw / site.rackDensityLimitKw) : 1 / perRack,
            capexUsdPerSystem: capex,
            opexUsdPerSystemPeriod: energyUsd + maintenanceUsd,
            tokensPerSecondByClass: Object.fromEntries(
              capacity
                .filter((c) => c.systemId === sys.id)
                .map((c) => [c.workload, c.tokensPerSecondPerSystem]),
            ),
            earliestPeriodIndex: sys.leadTimeQuarters ?? 0,
          };
        }),
      };
    }),
    demands: file.demand.map((d) => {
      for (const q of Object.keys(d.outputTokensPerSecond))
        if (!periods.includes(q as Period))
          throw new AifError(
            ERROR_CODES.SCENARIO_INVALID,
            `demand ${d.id}: quarter ${q} outside the horizon`,
            [
              {
                path: `demand.${d.id}.outputTokensPerSecond.${q}`,
                message: 'quarter outside the horizon',
                value: q,
                expected: `a quarter from ${periods[0]} to ${periods.at(-1)}`,
              },
            ],
          );
      return {
        id: d.id,
        region: d.region,
        jurisdiction: d.jurisdiction,
        workloadClass: d.workload,
        sovereign: d.sovereign ?? false,
        ...(d.allowedLatencyRegions ? { allowedLatencyRegions: d.allowedLatencyRegions } : {}),
        tokensPerSecondByPeriod: demandAt(d.outputTokensPerSecond, periods),
      };
    }),
  };
  const placement = optimizePlacement(problem, solver);

  // 5. The timeline.
  const timeline: PlanPeriodRow[] = periods.map((period, i) => {
    const systems: Record<string, number> = {};
    let gpus = 0;
    let costUsd = 0;
    for (const s of placement.systems) {
      const n = s.installedByPeriod[i] ?? 0;
      systems[s.systemTypeId] = (systems[s.systemTypeId] ?? 0) + n;
      const siteOpt = problem.sites
        .find((x) => x.id === s.siteId)!
        .systems.find((x) => x.systemTypeId === s.systemTypeId)!;
      gpus += n * catalog.systems.get(s.systemTypeId)!.acceleratorCount;
      costUsd += n * (siteOpt.capexUsdPerSystem / (lifeYears * 4) + siteOpt.opexUsdPerSystemPeriod);
    }
    const served = placement.demand
      .filter((d) => d.periodIndex === i)
      .reduce((a, d) => a + d.servedTokensPerSecond, 0);
    const demand = placement.demand
      .filter((d) => d.periodIndex === i)
      .reduce((a, d) => a + d.demandTokensPerSecond, 0);
    const mc = monteCarlo?.periods[i]?.procurableMw;
    const procurableMw = procurable.periods[i]!.procurableMw;
    return {
      period,
      announcedMw: procurable.periods[i]!.announcedMw,
      procurableMw,
      ...(mc ? { procurableMwPercentiles: { p10: mc.p10, p50: mc.p50, p90: mc.p90 } } : {}),
      usableItMw: problem.sites.reduce((a, s) => a + s.usableItPowerMwByPeriod[i]!, 0),
      systems,
      gpus,
      demandTokensPerSecond: demand,
      servedTokensPerSecond: served,
      costUsd,
      usdPerMillionOutputTokens:
        served > 0 ? costUsd / ((served * SECONDS_PER_QUARTER) / 1e6) : null,
      tokensPerSecondPerProcurableMw: procurableMw > 0 ? served / procurableMw : null,
    };
  });

  return {
    kind: 'aifactory.plan',
    name: file.name,
    seed: file.seed,
    currencyYear: 'USD-2026',
    requiredGates: required,
    periods,
    timeline,
    capacity,
    sites: sites.map((site) => ({
      id: site.id,
      jurisdiction: site.jurisdiction,
      envelopeMw: site.envelopeMw,
      designDayPue: designDayPue({ spec: site.pue, cooling: site.cooling, climate: site.climate })
        .value,
      energyPriceUsdPerKwh: averageEnergyPriceUsdPerKwh(site.energyPrice),
      usableItMwAtFullEnvelope: usableItPowerMw(site, periods.at(-1)!),
      fullBuild: file.systems.map((sys) => {
        const system = catalog.systems.get(sys.id)!;
        const fit = systemsThatFit({
          site,
          system,
          accelerator: catalog.accelerators.get(system.acceleratorId)!,
          policy: DEFAULT_PROVISIONING_POLICY,
          period: periods.at(-1)!,
        });
        const perWorkload = capacity.filter((c) => c.systemId === sys.id);
        return {
          systemId: sys.id,
          systems: fit.systems,
          binding: fit.binding,
          strandedInRacksKw: fit.strandedInRacksKw,
          tokensPerSecondByWorkload: Object.fromEntries(
            perWorkload.map((c) => [c.workload, fit.systems * c.tokensPerSecondPerSystem]),
          ),
          tokensPerSecondPerMwByWorkload: Object.fromEntries(
            perWorkload.map((c) => [
              c.workload,
              (fit.systems * c.tokensPerSecondPerSystem) / site.envelopeMw,
            ]),
          ),
        };
      }),
    })),
    procurable,
    ...(monteCarlo ? { monteCarlo } : {}),
    placement,
    assumptions,
  };
}
