import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { LpConstraint, LpSolver, LpTerm, LpVariable } from '../core/lp.js';
import { createHighsSolver } from '../solver/highs.js';
import {
  optimizePlacement,
  placementCost,
  siteEligibility,
  type PlacementDemand,
  type PlacementProblem,
  type PlacementSite,
  type PlacementSystemOption,
  type PlacementSystems,
} from './placement.js';

let solver: LpSolver;
beforeAll(async () => {
  solver = await createHighsSolver();
});

const option = (
  systemTypeId: string,
  over: Partial<PlacementSystemOption> = {},
): PlacementSystemOption => ({
  systemTypeId,
  provisionedKwPerSystem: 250,
  racksPerSystem: 1,
  capexUsdPerSystem: 1000,
  opexUsdPerSystemPeriod: 100,
  tokensPerSecondByClass: { coding: 1000 },
  ...over,
});
const site = (
  id: string,
  jurisdiction: string,
  over: Partial<PlacementSite> = {},
): PlacementSite => ({
  id,
  jurisdiction,
  usableItPowerMwByPeriod: [1, 1],
  racksByPeriod: [100, 100],
  systems: [option('a')],
  ...over,
});
const demand = (
  id: string,
  jurisdiction: string,
  tokensPerSecondByPeriod: number[],
  over: Partial<PlacementDemand> = {},
): PlacementDemand => ({
  id,
  region: id,
  jurisdiction,
  workloadClass: 'coding',
  tokensPerSecondByPeriod,
  ...over,
});
const periods = [{ label: '2027-Q2' }, { label: '2027-Q3' }];

// ---------------------------------------------------------------------------------------------
// Brute force: every integer plan, each with its allocation LP written here independently.
// ---------------------------------------------------------------------------------------------

/** Every non-decreasing sequence of `length` integers in [0, max], zero before `earliest`. */
function monotone(length: number, max: number, earliest: number): number[][] {
  const out: number[][] = [];
  const walk = (prefix: number[]) => {
    if (prefix.length === length) return void out.push(prefix);
    const p = prefix.length;
    const lo = prefix[p - 1] ?? 0;
    const hi = p < earliest ? 0 : max;
    for (let n = lo; n <= hi; n++) walk([...prefix, n]);
  };
  walk([]);
  return out;
}

/** Least penalty · unserved for fixed systems: an LP in allocations only (rhs = capacities). */
function allocationPenalty(pr: PlacementProblem, plan: PlacementSystems[], penalty: number) {
  const variables: LpVariable[] = [];
  const constraints: LpConstraint[] = [];
  const objective: LpTerm[] = [];
  pr.periods.forEach((_, p) => {
    const byDemand = new Map<string, LpTerm[]>(pr.demands.map((d) => [d.id, []]));
    for (const x of plan) {
      const s = pr.sites.find((q) => q.id === x.siteId)!;
      const o = s.systems.find((q) => q.systemTypeId === x.systemTypeId)!;
      const use: LpTerm[] = [];
      for (const d of pr.demands) {
        const t = o.tokensPerSecondByClass[d.workloadClass] ?? 0;
        if (t <= 0 || siteEligibility(s, d) !== 'allowed') continue;
        const v = `x ${s.id} ${o.systemTypeId} ${d.id} ${p}`;
        variables.push({ name: v });
        use.push({ variable: v, coefficient: 1 / t });
        byDemand.get(d.id)!.push({ variable: v, coefficient: 1 });
      }
      if (use.length > 0)
        constraints.push({
          name: `cap ${s.id} ${o.systemTypeId} ${p}`,
          terms: use,
          sense: '<=',
          rhs: x.installedByPeriod[p]!,
        });
    }
    for (const d of pr.demands) {
      const u = `u ${d.id} ${p}`;
      variables.push({ name: u });
      objective.push({ variable: u, coefficient: penalty });
      constraints.push({
        name: `dem ${d.id} ${p}`,
        terms: [...byDemand.get(d.id)!, { variable: u, coefficient: 1 }],
        sense: '=',
        rhs: d.tokensPerSecondByPeriod[p]!,
      });
    }
  });
  const s = solver.solve({ sense: 'minimize', objective, variables, constraints });
  return { penaltyUsd: s.objectiveValue, unserved: s.objectiveValue / penalty };
}

interface BruteForce {
  objectiveUsd: number;
  best: { costUsd: number; servedTokensPerSecondPeriods: number };
  plans: number;
}

