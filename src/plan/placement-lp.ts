/**
 * The placement MILP (DESIGN §8) as a `core/lp.ts` problem. Indices: site s, system type k
 * (an option of site s), demand d (a region × workload class), period p. Variables, all ≥ 0:
 *
 *   sys[s][k][p]          integer  systems of type k in service at site s in period p
 *                                  (cumulative: installs are never removed in the horizon)
 *   alloc[s][k][d][p]              tokens/s of demand d served by those systems
 *                                  (only where type k serves d's class: t_skc > 0)
 *   unserved[d][p]                 tokens/s of demand d left unserved
 *
 * Rows (each named, so its dual can be read and reported):
 *
 *   power[s][p]          Σₖ (kW_sk / 1000) · sys[s][k][p] ≤ usable IT MW_sp
 *   space[s][p]          Σₖ racks_sk · sys[s][k][p] ≤ racks_sp
 *   capacity[s][k][p]    Σ_d alloc[s][k][d][p] / t_sk,class(d) − sys[s][k][p] ≤ 0
 *   cumulative[s][k][p]  sys[s][k][p] − sys[s][k][p−1] ≥ 0                 (p ≥ 1)
 *   lead-time[s][k][p]   sys[s][k][p] ≤ 0                     (p before the earliest delivery)
 *   demand[d][p]         Σ_{s,k} alloc[s][k][d][p] + unserved[d][p] = D_dp
 *   jurisdiction[d][s][p] Σₖ alloc[s][k][d][p] ≤ 0      (sovereign d, s in another jurisdiction)
 *   latency[d][s][p]     Σₖ alloc[s][k][d][p] ≤ 0      (s outside d's allowed latency regions)
 *   budget               cost ≤ budget                                      (when given)
 *   served-floor         Σ alloc ≥ floor                 (second stage of max-tokens only)
 *
 * cost = Σ_{s,k,p} f_p · (capex_sk · (sys[s][k][p] − sys[s][k][p−1]) + opex_sk · sys[s][k][p]),
 * f_p the period's discount factor. Objectives: `min-cost` minimises cost + penalty · Σ unserved;
 * `max-served` maximises Σ alloc; `min-cost-at-served` minimises cost with `served-floor`.
 *
 * Forbidden allocations are kept as columns pinned by their own rows (rather than left out)
 * so that the duals price jurisdiction and latency; lead times likewise get rows, not bounds.
 * With `systemsFloor` the integer columns become continuous with that lower bound: the LP
 * re-solved at the MILP's optimum, whose row duals are the shadow prices (`placement.ts`);
 * with `systemsFixed` as well, they are pinned there and only the allocation is left.
 */
import type { LpConstraint, LpProblem, LpSolution, LpTerm, LpVariable } from '../core/lp.js';
import { lpValue } from '../core/lp.js';
import {
  siteEligibility,
  type BindingKind,
  type PlacementAllocation,
  type PlacementProblem,
  type PlacementSystems,
} from './placement-model.js';

export const sysVar = (s: string, k: string, p: number) => `sys[${s}][${k}][${p}]`;
export const allocVar = (s: string, k: string, d: string, p: number) =>
  `alloc[${s}][${k}][${d}][${p}]`;
export const unservedVar = (d: string, p: number) => `unserved[${d}][${p}]`;

/** What an LP row stands for; the internal kinds are never reported as binding. */
export interface PlacementRow {
  kind: BindingKind | 'capacity' | 'cumulative' | 'served-floor';
  siteId?: string;
  systemTypeId?: string;
  demandId?: string;
  periodIndex?: number;
  /** Unit of the row's right-hand side, e.g. `MW`. */
  rhsUnit: string;
}

export type PlacementLpMode = 'min-cost' | 'max-served' | 'min-cost-at-served';

export interface PlacementLpOptions {
  mode: PlacementLpMode;
  /** USD per token/s unserved per period (used by `min-cost`). */
  penalty: number;
  /** Lower bound on Σ alloc (used by `min-cost-at-served`). */
  servedFloor?: number;
  /** Systems by `sysVar` name: make them continuous with this lower bound (the dual LP). */
  systemsFloor?: ReadonlyMap<string, number>;
  /** With `systemsFloor`: fix the systems at it (upper bound too), leaving an allocation LP. */
  systemsFixed?: boolean;
}

export interface DecodedPlacement {
  systems: PlacementSystems[];
  allocation: PlacementAllocation[];
  /** served[d][p] and unserved[d][p], tokens/s. */
  served: number[][];
  unserved: number[][];
}

export interface PlacementLp {
  problem: LpProblem;
  rows: ReadonlyMap<string, PlacementRow>;
  decode(solution: LpSolution): DecodedPlacement;
}

