/**
 * Sweep strategies, one per `strategy.kind`, behind one protocol so a single driver
 * (`run.ts`) runs them all: `next(evaluated)` returns the next batch of points to evaluate —
 * given every point evaluated so far, with its metrics and feasibility — or `undefined` when
 * the strategy is done. A batch's points are independent (an executor runs them in parallel);
 * the driver skips points already evaluated (same job key).
 *
 * - `grid`: one batch, the cartesian product of the axes' values, first axis varying slowest.
 * - `random`: one batch of `samples` points; each axis value drawn from the axis's own named
 *   stream (a value axis uniformly among its values, a range among its steps, a distribution
 *   by its sampler); points drawn twice are evaluated once.
 * - `capacity`: for every combination of the axes (a grid; none = one search), bisection on
 *   `strategy.path` for the largest value whose point meets every constraint. Round 0 evaluates
 *   low and high (the bracket); then each round evaluates the midpoint of every open bracket,
 *   all searches in one batch. Arithmetic bisection (absoluteTolerance t) halves high − low
 *   each round, so it stops after ⌈log₂((high − low)/t)⌉ rounds; geometric bisection
 *   (relativeTolerance r, midpoint √(lo·hi)) halves ln(hi/lo), so it stops after
 *   ⌈log₂(ln(high/low)/ln(1 + r))⌉ rounds — both at most `maxIterations`. It assumes
 *   feasibility falls with the value (a monotone constraint); where it does not, the bracket
 *   found is one feasible/infeasible boundary, not necessarily the largest.
 */
import type { PointMetrics } from './metrics.js';
import {
  cartesian,
  drawValue,
  gridValues,
  makePoint,
  randomStream,
  type Assignment,
  type PreparedSweep,
  type SweepPoint,
} from './points.js';
import type { StrategySpec } from './spec.js';

/** A bound a point's metric broke (or could not be checked: the metric is absent). */
export interface ConstraintViolation {
  metric: string;
  bound: 'max' | 'min';
  limit: number;
  /** The metric's value, when it has one. */
  value?: number;
  /** Why the metric has no value. */
  absent?: string;
}

/** A point after evaluation. */
export interface PointEvaluation {
  point: SweepPoint;
  metrics: PointMetrics;
  /** Every constraint met (and the simulation succeeded). */
  feasible: boolean;
  violations: ConstraintViolation[];
  /** The simulation failed with an input error (the point's scenario cannot be simulated). */
  error?: { code?: string; message: string };
  /** The simulation's warnings (overload, rejected requests), prefixed by deployment. */
  warnings: string[];
}

export type Evaluated = ReadonlyMap<string, PointEvaluation>;

/** What a capacity search found for one combination of the other axes. */
export interface CapacitySearch {
  /** The other axes' values of this search. */
  assignments: { path: string; value: unknown }[];
  /**
   * `bracketed`: feasible at `lowerBound`, infeasible at `upperBound`; `below-low`: infeasible
   * already at low (no capacity in range); `at-or-above-high`: feasible at high.
   */
  status: 'bracketed' | 'below-low' | 'at-or-above-high';
  /** Largest value found feasible; null when none was (`below-low`). */
  capacity: number | null;
  /** Job key of the point at `capacity`. */
  capacityKey: string | null;
  /** Largest value known feasible (null: none, `below-low`). */
  lowerBound: number | null;
  /** Smallest value known infeasible (null: none, `at-or-above-high`). */
  upperBound: number | null;
  /** Bisection rounds after the bracket round. */
  rounds: number;
  /** Stopped by the tolerance (true) or by maxIterations (false). */
  converged: boolean;
  /**
   * The values tried, in the order tried: round 0 is the bracket (low, high), round k ≥ 1 the
   * k-th bisection midpoint; each with its point's job key and whether it met every constraint.
   */
  trials: { round: number; value: number; key: string; feasible: boolean }[];
}

