/**
 * Placement optimiser (DESIGN §8): how many systems of each type to put at each site in each
 * period, and which demand they serve, at minimum discounted cost (or maximum tokens within a
 * budget), under usable power, space, supply lead times, budget, jurisdiction (sovereign demand
 * only from its own jurisdiction) and optional latency regions. The MILP is `placement-lp.ts`,
 * solved through the `LpSolver` port passed in; this layer never loads a solver.
 *
 * Unserved demand is a slack column with a large penalty, so an instance that cannot be served
 * still solves and reports what is unserved and why — never an exception.
 *
 * Shadow prices: a MILP has none. Following the fixed-integer pricing of O'Neill et al.
 * ("Efficient market-clearing prices in markets with nonconvexities", EJOR 164, 2005), the LP
 * is re-solved with the integer decisions at their optimum — here as lower bounds of now
 * continuous columns, so that rows whose only columns are integer (power, space, lead time)
 * still price the next (fractional) increment instead of being constant. The row duals of that
 * LP are reported for every constraint with a positive price ("what binds").
 *
 * Solves: a first MILP (min-cost with the penalty, or the most tokens); when demand is left
 * unserved or under max-tokens, a second MILP for the cheapest plan serving as much (so that
 * the MILP gap, relative to a penalty-dominated objective, cannot hide cost) and an LP that
 * allocates its systems; then one LP for the duals.
 */
import type { LpSolver } from '../core/lp.js';
import { bindingConstraints, explainUnserved } from './placement-diagnosis.js';
import {
  placementLp,
  sysVar,
  type DecodedPlacement,
  type PlacementLpMode,
} from './placement-lp.js';
import {
  defaultUnservedPenalty,
  validatePlacementProblem,
  type PlacementCost,
  type PlacementDemandOutcome,
  type PlacementProblem,
  type PlacementResult,
  type PlacementSiteUsage,
  type PlacementSystems,
} from './placement-model.js';

export * from './placement-model.js';

/**
 * MILP relative gap used unless the problem sets one: the plan's objective is within 0.1% of
 * the optimum. Tighter gaps grow the search fast (a 5-site × 3-type × 12-period instance
 * solves in seconds at 1e-3 and not in a minute at 1e-4); tests that compare with brute force
 * ask for 1e-9.
 */
export const DEFAULT_MIP_RELATIVE_GAP = 1e-3;

/** Discounted capex and opex of installed systems (installs paid in their period). */
export function placementCost(
  problem: PlacementProblem,
  systems: readonly PlacementSystems[],
): PlacementCost {
  let capexUsd = 0;
  let opexUsd = 0;
  for (const plan of systems) {
    const site = problem.sites.find((s) => s.id === plan.siteId)!;
    const o = site.systems.find((x) => x.systemTypeId === plan.systemTypeId)!;
    problem.periods.forEach((period, p) => {
      const f = period.discountFactor ?? 1;
      capexUsd += f * o.capexUsdPerSystem * plan.addedByPeriod[p]!;
      opexUsd += f * o.opexUsdPerSystemPeriod * plan.installedByPeriod[p]!;
    });
  }
  return { capexUsd, opexUsd, totalUsd: capexUsd + opexUsd };
}

function siteUsage(
  problem: PlacementProblem,
  systems: readonly PlacementSystems[],
): PlacementSiteUsage[] {
  return problem.sites.flatMap((s) =>
    problem.periods.map((_, p) => {
      let usedMw = 0;
      let usedRacks = 0;
      for (const o of s.systems) {
        const n =
          systems.find((x) => x.siteId === s.id && x.systemTypeId === o.systemTypeId)
            ?.installedByPeriod[p] ?? 0;
        usedMw += (n * o.provisionedKwPerSystem) / 1000;
        usedRacks += n * o.racksPerSystem;
      }
      return {
        siteId: s.id,
        periodIndex: p,
        usedMw,
        usableMw: s.usableItPowerMwByPeriod[p]!,
        usedRacks,
        racks: s.racksByPeriod[p]!,
      };
    }),
  );
}

/**
 * Optimise placement. Pure apart from the solver it is handed.
 *
 * Formulation (`placement-lp.ts`): integer systems in service per site, type and period
 * (cumulative), continuous tokens/s allocated to demand, unserved slack; power, space,
 * capacity, lead-time, demand, jurisdiction, latency and budget rows.
 * - `min-cost`: minimise discounted capex + opex + penalty · Σ unserved.
 * - `max-tokens`: maximise Σ served tokens/s over periods (within the budget), then minimise
 *   cost among plans serving that much; both to `mipRelativeGap` (default 1e-3).
 *
 * @returns the plan, its cost, served and unserved demand per demand and period, what binds
 *   with shadow prices, and a sentence per unserved demand naming the binding constraint.
 * @throws AifError(E_INVALID_ARGUMENT) for a malformed problem (`validatePlacementProblem`);
 *   solver errors propagate (the model itself is always feasible: serving nothing is).
 * @example optimizePlacement({ periods, sites, demands, objective: 'min-cost' }, await createHighsSolver())
 */