/** Discounted cost terms Σ f_p · (capex · installs + opex · in service), over `sysVar`s. */
export function placementCostTerms(pr: PlacementProblem): LpTerm[] {
  const terms: LpTerm[] = [];
  const f = pr.periods.map((p) => p.discountFactor ?? 1);
  for (const s of pr.sites)
    for (const o of s.systems)
      pr.periods.forEach((_, p) => {
        const now = sysVar(s.id, o.systemTypeId, p);
        terms.push({
          variable: now,
          coefficient: f[p]! * (o.capexUsdPerSystem + o.opexUsdPerSystemPeriod),
        });
        if (p > 0)
          terms.push({
            variable: sysVar(s.id, o.systemTypeId, p - 1),
            coefficient: -f[p]! * o.capexUsdPerSystem,
          });
      });
  return mergeTerms(terms);
}

function mergeTerms(terms: readonly LpTerm[]): LpTerm[] {
  const sum = new Map<string, number>();
  for (const t of terms) sum.set(t.variable, (sum.get(t.variable) ?? 0) + t.coefficient);
  return [...sum]
    .filter(([, c]) => c !== 0)
    .map(([variable, coefficient]) => ({ variable, coefficient }));
}

/** Build the placement LP/MILP. Pure; O(S·K·D·P) columns. Assumes a validated problem. */
export function placementLp(pr: PlacementProblem, options: PlacementLpOptions): PlacementLp {
  const variables: LpVariable[] = [];
  const constraints: LpConstraint[] = [];
  const rows = new Map<string, PlacementRow>();
  const addRow = (c: LpConstraint, meta: PlacementRow) => {
    constraints.push(c);
    rows.set(c.name, meta);
  };
  const floor = options.systemsFloor;

  // Columns: systems, allocations, unserved.
  for (const s of pr.sites)
    for (const o of s.systems)
      pr.periods.forEach((_, p) => {
        const name = sysVar(s.id, o.systemTypeId, p);
        const lower = Math.max(0, floor?.get(name) ?? 0);
        variables.push(
          floor
            ? { name, lower, ...(options.systemsFixed ? { upper: lower } : {}) }
            : { name, integer: true },
        );
      });
  const allocTerms = new Map<string, LpTerm[]>(); // by `${d}|${p}`, all sites
  pr.periods.forEach((_, p) => {
    for (const d of pr.demands) {
      const terms: LpTerm[] = [];
      for (const s of pr.sites) {
        const siteTerms: LpTerm[] = [];
        for (const o of s.systems) {
          if ((o.tokensPerSecondByClass[d.workloadClass] ?? 0) <= 0) continue;
          const name = allocVar(s.id, o.systemTypeId, d.id, p);
          variables.push({ name });
          siteTerms.push({ variable: name, coefficient: 1 });
        }
        const rule = siteEligibility(s, d);
        if (rule !== 'allowed' && siteTerms.length > 0)
          addRow(
            { name: `${rule}[${d.id}][${s.id}][${p}]`, terms: siteTerms, sense: '<=', rhs: 0 },
            { kind: rule, siteId: s.id, demandId: d.id, periodIndex: p, rhsUnit: 'token/s' },
          );
        terms.push(...siteTerms);
      }
      variables.push({ name: unservedVar(d.id, p) });
      allocTerms.set(`${d.id}|${p}`, terms);
    }
  });

  // Site rows: power, space, capacity, cumulative, lead time.
  for (const s of pr.sites)
    pr.periods.forEach((_, p) => {
      if (s.systems.length === 0) return;
      addRow(
        {
          name: `power[${s.id}][${p}]`,
          terms: s.systems.map((o) => ({
            variable: sysVar(s.id, o.systemTypeId, p),
            coefficient: o.provisionedKwPerSystem / 1000,
          })),
          sense: '<=',
          rhs: s.usableItPowerMwByPeriod[p]!,
        },
        { kind: 'power', siteId: s.id, periodIndex: p, rhsUnit: 'MW' },
      );
      const spaceTerms = s.systems
        .filter((o) => o.racksPerSystem > 0)
        .map((o) => ({
          variable: sysVar(s.id, o.systemTypeId, p),
          coefficient: o.racksPerSystem,
        }));
      if (spaceTerms.length > 0)
        addRow(
          {
            name: `space[${s.id}][${p}]`,
            terms: spaceTerms,
            sense: '<=',
            rhs: s.racksByPeriod[p]!,
          },
          { kind: 'space', siteId: s.id, periodIndex: p, rhsUnit: 'rack' },
        );
      for (const o of s.systems) {
        const k = o.systemTypeId;
        const sys = sysVar(s.id, k, p);
        const served = pr.demands
          .filter((d) => (o.tokensPerSecondByClass[d.workloadClass] ?? 0) > 0)
          .map((d) => ({
            variable: allocVar(s.id, k, d.id, p),
            coefficient: 1 / o.tokensPerSecondByClass[d.workloadClass]!,
          }));
        if (served.length > 0)
          addRow(
            {
              name: `capacity[${s.id}][${k}][${p}]`,
              terms: [...served, { variable: sys, coefficient: -1 }],
              sense: '<=',
              rhs: 0,
            },
            { kind: 'capacity', siteId: s.id, systemTypeId: k, periodIndex: p, rhsUnit: 'system' },
          );
        if (p > 0)
          addRow(
            {
              name: `cumulative[${s.id}][${k}][${p}]`,
              terms: [
                { variable: sys, coefficient: 1 },
                { variable: sysVar(s.id, k, p - 1), coefficient: -1 },
              ],
              sense: '>=',
              rhs: 0,
            },
            {
              kind: 'cumulative',
              siteId: s.id,
              systemTypeId: k,
              periodIndex: p,
              rhsUnit: 'system',
            },
          );
        if (p < (o.earliestPeriodIndex ?? 0))
          addRow(
            {
              name: `lead-time[${s.id}][${k}][${p}]`,
              terms: [{ variable: sys, coefficient: 1 }],
              sense: '<=',
              rhs: 0,
            },
            { kind: 'lead-time', siteId: s.id, systemTypeId: k, periodIndex: p, rhsUnit: 'system' },
          );
      }
    });

  // Demand rows.
  pr.periods.forEach((_, p) => {
    for (const d of pr.demands)
      addRow(
        {
          name: `demand[${d.id}][${p}]`,
          terms: [
            ...allocTerms.get(`${d.id}|${p}`)!,
            { variable: unservedVar(d.id, p), coefficient: 1 },
          ],
          sense: '=',
          rhs: d.tokensPerSecondByPeriod[p]!,
        },
        { kind: 'demand', demandId: d.id, periodIndex: p, rhsUnit: 'token/s' },
      );
  });

  const cost = placementCostTerms(pr);
  if (pr.budgetUsd !== undefined && cost.length > 0)
    addRow(
      { name: 'budget', terms: cost, sense: '<=', rhs: pr.budgetUsd },
      { kind: 'budget', rhsUnit: 'USD' },
    );
  const allServed = [...allocTerms.values()].flat();
  if (options.mode === 'min-cost-at-served' && allServed.length > 0)
    addRow(
      { name: 'served-floor', terms: allServed, sense: '>=', rhs: options.servedFloor ?? 0 },
      { kind: 'served-floor', rhsUnit: 'token/s·period' },
    );

  const unservedTerms = pr.demands.flatMap((d) =>
    pr.periods.map((_, p) => ({ variable: unservedVar(d.id, p), coefficient: options.penalty })),
  );
  const objective: LpTerm[] =
    options.mode === 'max-served'
      ? allServed
      : options.mode === 'min-cost'
        ? [...cost, ...unservedTerms]
        : cost;
  const problem: LpProblem = {
    name: `placement (${options.mode}${floor ? ', integers fixed' : ''}): ${pr.sites.length} sites × ${pr.demands.length} demands × ${pr.periods.length} periods`,
    sense: options.mode === 'max-served' ? 'maximize' : 'minimize',
    objective,
    variables,
    constraints,
  };

  const clip = (x: number) => (x < 1e-9 ? 0 : x);
  const decode = (sol: LpSolution): DecodedPlacement => {
    const systems: PlacementSystems[] = [];
    for (const s of pr.sites)
      for (const o of s.systems) {
        const installed = pr.periods.map((_, p) =>
          Math.max(0, Math.round(lpValue(sol, sysVar(s.id, o.systemTypeId, p)))),
        );
        systems.push({
          siteId: s.id,
          systemTypeId: o.systemTypeId,
          installedByPeriod: installed,
          addedByPeriod: installed.map((n, p) => n - (p > 0 ? installed[p - 1]! : 0)),
        });
      }
    const allocation: PlacementAllocation[] = [];
    const served = pr.demands.map(() => pr.periods.map(() => 0));
    pr.periods.forEach((_, p) =>
      pr.demands.forEach((d, di) => {
        for (const s of pr.sites)
          for (const o of s.systems) {
            if ((o.tokensPerSecondByClass[d.workloadClass] ?? 0) <= 0) continue;
            const x = clip(lpValue(sol, allocVar(s.id, o.systemTypeId, d.id, p)));
            if (x === 0) continue;
            allocation.push({
              siteId: s.id,
              systemTypeId: o.systemTypeId,
              demandId: d.id,
              periodIndex: p,
              tokensPerSecond: x,
            });
            served[di]![p]! += x;
          }
      }),
    );
    const unserved = pr.demands.map((d, di) =>
      pr.periods.map((_, p) => clip(d.tokensPerSecondByPeriod[p]! - served[di]![p]!)),
    );
    return { systems, allocation, served, unserved };
  };
  return { problem, rows, decode };
}
