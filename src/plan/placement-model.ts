/**
 * Inputs and outputs of the placement optimiser (`placement.ts`, DESIGN §8) as plain data, with
 * their validation and the default unserved-demand penalty. The app layer fills a
 * `PlacementProblem` from sites, the power chain, capacity and economics; this file knows no
 * solver. Pure: no I/O.
 *
 * Units: power in MW of usable IT power (provisioned, DESIGN §6) and kW per system; space in
 * racks; money in USD already discounted by each period's `discountFactor`; throughput in
 * tokens per second at the workload's SLO.
 */
import { AifError, ERROR_CODES } from '../core/errors.js';

/** One planning period (e.g. a quarter). Costs incurred in it are multiplied by its factor. */
export interface PlacementPeriod {
  /** Shown in reports, e.g. `2027-Q3`. */
  label: string;
  /** Present-value factor of money spent in this period; default 1 (no discounting). */
  discountFactor?: number;
}

/** A system type that a site can host, with its per-system requirements, cost and output. */
export interface PlacementSystemOption {
  /** Unique within its site, e.g. `gb200-nvl72`. */
  systemTypeId: string;
  /** Provisioned IT power per system, kW (> 0). */
  provisionedKwPerSystem: number;
  /** Racks (or rack positions) per system (≥ 0). */
  racksPerSystem: number;
  /** Capital cost per system installed, USD, paid in the period of installation. */
  capexUsdPerSystem: number;
  /** Operating cost per installed system per period, USD (energy, support, space). */
  opexUsdPerSystemPeriod: number;
  /** Tokens/s at SLO one system delivers for each workload class; a missing class is 0. */
  tokensPerSecondByClass: Readonly<Record<string, number>>;
  /** Index of the first period in which a system can be in service (supply lead time); default 0. */
  earliestPeriodIndex?: number;
}

export interface PlacementSite {
  /** Unique site id, e.g. `us-va-1`. */
  id: string;
  /** Jurisdiction for sovereign demand, e.g. `EU`, `US`. */
  jurisdiction: string;
  /** Latency region for demands that restrict where they are served; optional. */
  latencyRegion?: string;
  /** Usable IT power, MW, for each period (after PUE, redundancy, the installed base). */
  usableItPowerMwByPeriod: readonly number[];
  /** Racks available, for each period. */
  racksByPeriod: readonly number[];
  systems: readonly PlacementSystemOption[];
}

/** Demand of one region for one workload class. */
export interface PlacementDemand {
  /** Unique id used in reports, e.g. `eu-coding`. */
  id: string;
  region: string;
  /** Jurisdiction of the region (sovereign demand is served only from sites in it). */
  jurisdiction: string;
  workloadClass: string;
  /** Tokens/s at SLO to serve, for each period (≥ 0). */
  tokensPerSecondByPeriod: readonly number[];
  /** Served only from sites of `jurisdiction`; default false. */
  sovereign?: boolean;
  /** When given, served only from sites whose `latencyRegion` is listed. */
  allowedLatencyRegions?: readonly string[];
}

/**
 * `min-cost`: minimise discounted capex + opex + penalty · unserved (serve all that can be
 * served, cheapest). `max-tokens`: maximise served tokens/s summed over periods within the
 * budget, then the cheapest plan serving that much.
 */
export type PlacementObjective = 'min-cost' | 'max-tokens';

export interface PlacementProblem {
  periods: readonly PlacementPeriod[];
  sites: readonly PlacementSite[];
  demands: readonly PlacementDemand[];
  objective: PlacementObjective;
  /** Cap on discounted capex + opex over the horizon, USD; none when omitted. */
  budgetUsd?: number;
  /**
   * Penalty per token/s unserved per period (min-cost objective), USD. Default
   * `defaultUnservedPenalty`: 100 × the dearest full-horizon cost of one token/s of any system.
   */
  unservedPenaltyUsdPerTokenPerSecondPeriod?: number;
  /** MILP relative gap asked of the solver; default `DEFAULT_MIP_RELATIVE_GAP` (1e-3). */
  mipRelativeGap?: number;
}

/** A constraint family that can hold the plan back. */
export type BindingKind =
  'power' | 'space' | 'budget' | 'demand' | 'jurisdiction' | 'latency' | 'lead-time';