/** Enumerate every integer plan within power, space, lead times and budget. */
function bruteForce(pr: PlacementProblem, penalty: number): BruteForce {
  const P = pr.periods.length;
  const pairs = pr.sites.flatMap((s) =>
    s.systems.map((o) => {
      const maxByPower = Math.floor(
        (1000 * Math.max(...s.usableItPowerMwByPeriod)) / o.provisionedKwPerSystem + 1e-9,
      );
      return { s, o, options: monotone(P, maxByPower, o.earliestPeriodIndex ?? 0) };
    }),
  );
  const totalDemand = pr.demands.reduce(
    (a, d) => a + d.tokensPerSecondByPeriod.reduce((x, y) => x + y, 0),
    0,
  );
  let best: BruteForce['best'] & { objectiveUsd: number } = {
    objectiveUsd: Infinity,
    costUsd: Infinity,
    servedTokensPerSecondPeriods: -Infinity,
  };
  let plans = 0;
  const visit = (i: number, chosen: PlacementSystems[]) => {
    if (i < pairs.length) {
      for (const seq of pairs[i]!.options) {
        const x = {
          siteId: pairs[i]!.s.id,
          systemTypeId: pairs[i]!.o.systemTypeId,
          installedByPeriod: seq,
          addedByPeriod: seq.map((n, p) => n - (seq[p - 1] ?? 0)),
        };
        visit(i + 1, [...chosen, x]);
      }
      return;
    }
    for (const s of pr.sites)
      for (let p = 0; p < P; p++) {
        let mw = 0;
        let racks = 0;
        for (const x of chosen.filter((c) => c.siteId === s.id)) {
          const o = s.systems.find((q) => q.systemTypeId === x.systemTypeId)!;
          mw += (x.installedByPeriod[p]! * o.provisionedKwPerSystem) / 1000;
          racks += x.installedByPeriod[p]! * o.racksPerSystem;
        }
        if (mw > s.usableItPowerMwByPeriod[p]! + 1e-9 || racks > s.racksByPeriod[p]! + 1e-9) return;
      }
    const cost = placementCost(pr, chosen).totalUsd;
    if (pr.budgetUsd !== undefined && cost > pr.budgetUsd + 1e-6) return;
    plans++;
    if (pr.objective === 'min-cost') {
      if (cost >= best.objectiveUsd) return; // the penalty only adds
      const { penaltyUsd } = allocationPenalty(pr, chosen, penalty);
      if (cost + penaltyUsd < best.objectiveUsd)
        best = {
          objectiveUsd: cost + penaltyUsd,
          costUsd: cost,
          servedTokensPerSecondPeriods: totalDemand - penaltyUsd / penalty,
        };
    } else {
      const served = totalDemand - allocationPenalty(pr, chosen, 1).unserved;
      const better =
        served > best.servedTokensPerSecondPeriods + 1e-6 ||
        (served > best.servedTokensPerSecondPeriods - 1e-6 && cost < best.costUsd);
      if (better) best = { objectiveUsd: NaN, costUsd: cost, servedTokensPerSecondPeriods: served };
    }
  };
  visit(0, []);
  return { objectiveUsd: best.objectiveUsd, best, plans };
}

// Small random instances: 2 sites × 2 system types × 2 periods, at most 3 systems per site.
const arbOption = (id: string) =>
  fc.record({
    systemTypeId: fc.constant(id),
    provisionedKwPerSystem: fc.constantFrom(100, 150),
    racksPerSystem: fc.constantFrom(0, 1, 2),
    capexUsdPerSystem: fc.integer({ min: 0, max: 5000 }),
    opexUsdPerSystemPeriod: fc.integer({ min: 0, max: 500 }),
    tokensPerSecondByClass: fc.record({
      a: fc.integer({ min: 0, max: 2000 }),
      b: fc.integer({ min: 0, max: 2000 }),
    }),
    earliestPeriodIndex: fc.constantFrom(0, 0, 1),
  });
const arbSite = (id: string) =>
  fc.record({
    id: fc.constant(id),
    jurisdiction: fc.constantFrom('EU', 'US'),
    latencyRegion: fc.constantFrom('east', 'west'),
    usableItPowerMwByPeriod: fc.array(fc.constantFrom(0.1, 0.2, 0.3), {
      minLength: 2,
      maxLength: 2,
    }),
    racksByPeriod: fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 2, maxLength: 2 }),
    systems: fc.tuple(arbOption('k1'), arbOption('k2')),
  });