export function optimizePlacement(problem: PlacementProblem, solver: LpSolver): PlacementResult {
  validatePlacementProblem(problem);
  const penalty =
    problem.unservedPenaltyUsdPerTokenPerSecondPeriod ?? defaultUnservedPenalty(problem);
  const mipRelativeGap = problem.mipRelativeGap ?? DEFAULT_MIP_RELATIVE_GAP;
  const mipOptions = { mipRelativeGap };
  const floorsOf = (systems: readonly PlacementSystems[]) => {
    const floors = new Map<string, number>();
    for (const x of systems)
      x.installedByPeriod.forEach((n, p) => floors.set(sysVar(x.siteId, x.systemTypeId, p), n));
    return floors;
  };
  const sum = (rows: readonly number[][]) => rows.flat().reduce((a, b) => a + b, 0);

  // Stage 2 (max-tokens, or min-cost leaving demand unserved, where the penalty dominates the
  // objective and the gap could hide cost): the cheapest plan serving as much, then an LP with
  // those systems fixed serving all they can (the floor holds only to its tolerance).
  const cheapestServing = (served: number): DecodedPlacement => {
    const servedFloor = Math.max(0, served - 1e-9 * Math.abs(served) - 1e-6);
    const second = placementLp(problem, { mode: 'min-cost-at-served', penalty, servedFloor });
    const systems = second.decode(solver.solve(second.problem, mipOptions)).systems;
    const allocate = placementLp(problem, {
      mode: 'max-served',
      penalty,
      systemsFloor: floorsOf(systems),
      systemsFixed: true,
    });
    return { ...allocate.decode(solver.solve(allocate.problem)), systems };
  };
  // Stage 1: the most tokens (max-tokens), or the least cost with the penalty (min-cost).
  const stageOne = (): DecodedPlacement => {
    if (problem.objective === 'max-tokens') {
      const first = placementLp(problem, { mode: 'max-served', penalty });
      return cheapestServing(solver.solve(first.problem, mipOptions).objectiveValue);
    }
    const first = placementLp(problem, { mode: 'min-cost', penalty });
    const plan = first.decode(solver.solve(first.problem, mipOptions));
    return sum(plan.unserved) > 1e-9 ? cheapestServing(sum(plan.served)) : plan;
  };
  const plan = stageOne();
  const floors = floorsOf(plan.systems);
  const cost = placementCost(problem, plan.systems);

  // Shadow prices: the LP at the optimum, integers as floors, with the objective that ranks
  // plans (cost with penalty, or served tokens).
  const dualMode: PlacementLpMode = problem.objective === 'max-tokens' ? 'max-served' : 'min-cost';
  const dualLp = placementLp(problem, { mode: dualMode, penalty, systemsFloor: floors });
  const dualSolution = solver.solve(dualLp.problem);
  const objectiveUnit = dualMode === 'min-cost' ? 'USD' : 'token/s·periods';
  const scale = Math.max(1, ...dualLp.problem.objective.map((t) => Math.abs(t.coefficient)));
  const binding = dualSolution.duals
    ? bindingConstraints({
        problem,
        rows: dualLp.rows,
        rowSenses: new Map(dualLp.problem.constraints.map((c) => [c.name, c.sense])),
        duals: dualSolution.duals,
        sense: dualLp.problem.sense,
        objectiveUnit,
        tolerance: 1e-9 * scale,
      })
    : [];

  const demand: PlacementDemandOutcome[] = [];
  problem.periods.forEach((period, p) =>
    problem.demands.forEach((d, di) => {
      const asked = d.tokensPerSecondByPeriod[p]!;
      const unserved = plan.unserved[di]![p]!;
      const outcome: PlacementDemandOutcome = {
        demandId: d.id,
        periodIndex: p,
        periodLabel: period.label,
        demandTokensPerSecond: asked,
        servedTokensPerSecond: Math.min(asked, plan.served[di]![p]!),
        unservedTokensPerSecond: unserved,
      };
      if (unserved > 1e-6 * Math.max(1, asked))
        Object.assign(
          outcome,
          explainUnserved({
            problem,
            demand: d,
            periodIndex: p,
            unservedTokensPerSecond: unserved,
            binding,
          }),
        );
      demand.push(outcome);
    }),
  );
  const unserved = demand.filter((o) => o.message !== undefined);
  const totalUnserved = demand.reduce((a, o) => a + o.unservedTokensPerSecond, 0);

  return {
    objective: problem.objective,
    mipRelativeGap,
    systems: plan.systems,
    allocation: plan.allocation,
    cost,
    unservedPenaltyUsdPerTokenPerSecondPeriod: penalty,
    objectiveValueUsd: cost.totalUsd + penalty * totalUnserved,
    servedTokensPerSecondPeriods: demand.reduce((a, o) => a + o.servedTokensPerSecond, 0),
    demand,
    unserved,
    siteUsage: siteUsage(problem, plan.systems),
    binding,
    messages: unserved.map((o) => o.message!),
    shadowPriceBasis: dualSolution.duals
      ? `row duals of the ${dualMode === 'min-cost' ? 'min-cost (USD, with the unserved penalty)' : 'max-served (token/s·periods)'} LP ` +
        `re-solved with the systems per site, type and period fixed at the MILP optimum as ` +
        `lower bounds (continuous above them): each price is the objective's improvement per ` +
        `unit relaxation of the constraint at the plan's margin`
      : `none: the solver (${dualSolution.solver}) reported no row duals`,
    solver: dualSolution.solver,
  };
}
