/**
 * The sweep driver: strategy → batch of points → evaluate (injected, asynchronous: an
 * executor of simulation jobs) → metrics → constraints → the strategy's next batch, until it
 * is done; then the Pareto set and the chosen configuration.
 *
 * Determinism: the result depends only on the spec, the base scenario, the engine and the
 * simulation results — never on which executor ran the points or in which order they
 * finished. Points are reported in job-key order, the Pareto set and the ties of the chosen
 * configuration are ordered by job key, and every simulation result is checked to be the
 * answer to its own point (scenario hash and seed), so the `SweepResult` JSON is byte-identical
 * across executors.
 */
import type { Catalog } from '../catalog/catalog.js';
import type { SimResult } from '../app/simulate.js';
import { pointMetrics, SWEEP_METRICS, type PointMetrics } from './metrics.js';
import { paretoIndices } from './pareto.js';
import type { PreparedSweep, SweepPoint } from './points.js';
import {
  DEFAULT_PARETO,
  type StrategySpec,
  type SweepAxis,
  type SweepConstraint,
  type SweepObjective,
} from './spec.js';
import {
  startStrategy,
  type ConstraintViolation,
  type PointEvaluation,
  type StrategySummary,
} from './strategies.js';

/** What evaluating one point gave: the SimResult JSON text, or an input error. */
export type PointOutcome = { resultJson: string } | { error: { code?: string; message: string } };

/**
 * Evaluate a batch of points; outcome i belongs to point i. Implementations run the points in
 * any order and in parallel; a defect (not an input problem of the point) should reject.
 */
export type EvaluatePoints = (points: readonly SweepPoint[]) => Promise<readonly PointOutcome[]>;

export interface RunSweepOptions {
  /** The catalog the points were simulated with (cost metrics look systems up in it). */
  catalog: Catalog;
  /** Called after each batch is evaluated. */
  onBatch?: (info: { batch: number; points: number; evaluated: number }) => void;
}

export interface SweepPointResult {
  key: string;
  scenarioHash: string;
  seed: number;
  assignments: { path: string; value: unknown }[];
  metrics: PointMetrics;
  feasible: boolean;
  violations: ConstraintViolation[];
  error?: { code?: string; message: string };
  warnings: string[];
}

export interface SweepResult {
  kind: 'aifactory.sweep';
  name: string;
  description?: string;
  /** contentHash of the spec with its base scenario inline. */
  specHash: string;
  engineVersion: string;
  seed: number;
  strategy: StrategySpec;
  axes: SweepAxis[];
  objective: SweepObjective;
  constraints: SweepConstraint[];
  /** Unit of every metric id (docs/sweeps.md defines them). */
  metricUnits: Record<string, string>;
  counts: { points: number; feasible: number; failed: number; batches: number };
  /** Every evaluated point, in job-key order. */
  points: SweepPointResult[];
  /**
   * Non-dominated feasible points under `objectives`; `keys` in job-key order. Points lacking
   * one of the objectives' metrics are left out (`left out`).
   */
  pareto: { objectives: SweepObjective[]; keys: string[]; leftOut: number };
  /** Best objective among feasible points, ties to the smaller job key; null with the reason. */
  chosen: {
    key: string;
    assignments: { path: string; value: unknown }[];
    metric: string;
    value: number;
  } | null;
  chosenReason?: string;
  /** What the strategy did (capacity: one search per combination of the axes). */
  search: StrategySummary;
}

/** Safety net: a strategy that never finishes is a defect. */
const MAX_BATCHES = 10_000;

const byKey = (a: { key: string }, b: { key: string }): number =>
  a.key < b.key ? -1 : a.key > b.key ? 1 : 0;

/** Every constraint's violations (an absent metric violates: it cannot be shown to hold). */
function violationsOf(
  metrics: PointMetrics,
  constraints: readonly SweepConstraint[],
): ConstraintViolation[] {
  const out: ConstraintViolation[] = [];
  for (const c of constraints) {
    const value = metrics.values[c.metric];
    const bounds: ['max' | 'min', number | undefined, (v: number, l: number) => boolean][] = [
      ['max', c.max, (v, l) => v <= l],
      ['min', c.min, (v, l) => v >= l],
    ];
    for (const [bound, limit, ok] of bounds) {
      if (limit === undefined) continue;
      if (value === undefined)
        out.push({ metric: c.metric, bound, limit, absent: metrics.absent[c.metric] ?? 'absent' });
      else if (!ok(value, limit)) out.push({ metric: c.metric, bound, limit, value });
    }
  }
  return out;
}

/** Parse a result and check that it answers this point (a mismatch is an executor defect). */
function resultOf(point: SweepPoint, json: string): SimResult {
  const r = JSON.parse(json) as SimResult;
  if (
    r.kind !== 'aifactory.sim' ||
    r.scenario.hash !== point.scenarioHash ||
    r.scenario.seed !== point.seed
  )
    throw new Error(
      `sweep: the result for point ${point.key} is not its simulation (got kind ${String(r.kind)}, scenario ${String(r.scenario?.hash)} seed ${String(r.scenario?.seed)}; expected scenario ${point.scenarioHash} seed ${point.seed})`,
    );
  return r;
}

