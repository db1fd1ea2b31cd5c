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
 *
 * Bases (DESIGN §1): every value carries its basis (`points[].metrics.bases`, grouped; `basisOf`); `basis` states,
 * per metric, what the points share and which fields vary. Values whose bases differ in
 * boundary, power kind or currency-year are not ranked: the chosen point and the Pareto set are
 * refused, with the reason, when their metric's bases differ so among the feasible points.
 */
import type { Catalog } from '../catalog/catalog.js';
import type { SimResult } from '../app/simulate.js';
import { incomparableReason, summarizeBases, type SweepMetricBasis } from './basis.js';
import { basisOf, pointMetrics, SWEEP_METRICS, type PointMetrics } from './metrics.js';
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
  /**
   * Per metric id (registry order): the basis its points share and the fields that vary
   * between them (`basis.ts`); a metric no point has: 0 points.
   */
  basis: Record<string, SweepMetricBasis>;
  counts: { points: number; feasible: number; failed: number; batches: number };
  /** Every evaluated point, in job-key order. */
  points: SweepPointResult[];
  /**
   * Non-dominated feasible points under `objectives`; `keys` in job-key order. Points lacking
   * one of the objectives' metrics are left out (`left out`).
   */
  pareto: {
    objectives: SweepObjective[];
    keys: string[];
    leftOut: number;
    /** Why no Pareto set was formed: an objective's values are not comparable (bases). */
    refused?: string;
  };
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
      bases: [],
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

  /** Why `metric` must not be ranked over these points (their bases), or undefined. */
  const refusal = (metric: string, among: readonly PointEvaluation[]) =>
    incomparableReason(
      metric,
      among.flatMap((e) => {
        const b = basisOf(e.metrics, metric);
        return b ? [b] : [];
      }),
    );

  const paretoObjectives = [...(spec.pareto ?? DEFAULT_PARETO)];
  const candidates = feasible.filter((e) =>
    paretoObjectives.every((o) => o.metric in e.metrics.values),
  );
  const paretoRefused = paretoObjectives
    .map((o) => refusal(o.metric, candidates))
    .filter((x): x is string => x !== undefined);
  const front = paretoRefused.length
    ? []
    : paretoIndices(
        candidates,
        paretoObjectives.map((o) => ({
          sense: o.sense,
          value: (e: PointEvaluation) => e.metrics.values[o.metric]!,
        })),
      ).map((i) => candidates[i]!.point.key);

  const o = spec.objective;
  const objectiveRefused = refusal(o.metric, feasible);
  let best: PointEvaluation | undefined;
  if (objectiveRefused === undefined)
    for (const e of feasible) {
      const v = e.metrics.values[o.metric];
      if (v === undefined) continue;
      // `feasible` is in key order: a later point wins only when strictly better.
      if (!best || better(o, v, best.metrics.values[o.metric]!)) best = e;
    }
  const chosenReason = best
    ? undefined
    : objectiveRefused !== undefined
      ? `refused: the feasible points' ${objectiveRefused}`
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
    basis: Object.fromEntries(
      SWEEP_METRICS.map((m) => [
        m.id,
        summarizeBases(
          all.flatMap((e) => {
            const b = basisOf(e.metrics, m.id);
            return b ? [b] : [];
          }),
        ),
      ]),
    ),
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
      ...(paretoRefused.length
        ? { refused: `the feasible points' ${paretoRefused.join('; ')}` }
        : {}),
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