const arbDemand = (id: string) =>
  fc.record({
    id: fc.constant(id),
    region: fc.constant(id),
    jurisdiction: fc.constantFrom('EU', 'US'),
    workloadClass: fc.constantFrom('a', 'b'),
    tokensPerSecondByPeriod: fc.array(fc.integer({ min: 0, max: 4000 }), {
      minLength: 2,
      maxLength: 2,
    }),
    sovereign: fc.boolean(),
  });
const arbProblem = (objective: 'min-cost' | 'max-tokens') =>
  fc.record({
    periods: fc.constant([
      { label: 'p0', discountFactor: 1 },
      { label: 'p1', discountFactor: 0.9 },
    ]),
    sites: fc.tuple(arbSite('s1'), arbSite('s2')),
    demands: fc.tuple(arbDemand('d1'), arbDemand('d2')),
    objective: fc.constant(objective),
    budgetUsd: fc.option(fc.integer({ min: 0, max: 15000 }), { nil: undefined }),
    unservedPenaltyUsdPerTokenPerSecondPeriod: fc.constantFrom(0.5, 2, 10),
    // Exact optima: the oracle and the monotonicity properties hold for the optimum itself.
    mipRelativeGap: fc.constant(1e-9),
  }) as fc.Arbitrary<PlacementProblem>;

const close = (a: number, b: number) => Math.abs(a - b) <= 1e-6 * Math.max(1, Math.abs(b));

describe('optimizePlacement agrees with brute force', () => {
  it('finds the least-cost plan of a hand-made instance (power, lead time, sovereignty)', () => {
    // EU site: 1 MW fits 4 systems; US site: delivers from period 1 only. Sovereign EU demand
    // of 6 systems' worth must leave 2 unserved; US demand waits for period 1.
    const pr: PlacementProblem = {
      periods,
      sites: [
        site('eu-1', 'EU'),
        site('us-1', 'US', {
          usableItPowerMwByPeriod: [0.5, 0.5],
          systems: [option('a', { earliestPeriodIndex: 1 })],
        }),
      ],
      demands: [
        demand('eu-coding', 'EU', [6000, 6000], { sovereign: true }),
        demand('us-coding', 'US', [2000, 2000]),
      ],
      objective: 'min-cost',
      mipRelativeGap: 1e-9,
    };
    const r = optimizePlacement(pr, solver);
    const bf = bruteForce(pr, r.unservedPenaltyUsdPerTokenPerSecondPeriod);
    expect(r.objectiveValueUsd).toBeCloseTo(bf.objectiveUsd, 6);
    // By hand: 4 EU systems from period 0 (4·1000 + 2·4·100) and 2 US systems in period 1
    // (2·1000 + 2·100) cost 7000. Period 0: 4000 tok/s for 8000 asked (EU systems may serve
    // either demand, a tie); period 1: the US systems serve us-coding, eu-coding is 2000 short.
    expect(r.cost.totalUsd).toBeCloseTo(7000, 9);
    const short = (p: number) =>
      r.unserved
        .filter((u) => u.periodIndex === p)
        .reduce((a, u) => a + u.unservedTokensPerSecond, 0);
    expect([short(0), short(1)]).toEqual([4000, 2000]);
    expect(r.unserved.filter((u) => u.periodIndex === 1).map((u) => u.demandId)).toEqual([
      'eu-coding',
    ]);
  });

  it('matches enumeration on 16 random min-cost instances (2 sites × 2 types × 2 periods)', () => {
    let plans = 0;
    let building = 0;
    let short = 0;
    fc.assert(
      fc.property(arbProblem('min-cost'), (pr) => {
        const r = optimizePlacement(pr, solver);
        const bf = bruteForce(pr, r.unservedPenaltyUsdPerTokenPerSecondPeriod);
        plans += bf.plans;
        if (r.systems.some((x) => x.addedByPeriod.some((n) => n > 0))) building++;
        if (r.unserved.length > 0) short++;
        expect(close(r.objectiveValueUsd, bf.objectiveUsd)).toBe(true);
      }),
      { numRuns: 16, seed: 20270301 },
    );
    // With seed 20270301: 481 feasible plans enumerated; 11 optima build, 14 leave demand short.
    expect(plans).toBeGreaterThan(300);
    expect(building).toBeGreaterThanOrEqual(8);
    expect(short).toBeGreaterThanOrEqual(8);
  });

  it('matches enumeration on 8 random max-tokens instances: most tokens, then least cost', () => {
    fc.assert(
      fc.property(arbProblem('max-tokens'), (pr) => {
        const r = optimizePlacement(pr, solver);
        const bf = bruteForce(pr, 1);
        expect(close(r.servedTokensPerSecondPeriods, bf.best.servedTokensPerSecondPeriods)).toBe(
          true,
        );
        expect(close(r.cost.totalUsd, bf.best.costUsd)).toBe(true);
      }),
      { numRuns: 8, seed: 20270302 },
    );
  });
});