export interface StrategySummary {
  kind: StrategySpec['kind'];
  /** Batches the strategy produced. */
  batches: number;
  /** Capacity search only. */
  capacity?: {
    rule: string;
    /** ⌈log₂(…)⌉ rounds the rule needs to reach its tolerance from [low, high]. */
    roundsToTolerance: number;
    searches: CapacitySearch[];
  };
}

export interface StrategyRun {
  /** The next batch, or undefined when done. */
  next(evaluated: Evaluated): SweepPoint[] | undefined;
  summary(evaluated: Evaluated): StrategySummary;
}

export interface SweepStrategy<S extends StrategySpec> {
  kind: S['kind'];
  start(prep: PreparedSweep, spec: S): StrategyRun;
}

// ---------------------------------------------------------------------------------------------
// grid and random
// ---------------------------------------------------------------------------------------------

/** A strategy that proposes one batch and is done. */
function oneBatch(kind: StrategySpec['kind'], make: () => SweepPoint[]): StrategyRun {
  let batches = 0;
  return {
    next() {
      if (batches > 0) return undefined;
      batches++;
      return make();
    },
    summary: () => ({ kind, batches }),
  };
}

const gridStrategy: SweepStrategy<Extract<StrategySpec, { kind: 'grid' }>> = {
  kind: 'grid',
  start: (prep) =>
    oneBatch('grid', () =>
      cartesian(prep.spec.axes.map((_, i) => gridValues(prep, i))).map((as) => makePoint(prep, as)),
    ),
};

const randomStrategy: SweepStrategy<Extract<StrategySpec, { kind: 'random' }>> = {
  kind: 'random',
  start: (prep, spec) =>
    oneBatch('random', () => {
      const streams = prep.spec.axes.map((_, i) => randomStream(prep, i));
      const seen = new Set<string>();
      const out: SweepPoint[] = [];
      for (let k = 0; k < spec.samples; k++) {
        const p = makePoint(
          prep,
          streams.map((rng, i) => drawValue(prep, i, rng)),
        );
        if (!seen.has(p.key)) out.push(p);
        seen.add(p.key);
      }
      return out;
    }),
};

// ---------------------------------------------------------------------------------------------
// capacity
// ---------------------------------------------------------------------------------------------

/** How a bracket [lo, hi] is split and when it is narrow enough. */
export interface BisectionRule {
  name: string;
  mid(lo: number, hi: number): number;
  done(lo: number, hi: number): boolean;
  /** Rounds from [low, high] to `done` (closed form). */
  roundsToTolerance(low: number, high: number): number;
}

/** Arithmetic bisection to an absolute width: ⌈log₂((high − low)/t)⌉ rounds. */
export const arithmeticBisection = (t: number): BisectionRule => ({
  name: `arithmetic bisection to high − low ≤ ${t}`,
  mid: (lo, hi) => lo + (hi - lo) / 2,
  done: (lo, hi) => hi - lo <= t,
  roundsToTolerance: (low, high) => Math.max(0, Math.ceil(Math.log2((high - low) / t))),
});

/** Geometric bisection to a relative width: ⌈log₂(ln(high/low)/ln(1 + r))⌉ rounds. */
export const geometricBisection = (r: number): BisectionRule => ({
  name: `geometric bisection to high/low ≤ 1 + ${r}`,
  mid: (lo, hi) => Math.sqrt(lo * hi),
  done: (lo, hi) => hi / lo <= 1 + r,
  roundsToTolerance: (low, high) =>
    Math.max(0, Math.ceil(Math.log2(Math.log(high / low) / Math.log1p(r)))),
});

interface Search {
  group: Assignment[];
  lo: number;
  hi: number;
  loKey: string | null;
  status: CapacitySearch['status'] | 'open';
  rounds: number;
  /** The point in flight (bracket round: low and high). */
  pending: SweepPoint[];
  trials: CapacitySearch['trials'];
}