/** One constraint with a positive shadow price in the fixed-integer LP. */
export interface BindingConstraint {
  kind: BindingKind;
  /** The LP row, e.g. `power[eu-1][3]`. */
  constraint: string;
  siteId?: string;
  systemTypeId?: string;
  demandId?: string;
  periodIndex?: number;
  periodLabel?: string;
  /**
   * Improvement of the objective per unit relaxation of the constraint (≥ 0): per MW more power,
   * per rack more space, per USD more budget, per token/s less demand (min-cost) or more demand
   * (max-tokens), per token/s allowed across a jurisdiction or latency boundary, per system
   * deliverable one period earlier.
   */
  shadowPrice: number;
  /** E.g. `USD per MW` or `token/s·periods per USD`. */
  unit: string;
}

export interface PlacementSystems {
  siteId: string;
  systemTypeId: string;
  /** Systems in service in each period (cumulative; never decreases). */
  installedByPeriod: number[];
  /** Systems added in each period. */
  addedByPeriod: number[];
}

export interface PlacementAllocation {
  siteId: string;
  systemTypeId: string;
  demandId: string;
  periodIndex: number;
  tokensPerSecond: number;
}

export interface PlacementDemandOutcome {
  demandId: string;
  periodIndex: number;
  periodLabel: string;
  demandTokensPerSecond: number;
  servedTokensPerSecond: number;
  unservedTokensPerSecond: number;
  /** When unserved: the constraint named as the reason (`integrality` when none has a price). */
  reason?: BindingKind | 'integrality';
  /** When unserved: a sentence naming the binding constraint and its shadow price. */
  message?: string;
}

export interface PlacementSiteUsage {
  siteId: string;
  periodIndex: number;
  usedMw: number;
  usableMw: number;
  usedRacks: number;
  racks: number;
}

export interface PlacementCost {
  capexUsd: number;
  opexUsd: number;
  /** capex + opex, discounted. */
  totalUsd: number;
}

export interface PlacementResult {
  objective: PlacementObjective;
  /** The MILP relative gap the plan was solved to (its objective is within it of optimal). */
  mipRelativeGap: number;
  systems: PlacementSystems[];
  /** Non-zero allocations only. */
  allocation: PlacementAllocation[];
  cost: PlacementCost;
  /** Penalty used for unserved demand (min-cost), USD per token/s per period. */
  unservedPenaltyUsdPerTokenPerSecondPeriod: number;
  /** cost.totalUsd + penalty · Σ unserved (the min-cost objective; reported for max-tokens too). */
  objectiveValueUsd: number;
  /** Σ over demands and periods of served tokens/s. */
  servedTokensPerSecondPeriods: number;
  demand: PlacementDemandOutcome[];
  /** Only the outcomes with unserved demand. */
  unserved: PlacementDemandOutcome[];
  siteUsage: PlacementSiteUsage[];
  /** Constraints with a positive shadow price, by kind then descending price. */
  binding: BindingConstraint[];
  /** One sentence per unserved demand and period. */
  messages: string[];
  /** How the shadow prices were obtained. */
  shadowPriceBasis: string;
  solver: string;
}

const fail = (requirement: string): never => {
  throw new AifError(ERROR_CODES.INVALID_ARGUMENT, `optimizePlacement: ${requirement}`);
};
const nonNegative = (x: number) => Number.isFinite(x) && x >= 0;

/**
 * Check a problem: at least one period; per-period arrays of that length; finite non-negative
 * numbers (kW per system > 0); unique site, system-type (within a site) and demand ids; lead
 * times that are non-negative integers. Throws `E_INVALID_ARGUMENT` naming the field.
 */