describe('optimizePlacement properties', () => {
  it('more power at a site never raises the optimal cost', () => {
    fc.assert(
      fc.property(
        arbProblem('min-cost'),
        fc.integer({ min: 0, max: 1 }),
        fc.constantFrom(0.1, 0.2),
        (pr, which, extraMw) => {
          const more: PlacementProblem = {
            ...pr,
            sites: pr.sites.map((s, i) =>
              i === which
                ? {
                    ...s,
                    usableItPowerMwByPeriod: s.usableItPowerMwByPeriod.map((x) => x + extraMw),
                  }
                : s,
            ),
          };
          const base = optimizePlacement(pr, solver).objectiveValueUsd;
          const after = optimizePlacement(more, solver).objectiveValueUsd;
          expect(after).toBeLessThanOrEqual(base * (1 + 1e-6) + 1e-6);
        },
      ),
      { numRuns: 20, seed: 20270303 },
    );
  });

  it('a sovereign constraint never lowers the optimal cost', () => {
    fc.assert(
      fc.property(arbProblem('min-cost'), (pr) => {
        const free = { ...pr, demands: pr.demands.map((d) => ({ ...d, sovereign: false })) };
        const sovereign = { ...pr, demands: pr.demands.map((d) => ({ ...d, sovereign: true })) };
        const a = optimizePlacement(free, solver).objectiveValueUsd;
        const b = optimizePlacement(sovereign, solver).objectiveValueUsd;
        expect(b).toBeGreaterThanOrEqual(a * (1 - 1e-6) - 1e-6);
      }),
      { numRuns: 20, seed: 20270304 },
    );
  });

  it('a larger budget never lowers served tokens (max-tokens)', () => {
    fc.assert(
      fc.property(
        arbProblem('max-tokens'),
        fc.integer({ min: 0, max: 10000 }),
        fc.integer({ min: 1, max: 10000 }),
        (pr, budget, extra) => {
          const small = optimizePlacement({ ...pr, budgetUsd: budget }, solver);
          const large = optimizePlacement({ ...pr, budgetUsd: budget + extra }, solver);
          expect(large.servedTokensPerSecondPeriods).toBeGreaterThanOrEqual(
            small.servedTokensPerSecondPeriods * (1 - 1e-9) - 1e-6,
          );
        },
      ),
      { numRuns: 20, seed: 20270305 },
    );
  });
});