const capacityStrategy: SweepStrategy<Extract<StrategySpec, { kind: 'capacity' }>> = {
  kind: 'capacity',
  start(prep, spec) {
    const rule =
      spec.relativeTolerance !== undefined
        ? geometricBisection(spec.relativeTolerance)
        : arithmeticBisection(spec.absoluteTolerance!);
    const groups = cartesian(prep.spec.axes.map((_, i) => gridValues(prep, i)));
    const at = (group: Assignment[], value: number, origin: string) =>
      makePoint(prep, [...group, { path: spec.path, value, origin }]);
    const searches: Search[] = groups.map((group) => ({
      group,
      lo: spec.low,
      hi: spec.high,
      loKey: null,
      status: 'open',
      rounds: 0,
      pending: [at(group, spec.low, 'strategy.low'), at(group, spec.high, 'strategy.high')],
      trials: [],
    }));
    let batches = 0;
    const feasible = (evaluated: Evaluated, p: SweepPoint): boolean =>
      evaluated.get(p.key)?.feasible === true;

    /** Fold the last batch's results into each open search. */
    const update = (evaluated: Evaluated) => {
      for (const s of searches) {
        if (s.status !== 'open' || s.pending.length === 0) continue;
        const round = s.pending.length === 2 ? 0 : s.rounds + 1;
        for (const p of s.pending)
          s.trials.push({
            round,
            value: p.assignments.at(-1)!.value as number,
            key: p.key,
            feasible: feasible(evaluated, p),
          });
        if (s.pending.length === 2) {
          const [low, high] = s.pending as [SweepPoint, SweepPoint];
          if (!feasible(evaluated, low)) s.status = 'below-low';
          else if (feasible(evaluated, high)) {
            s.status = 'at-or-above-high';
            s.lo = spec.high;
            s.loKey = high.key;
          } else s.loKey = low.key;
        } else {
          const p = s.pending[0]!;
          const value = p.assignments.at(-1)!.value as number;
          if (feasible(evaluated, p)) {
            s.lo = value;
            s.loKey = p.key;
          } else s.hi = value;
          s.rounds++;
        }
        s.pending = [];
      }
    };

    return {
      next(evaluated) {
        if (batches > 0) update(evaluated);
        const batch: SweepPoint[] = [];
        for (const s of searches) {
          if (s.status !== 'open') continue;
          if (batches === 0) batch.push(...s.pending);
          else if (rule.done(s.lo, s.hi) || s.rounds >= spec.maxIterations) s.status = 'bracketed';
          else {
            s.pending = [at(s.group, rule.mid(s.lo, s.hi), 'strategy.path')];
            batch.push(...s.pending);
          }
        }
        if (batch.length === 0) return undefined;
        batches++;
        return batch;
      },
      summary: () => ({
        kind: 'capacity',
        batches,
        capacity: {
          rule: rule.name,
          roundsToTolerance: rule.roundsToTolerance(spec.low, spec.high),
          searches: searches.map((s) => ({
            assignments: s.group.map((a) => ({ path: a.path, value: a.value })),
            status: s.status === 'open' ? 'bracketed' : s.status,
            capacity: s.status === 'below-low' ? null : s.lo,
            capacityKey: s.status === 'below-low' ? null : s.loKey,
            lowerBound: s.status === 'below-low' ? null : s.lo,
            upperBound:
              s.status === 'at-or-above-high' ? null : s.status === 'below-low' ? spec.low : s.hi,
            rounds: s.rounds,
            converged: s.status !== 'bracketed' || rule.done(s.lo, s.hi),
            trials: s.trials.map((t) => ({ ...t })),
          })),
        },
      }),
    };
  },
};

type Strategies = {
  [K in StrategySpec['kind']]: SweepStrategy<Extract<StrategySpec, { kind: K }>>;
};

/** The strategies, by kind. */
export const STRATEGIES: Readonly<Strategies> = {
  grid: gridStrategy,
  random: randomStrategy,
  capacity: capacityStrategy,
};

/** Start the spec's strategy (registry lookup; no branching on names). */
export function startStrategy(prep: PreparedSweep): StrategyRun {
  const spec = prep.spec.strategy;
  return (STRATEGIES[spec.kind] as SweepStrategy<StrategySpec>).start(prep, spec);
}