export function validatePlacementProblem(pr: PlacementProblem): void {
  const P = pr.periods.length;
  if (P === 0) fail('needs at least one period');
  pr.periods.forEach((p, i) => {
    const f = p.discountFactor ?? 1;
    if (!(Number.isFinite(f) && f > 0))
      fail(`periods[${i}].discountFactor must be finite and > 0, got ${f}`);
  });
  const perPeriod = (xs: readonly number[], where: string) => {
    if (xs.length !== P) fail(`${where} needs ${P} values (one per period), got ${xs.length}`);
    xs.forEach((x, i) => {
      if (!nonNegative(x)) fail(`${where}[${i}] must be finite and ≥ 0, got ${x}`);
    });
  };
  const siteIds = new Set<string>();
  for (const s of pr.sites) {
    if (siteIds.has(s.id)) fail(`site '${s.id}' is listed twice`);
    siteIds.add(s.id);
    perPeriod(s.usableItPowerMwByPeriod, `site '${s.id}' usableItPowerMwByPeriod`);
    perPeriod(s.racksByPeriod, `site '${s.id}' racksByPeriod`);
    const types = new Set<string>();
    for (const o of s.systems) {
      const where = `site '${s.id}' system '${o.systemTypeId}'`;
      if (types.has(o.systemTypeId)) fail(`${where} is listed twice`);
      types.add(o.systemTypeId);
      if (!(Number.isFinite(o.provisionedKwPerSystem) && o.provisionedKwPerSystem > 0))
        fail(`${where} needs provisionedKwPerSystem > 0, got ${o.provisionedKwPerSystem}`);
      const fields: [string, number][] = [
        ['racksPerSystem', o.racksPerSystem],
        ['capexUsdPerSystem', o.capexUsdPerSystem],
        ['opexUsdPerSystemPeriod', o.opexUsdPerSystemPeriod],
        ...Object.entries(o.tokensPerSecondByClass).map(([c, t]): [string, number] => [
          `tokens/s for '${c}'`,
          t,
        ]),
      ];
      for (const [field, x] of fields)
        if (!nonNegative(x)) fail(`${where} needs ${field} finite and ≥ 0, got ${x}`);
      const e = o.earliestPeriodIndex ?? 0;
      if (!(Number.isInteger(e) && e >= 0))
        fail(`${where} needs earliestPeriodIndex a non-negative integer, got ${e}`);
    }
  }
  const demandIds = new Set<string>();
  for (const d of pr.demands) {
    if (demandIds.has(d.id)) fail(`demand '${d.id}' is listed twice`);
    demandIds.add(d.id);
    perPeriod(d.tokensPerSecondByPeriod, `demand '${d.id}' tokensPerSecondByPeriod`);
  }
  if (pr.budgetUsd !== undefined && !nonNegative(pr.budgetUsd))
    fail(`budgetUsd must be finite and ≥ 0, got ${pr.budgetUsd}`);
  const penalty = pr.unservedPenaltyUsdPerTokenPerSecondPeriod;
  if (penalty !== undefined && !(Number.isFinite(penalty) && penalty > 0))
    fail(`unservedPenaltyUsdPerTokenPerSecondPeriod must be finite and > 0, got ${penalty}`);
  const gap = pr.mipRelativeGap;
  if (gap !== undefined && !nonNegative(gap)) fail(`mipRelativeGap must be ≥ 0, got ${gap}`);
}

/**
 * Default penalty per token/s unserved per period: 100 × max over sites, system types and
 * classes of (capex + opex · periods) / tokens/s — so serving a remainder of at least 1% of a
 * system's throughput beats leaving it unserved whenever the constraints allow. 1 when no
 * system serves anything.
 */
export function defaultUnservedPenalty(pr: PlacementProblem): number {
  let worst = 0;
  for (const s of pr.sites)
    for (const o of s.systems) {
      const full = o.capexUsdPerSystem + o.opexUsdPerSystemPeriod * pr.periods.length;
      for (const t of Object.values(o.tokensPerSecondByClass))
        if (t > 0) worst = Math.max(worst, full / t);
    }
  return worst > 0 ? 100 * worst : 1;
}

/** Whether `site` may serve `demand` at all, and if not, which rule forbids it. */
export function siteEligibility(
  site: PlacementSite,
  demand: PlacementDemand,
): 'allowed' | 'jurisdiction' | 'latency' {
  if (demand.sovereign && site.jurisdiction !== demand.jurisdiction) return 'jurisdiction';
  const allowed = demand.allowedLatencyRegions;
  if (allowed && !(site.latencyRegion !== undefined && allowed.includes(site.latencyRegion)))
    return 'latency';
  return 'allowed';
}