function evaluation(
  point: SweepPoint,
  outcome: PointOutcome,
  constraints: readonly SweepConstraint[],
  catalog: Catalog,
): PointEvaluation {
  if ('error' in outcome) {
    const reason = `the simulation failed: ${outcome.error.message.split('\n')[0]}`;
    const metrics: PointMetrics = {
      values: {},
      absent: Object.fromEntries(SWEEP_METRICS.map((m) => [m.id, reason])),
    };
    return {
      point,
      metrics,
      feasible: false,
      violations: violationsOf(metrics, constraints),
      error: outcome.error,
      warnings: [],
    };
  }
  const result = resultOf(point, outcome.resultJson);
  const metrics = pointMetrics(result, point.scenario, catalog);
  const violations = violationsOf(metrics, constraints);
  return {
    point,
    metrics,
    feasible: violations.length === 0,
    violations,
    warnings: result.deployments.flatMap((d) => d.warnings.map((w) => `${d.name}: ${w}`)),
  };
}

const better = (o: SweepObjective, a: number, b: number): boolean =>
  o.sense === 'maximize' ? a > b : a < b;

/**
 * Run a prepared sweep to the end.
 * @throws AifError from point construction (an axis value that breaks a combination);
 *   Error when `evaluate` returns the wrong number of outcomes or a result for another point.
 */
export async function runSweep(
  prep: PreparedSweep,
  evaluate: EvaluatePoints,
  options: RunSweepOptions,
): Promise<SweepResult> {
  const spec = prep.spec;
  const constraints = spec.constraints ?? [];
  const run = startStrategy(prep);
  const evaluated = new Map<string, PointEvaluation>();
  let batches = 0;
  for (let batch = run.next(evaluated); batch !== undefined; batch = run.next(evaluated)) {
    if (++batches > MAX_BATCHES)
      throw new Error(`sweep: the strategy did not finish in ${MAX_BATCHES} batches`);
    const fresh: SweepPoint[] = [];
    const inBatch = new Set<string>();
    for (const p of batch) {
      if (evaluated.has(p.key) || inBatch.has(p.key)) continue;
      inBatch.add(p.key);
      fresh.push(p);
    }
    if (fresh.length === 0) continue;
    const outcomes = await evaluate(fresh);
    if (outcomes.length !== fresh.length)
      throw new Error(
        `sweep: evaluate returned ${outcomes.length} outcomes for ${fresh.length} points`,
      );
    fresh.forEach((p, i) =>
      evaluated.set(p.key, evaluation(p, outcomes[i]!, constraints, options.catalog)),
    );
    options.onBatch?.({ batch: batches, points: fresh.length, evaluated: evaluated.size });
  }

  const all = [...evaluated.values()].sort((a, b) => byKey(a.point, b.point));
  const feasible = all.filter((e) => e.feasible);

  const paretoObjectives = [...(spec.pareto ?? DEFAULT_PARETO)];
  const candidates = feasible.filter((e) =>
    paretoObjectives.every((o) => o.metric in e.metrics.values),
  );
  const front = paretoIndices(
    candidates,
    paretoObjectives.map((o) => ({
      sense: o.sense,
      value: (e: PointEvaluation) => e.metrics.values[o.metric]!,
    })),
  ).map((i) => candidates[i]!.point.key);

  const o = spec.objective;
  let best: PointEvaluation | undefined;
  for (const e of feasible) {
    const v = e.metrics.values[o.metric];
    if (v === undefined) continue;
    // `feasible` is in key order: a later point wins only when strictly better.
    if (!best || better(o, v, best.metrics.values[o.metric]!)) best = e;
  }
  const chosenReason = best
    ? undefined
    : feasible.length === 0
      ? 'no point meets every constraint'
      : `no feasible point has ${o.metric} (${feasible[0]!.metrics.absent[o.metric] ?? 'absent'})`;

  const assignmentsOf = (p: SweepPoint) =>
    p.assignments.map((a) => ({ path: a.path, value: a.value }));
  return {
    kind: 'aifactory.sweep',
    name: spec.name,
    ...(spec.description !== undefined ? { description: spec.description } : {}),
    specHash: prep.specHash,
    engineVersion: prep.engineVersion,
    seed: spec.seed,
    strategy: spec.strategy,
    axes: spec.axes,
    objective: o,
    constraints,
    metricUnits: Object.fromEntries(SWEEP_METRICS.map((m) => [m.id, m.unit])),
    counts: {
      points: all.length,
      feasible: feasible.length,
      failed: all.filter((e) => e.error).length,
      batches,
    },
    points: all.map((e) => ({
      key: e.point.key,
      scenarioHash: e.point.scenarioHash,
      seed: e.point.seed,
      assignments: assignmentsOf(e.point),
      metrics: e.metrics,
      feasible: e.feasible,
      violations: e.violations,
      ...(e.error ? { error: e.error } : {}),
      warnings: e.warnings,
    })),
    pareto: {
      objectives: paretoObjectives,
      keys: front,
      leftOut: feasible.length - candidates.length,
    },
    chosen: best
      ? {
          key: best.point.key,
          assignments: assignmentsOf(best.point),
          metric: o.metric,
          value: best.metrics.values[o.metric]!,
        }
      : null,
    ...(chosenReason !== undefined ? { chosenReason } : {}),
    search: run.summary(evaluated),
  };
}