describe('optimizePlacement reasons and shadow prices', () => {
  it('reports sovereign demand with no site in its jurisdiction as unserved, naming jurisdiction', () => {
    const pr: PlacementProblem = {
      periods,
      sites: [site('us-1', 'US', { usableItPowerMwByPeriod: [10, 10] })],
      demands: [demand('eu-coding', 'EU', [3000, 3000], { sovereign: true })],
      objective: 'min-cost',
    };
    const r = optimizePlacement(pr, solver);
    expect(r.unserved.map((u) => u.unservedTokensPerSecond)).toEqual([3000, 3000]);
    expect(r.unserved.every((u) => u.reason === 'jurisdiction')).toBe(true);
    expect(r.messages[1]).toMatch(
      /^sovereign demand eu-coding in 2027-Q3: 3000 of 3000 tok\/s unserved; no site in jurisdiction EU can serve 'coding'; jurisdiction binds \(us-1 in 2027-Q3: shadow price [\d.]+ USD per token\/s\)/,
    );
    expect(r.systems[0]!.installedByPeriod).toEqual([0, 0]);
  });

  it('prices the power row of a power-bound site and names power as the reason', () => {
    // 1 MW fits 4 systems of 250 kW; demand needs 6. Another MW would add 4 fractional systems'
    // worth of tokens: penalty 120/tok/s · 1000 tok/s · 4 per MW less their cost.
    const pr: PlacementProblem = {
      periods: [{ label: '2027-Q3' }],
      sites: [site('eu-1', 'EU', { usableItPowerMwByPeriod: [1], racksByPeriod: [100] })],
      demands: [demand('eu-coding', 'EU', [6000], { sovereign: true })],
      objective: 'min-cost',
      unservedPenaltyUsdPerTokenPerSecondPeriod: 120,
    };
    const r = optimizePlacement(pr, solver);
    expect(r.systems[0]!.installedByPeriod).toEqual([4]);
    const power = r.binding.find((b) => b.constraint === 'power[eu-1][0]');
    expect(power?.kind).toBe('power');
    expect(power?.unit).toBe('USD per MW');
    // 4 systems per MW × (120 · 1000 − 1000 capex − 100 opex) = 475 600 USD per MW.
    expect(power?.shadowPrice).toBeCloseTo(4 * (120 * 1000 - 1100), 6);
    expect(r.unserved[0]?.reason).toBe('power');
    expect(r.messages[0]).toBe(
      "sovereign demand eu-coding in 2027-Q3: 2000 of 6000 tok/s unserved; EU sites' usable power binds (eu-1 in 2027-Q3: shadow price 476000 USD per MW).",
    );
  });

  it('names jurisdiction as also binding when another jurisdiction has room', () => {
    const pr: PlacementProblem = {
      periods: [{ label: '2027-Q3' }],
      sites: [
        site('eu-1', 'EU', { usableItPowerMwByPeriod: [1], racksByPeriod: [100] }),
        site('us-1', 'US', { usableItPowerMwByPeriod: [10], racksByPeriod: [100] }),
      ],
      demands: [demand('eu-coding', 'EU', [6000], { sovereign: true })],
      objective: 'min-cost',
    };
    const r = optimizePlacement(pr, solver);
    expect(r.unserved[0]?.reason).toBe('power');
    expect(r.messages[0]).toMatch(/also binding: jurisdiction \(us-1 in 2027-Q3: shadow price/);
  });

  it('names the supply lead time when no system can be delivered yet', () => {
    const pr: PlacementProblem = {
      periods,
      sites: [site('us-1', 'US', { systems: [option('a', { earliestPeriodIndex: 1 })] })],
      demands: [demand('us-coding', 'US', [1000, 1000])],
      objective: 'min-cost',
    };
    const r = optimizePlacement(pr, solver);
    expect(r.unserved.map((u) => [u.periodIndex, u.reason])).toEqual([[0, 'lead-time']]);
    expect(r.binding.some((b) => b.constraint === 'lead-time[us-1][a][0]')).toBe(true);
  });

  it('names the budget under max-tokens and prices it in tokens per USD', () => {
    // 2500 USD buys two systems for one period (1000 + 100 each); each serves 1000 tok/s.
    const pr: PlacementProblem = {
      periods: [{ label: '2027-Q3' }],
      sites: [site('us-1', 'US', { usableItPowerMwByPeriod: [10], racksByPeriod: [100] })],
      demands: [demand('us-coding', 'US', [5000])],
      objective: 'max-tokens',
      budgetUsd: 2500,
    };
    const r = optimizePlacement(pr, solver);
    expect(r.systems[0]!.installedByPeriod).toEqual([2]);
    expect(r.servedTokensPerSecondPeriods).toBeCloseTo(2000, 9);
    expect(r.unserved[0]?.reason).toBe('budget');
    const budget = r.binding.find((b) => b.kind === 'budget');
    expect(budget?.unit).toBe('token/s·periods per USD');
    expect(budget?.shadowPrice).toBeCloseTo(1000 / 1100, 9);
  });

  it('keeps installs cumulative and charges capex once, in the period of installation', () => {
    const pr: PlacementProblem = {
      periods: [{ label: 'p0' }, { label: 'p1', discountFactor: 0.5 }],
      sites: [site('us-1', 'US')],
      demands: [demand('us-coding', 'US', [1000, 3000])],
      objective: 'min-cost',
    };
    const r = optimizePlacement(pr, solver);
    expect(r.systems[0]).toMatchObject({ installedByPeriod: [1, 3], addedByPeriod: [1, 2] });
    // capex 1000 + 0.5 · 2 · 1000; opex 100 + 0.5 · 3 · 100.
    expect(r.cost).toEqual({ capexUsd: 2000, opexUsd: 250, totalUsd: 2250 });
    expect(r.unserved).toEqual([]);
  });

  it('rejects a per-period array of the wrong length', () => {
    const pr: PlacementProblem = {
      periods,
      sites: [site('us-1', 'US', { usableItPowerMwByPeriod: [1] })],
      demands: [],
      objective: 'min-cost',
    };
    expect(() => optimizePlacement(pr, solver)).toThrow(/usableItPowerMwByPeriod needs 2 values/);
  });
});
