/**
 * Sweeps through an executor, kept in the store (docs/sweeps.md): `executeSweep` is the one
 * orchestration `aifactory sweep` (CLI) and `POST /api/sweeps` (this server) both run. The pure
 * driver (`sweep/run.ts`) proposes points; each point not already stored becomes a `simulate`
 * job on the executor and a `sweep-point` run; the sweep itself is a `sweep` run of its base
 * scenario whose result is the SweepResult JSON. Only this coordinating process writes the
 * store: executors return results, never persist them.
 *
 * `createSweepService` is the server's side: it checks a spec sent as YAML (its base inline —
 * the server reads no files a request names), then runs it in the background on the server's
 * executor; cancel and shutdown stop its jobs. While it runs, the sweep's progress (points done
 * of the total, feasible so far, elapsed) goes to the run's SSE stream (`GET
 * /api/runs/:id/events`, the bus runs use) and its share done to the run row; the CLI asks for
 * none of it (`onProgress` unset: `executeSweep` does no extra work).
 */
import type { SimResult } from '../../app/simulate.js';
import type { Catalog } from '../../catalog/catalog.js';
import { AifError, ERROR_CODES, isAifError, type ErrorCode } from '../../core/errors.js';
import { canonicalJson, contentHash } from '../../core/hash.js';
import type { Executor, JobOutcome, JobSpec } from '../../jobs/types.js';
import { locateIssues, ScenarioSchema, type Scenario } from '../../scenario/index.js';
import type { Store, StoredRun } from '../../store/types.js';
import { pointMetrics } from '../../sweep/metrics.js';
import { prepareSweep, type PreparedSweep, type SweepPoint } from '../../sweep/points.js';
import {
  runSweep,
  type EvaluatePoints,
  type PointOutcome,
  type SweepResult,
} from '../../sweep/run.js';
import { parseSweepSpecYaml, type SweepConstraint } from '../../sweep/spec.js';
import { arithmeticBisection, geometricBisection } from '../../sweep/strategies.js';
import { conflict, notFound } from './errors.js';
import { isFinalStatus, type RunEventBus, type SweepProgress } from './event-bus.js';
import { PROGRESS_STEP } from './runs.js';
import { locatedIn, SCENARIO_SCHEMA_VERSION } from './scenarios.js';

/**
 * Codes of a job error that belong to its point (the point's scenario cannot be simulated: it
 * does not fit, has no plan, names what the catalog lacks): the point is recorded as failed and
 * the sweep goes on. Any other failure (a defect, the queue, a cancellation) stops the sweep.
 */
const POINT_ERROR_CODES: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  ERROR_CODES.SCENARIO_INVALID,
  ERROR_CODES.MEMORY_DOES_NOT_FIT,
  ERROR_CODES.NO_FEASIBLE_PLAN,
  ERROR_CODES.CATALOG_UNKNOWN_ID,
  ERROR_CODES.PRECISION_UNSUPPORTED,
  ERROR_CODES.CALIBRATION_OUT_OF_RANGE,
]);

/** An executor that can run a whole batch as one unit and settle each job (the queue executor). */
interface BatchExecutor extends Executor {
  submitBatchSettled(
    jobs: readonly JobSpec[],
    opts?: { onResult?: (index: number, outcome: JobOutcome) => void },
  ): Promise<PromiseSettledResult<JobOutcome>[]>;
}
const canBatch = (e: Executor): e is BatchExecutor =>
  typeof (e as Partial<BatchExecutor>).submitBatchSettled === 'function';

/** A job's failure as a point outcome, or undefined when it must stop the sweep. */
function pointError(e: unknown): PointOutcome | undefined {
  if (isAifError(e) && POINT_ERROR_CODES.has(e.code))
    return { error: { code: e.code, message: e.message } };
  return undefined;
}

const errorJsonOf = (e: unknown): string =>
  JSON.stringify(
    isAifError(e) ? e.toJSON() : { message: e instanceof Error ? e.message : String(e) },
  );

/** The SweepResult as stored and printed (`--json`, `--out`): two-space JSON and a newline. */
export const sweepResultJson = (r: SweepResult): string => `${JSON.stringify(r, null, 2)}\n`;

export type { SweepProgress };

/** What `executeSweep` reports: the counts (the service adds the elapsed time). */
export type SweepCounts = Omit<SweepProgress, 'elapsedSeconds'>;

/**
 * Whether a point meets every constraint, judged as the driver (`sweep/run.ts`) judges it:
 * inclusive bounds, an absent metric fails. Only for progress: any doubt counts as not feasible.
 */
function meetsConstraints(
  point: SweepPoint,
  outcome: PointOutcome,
  constraints: readonly SweepConstraint[],
  catalog: Catalog,
): boolean {
  if ('error' in outcome) return false;
  try {
    const result = JSON.parse(outcome.resultJson) as SimResult;
    const { values } = pointMetrics(result, point.scenario, catalog);
    return constraints.every((c) => {
      const v = values[c.metric];
      return (
        v !== undefined &&
        (c.max === undefined || v <= c.max) &&
        (c.min === undefined || v >= c.min)
      );
    });
  } catch {
    return false;
  }
}

/**
 * Counts a sweep's points as they settle and reports them with the share of work done: points
 * done plus the simulated-time share of points in flight, over the total. A point's completion
 * is always reported; progress within points only when the share moved by PROGRESS_STEP.
 */
function progressTracker(
  prep: PreparedSweep,
  catalog: Catalog,
  report: (counts: SweepCounts, fraction: number) => void,
) {
  const constraints = prep.spec.constraints ?? [];
  const strategy = prep.spec.strategy;
  /** Bisection rounds after the bracket round (capacity search; 0 otherwise). */
  const rounds =
    strategy.kind === 'capacity'
      ? Math.min(
          strategy.maxIterations,
          (strategy.relativeTolerance !== undefined
            ? geometricBisection(strategy.relativeTolerance)
            : arithmeticBisection(strategy.absoluteTolerance!)
          ).roundsToTolerance(strategy.low, strategy.high),
        )
      : 0;
  const c: SweepCounts = {
    done: 0,
    total: 0,
    totalIsBound: false,
    feasible: 0,
    failed: 0,
    cached: 0,
    batch: 0,
  };
  /** Share done of each point in flight, by its index in the batch. */
  const inFlight = new Map<number, number>();
  let reported = 0;
  const emit = (always: boolean) => {
    let partial = 0;
    for (const f of inFlight.values()) partial += f;
    const fraction = c.total > 0 ? Math.min(1, (c.done + partial) / c.total) : 0;
    if (!always && fraction - reported < PROGRESS_STEP) return;
    reported = fraction;
    report({ ...c }, fraction);
  };
  return {
    /** A batch of `points` points starts. */
    batch(points: number) {
      c.batch++;
      inFlight.clear();
      let after = 0;
      if (strategy.kind === 'capacity') {
        const round = c.batch - 1;
        // Round 0 evaluates low and high of every search; later rounds one point per open search.
        const open = round === 0 ? Math.ceil(points / 2) : points;
        after = open * Math.max(0, rounds - round);
      }
      c.total = c.done + points + after;
      c.totalIsBound = after > 0;
      emit(true);
    },
    /** Point `index` of the batch is `fraction` done. */
    running(index: number, fraction: number) {
      inFlight.set(index, Math.min(1, Math.max(0, fraction)));
      emit(false);
    },
    /** Point `index` of the batch settled. */
    settled(index: number, point: SweepPoint, outcome: PointOutcome, cached: boolean) {
      inFlight.delete(index);
      c.done++;
      if (cached) c.cached++;
      if ('error' in outcome) c.failed++;
      else if (meetsConstraints(point, outcome, constraints, catalog)) c.feasible++;
      emit(true);
    },
  };
}

export interface SweepExecutionInput {
  prep: PreparedSweep;
  /** The catalog the points are simulated with (cost metrics look systems up in it). */
  catalog: Catalog;
  engineVersion: string;
  /** Added to every job's payload (catalog extension, calibration files): every worker builds the same engine. */
  engineInputs?: Record<string, unknown>;
  /** The spec's YAML and its name: issues of a point the scenario schema refuses are placed in it. */
  specText: string;
  specFile: string;
}

export interface SweepExecutionDeps {
  /** Keeps the points and the sweep, and answers points it already holds; none: nothing is kept. */
  store?: Store;
  /** The executor for a batch of `batchSize` jobs (asked for each batch that has jobs). */
  executorFor(batchSize: number): Executor;
  nowIso(): string;
  /** After each job settles: jobs simulated so far, points done (stored ones included), executor. */
  onJobDone?(simulated: number, done: number, executor: string): void;
  /**
   * Points done of the total, feasible so far, and the share of work done (points in flight
   * counted by their simulated time) — when a batch starts, a point settles, or the share moved
   * by 1 %. Unset (the CLI): none of this is computed.
   */
  onProgress?(counts: SweepCounts, fraction: number): void;
  /** Aborting cancels the jobs in flight and stops the sweep. */
  signal?: AbortSignal;
}

export interface SweepExecution {
  /** The `sweep` run, created (running) before `executeSweep` returns; undefined without a store. */
  runId: string | undefined;
  /**
   * The result, once stored (`done`); rejects with what stopped the sweep, the run recorded
   * `failed` (unless something else made it final first: a cancellation, a shutdown).
   */
  done: Promise<{ result: SweepResult; resultJson: string; cached: number }>;
}

/** Run a prepared sweep through executors, keeping it in the store when there is one. */
export function executeSweep(input: SweepExecutionInput, deps: SweepExecutionDeps): SweepExecution {
  const { prep, catalog, engineVersion: engine } = input;
  const { store } = deps;
  const engineInputs = input.engineInputs ?? {};
  let cached = 0;
  let simulated = 0;
  const progress = deps.onProgress ? progressTracker(prep, catalog, deps.onProgress) : undefined;

  const scenarioRow = (s: Scenario, hash: string) => {
    store?.putScenario({
      hash,
      name: s.name,
      schemaVersion: SCENARIO_SCHEMA_VERSION,
      canonicalJson: canonicalJson(s),
      sourceYaml: null,
      createdAt: deps.nowIso(),
    });
  };

  const evaluate: EvaluatePoints = async (points) => {
    deps.signal?.throwIfAborted();
    const outcomes: PointOutcome[] = new Array<PointOutcome>(points.length);
    const todo: number[] = [];
    progress?.batch(points.length);
    points.forEach((p, i) => {
      const hit =
        store?.findResult('sweep-point', p.scenarioHash, p.seed, engine) ??
        store?.findResult('simulate', p.scenarioHash, p.seed, engine);
      if (hit?.resultJson) {
        outcomes[i] = { resultJson: hit.resultJson };
        cached++;
        progress?.settled(i, p, outcomes[i], true);
      } else todo.push(i);
    });
    if (todo.length === 0) return outcomes;
    const runIds = todo.map((i) => {
      const p = points[i]!;
      if (!store) return undefined;
      scenarioRow(p.scenario, p.scenarioHash);
      const run = store.createRun({
        kind: 'sweep-point',
        scenarioHash: p.scenarioHash,
        seed: p.seed,
        engineVersion: engine,
        createdAt: deps.nowIso(),
      });
      store.updateRun(run.id, { status: 'running', updatedAt: deps.nowIso() });
      return run.id;
    });
    const jobs: JobSpec[] = todo.map((i) => ({
      kind: 'simulate',
      payload: { scenario: points[i]!.scenario, seed: points[i]!.seed, ...engineInputs },
    }));
    const ex = deps.executorFor(jobs.length);
    const tick = () => deps.onJobDone?.(++simulated, cached + simulated, ex.name);
    const opts = deps.signal ? { signal: deps.signal } : {};
    /** Job k's point settled with this outcome (progress only). */
    const pointSettled = (k: number, outcome: PointOutcome) =>
      progress?.settled(todo[k]!, points[todo[k]!]!, outcome, false);
    const submit = (j: JobSpec, k: number): Promise<JobOutcome> =>
      progress
        ? ex
            .submit(j, { ...opts, onProgress: (p) => progress.running(todo[k]!, p.fraction) })
            .then((o) => (pointSettled(k, o), o))
        : ex.submit(j, opts);
    const settled = canBatch(ex)
      ? await ex.submitBatchSettled(jobs, {
          onResult: (k, o) => {
            tick();
            pointSettled(k, o);
          },
        })
      : await Promise.allSettled(jobs.map((j, k) => submit(j, k).finally(tick)));
    let defect: unknown;
    settled.forEach((s, k) => {
      const i = todo[k]!;
      const runId = runIds[k];
      const now = deps.nowIso();
      if (s.status === 'fulfilled') {
        outcomes[i] = s.value;
        if (runId)
          store!.updateRun(runId, {
            status: 'done',
            resultJson: s.value.resultJson,
            updatedAt: now,
          });
        return;
      }
      if (runId)
        store!.updateRun(runId, {
          status: 'failed',
          errorJson: isAifError(s.reason)
            ? JSON.stringify(s.reason.toJSON())
            : JSON.stringify({ message: String((s.reason as Error)?.message ?? s.reason) }),
          updatedAt: now,
        });
      const asPoint = pointError(s.reason);
      if (asPoint) {
        outcomes[i] = asPoint;
        pointSettled(k, asPoint);
      } else defect ??= s.reason;
    });
    if (defect !== undefined) throw defect;
    return outcomes;
  };

  // The sweep's own run: keyed by its base scenario and seed (the spec hash is in the result).
  let runId: string | undefined;
  if (store) {
    const baseScenario = ScenarioSchema.parse(prep.base);
    const baseHash = contentHash(baseScenario);
    scenarioRow(baseScenario, baseHash);
    runId = store.createRun({
      kind: 'sweep',
      scenarioHash: baseHash,
      seed: prep.spec.seed,
      engineVersion: engine,
      createdAt: deps.nowIso(),
    }).id;
    store.updateRun(runId, { status: 'running', updatedAt: deps.nowIso() });
  }
  /** Still ours to finish: not made final by a cancellation or a shutdown meanwhile. */
  const open = (id: string | undefined): id is string =>
    id !== undefined && !isFinalStatus(store!.getRun(id)?.status ?? 'failed');

  const done = (async () => {
    let result: SweepResult;
    try {
      result = await runSweep(prep, evaluate, { catalog });
    } catch (e) {
      if (open(runId))
        store!.updateRun(runId, {
          status: 'failed',
          errorJson: errorJsonOf(e),
          updatedAt: deps.nowIso(),
        });
      // A point the scenario schema refuses names its axes: point at them in the spec.
      if (isAifError(e) && e.code === ERROR_CODES.SCENARIO_INVALID && e.issues.length)
        throw locateIssues(e, input.specText, input.specFile);
      throw e;
    }
    const resultJson = sweepResultJson(result);
    if (open(runId))
      store!.updateRun(runId, { status: 'done', resultJson, updatedAt: deps.nowIso() });
    return { result, resultJson, cached };
  })();
  return { runId, done };
}

// ---------------------------------------------------------------------------------------------
// The server's sweeps
// ---------------------------------------------------------------------------------------------

/**
 * A sweep spec sent as YAML in the body field `field`, checked and prepared (every axis value
 * against the inline base and the catalog) before anything is written.
 * @throws AifError with issues at their line/column in the YAML; `baseFile` is refused (the
 *   server reads no paths a request names), naming the field.
 */
export function sweepFromYaml(
  yaml: string,
  field: string,
  catalog: Catalog,
  engineVersion: string,
): PreparedSweep {
  const spec = parseSweepSpecYaml(yaml, field);
  if (spec.baseFile !== undefined)
    throw locateIssues(
      new AifError(
        ERROR_CODES.INVALID_ARGUMENT,
        `${field}: baseFile is not accepted over HTTP (the server reads no files a request names): give the base scenario inline as \`base:\``,
        [
          {
            path: 'baseFile',
            message: 'a file path; the server reads none',
            value: spec.baseFile,
            expected: 'base: the scenario inline',
          },
        ],
      ),
      yaml,
      field,
    );
  return locatedIn(yaml, field, () =>
    prepareSweep(spec, spec.base, { engineVersion, catalog, basePath: 'base' }),
  );
}

export interface SweepServiceDeps {
  store: Store;
  executor: Executor;
  catalog: Catalog;
  engineVersion: string;
  nowIso(): string;
  /** Told about sweeps that stopped on a defect, and failed background writes. */
  log?(message: string): void;
  /** Where a sweep's progress and final events go (the runs' SSE bus); none: not sent. */
  events?: RunEventBus;
  /** A monotonic clock in milliseconds for the elapsed time (default `performance.now`). */
  monotonicMs?(): number;
}

/** Least time between two progress events of one sweep, unless a batch starts or it ends. */
const PROGRESS_EVENT_MS = 100;

export interface SweepService {
  /**
   * Check the spec (nothing is written when it is refused), store the sweep run and run it in
   * the background. @throws AifError (issues located in `yaml`).
   */
  start(yaml: string): StoredRun;
  /** This process is running the sweep `id`. */
  isActive(id: string): boolean;
  /** How far the sweep `id` is (this process runs it), with its share done; else undefined. */
  progressOf(id: string): { fraction: number; sweep: SweepProgress } | undefined;
  /** Cancel a running sweep: its run becomes `cancelled`, its jobs are cancelled. */
  cancel(id: string): StoredRun;
  /** Resolves when every sweep started so far has ended. */
  idle(): Promise<void>;
  /** Record every running sweep failed (`reason`), cancel its jobs, wait for it to end. */
  shutdown(reason: string): Promise<void>;
}

interface ActiveSweep {
  /** The sweep run's id, once `executeSweep` has returned (its first batch reports before). */
  id: string | undefined;
  controller: AbortController;
  settled: Promise<void>;
  /** Monotonic ms when it started. */
  startedMs: number;
  counts: SweepCounts | undefined;
  fraction: number;
}

export function createSweepService(deps: SweepServiceDeps): SweepService {
  const { store } = deps;
  const active = new Map<string, ActiveSweep>();
  const clock = deps.monotonicMs ?? (() => performance.now());
  const withElapsed = (a: ActiveSweep, counts: SweepCounts): SweepProgress => ({
    ...counts,
    elapsedSeconds: Math.max(0, (clock() - a.startedMs) / 1000),
  });
  /** Final event, after the store says so (a subscriber reading the store then sees it final). */
  const emitFinal = (id: string, status: 'done' | 'failed' | 'cancelled') =>
    deps.events?.emit(id, { type: status, id, status });

  const finalise = (id: string, change: Parameters<Store['updateRun']>[1]): StoredRun => {
    const run = store.getRun(id);
    if (!run) throw notFound('run', id);
    if (isFinalStatus(run.status))
      throw conflict(`run ${id} is already ${run.status}`, [
        { path: 'id', message: `run is ${run.status}`, value: id, expected: 'a running sweep' },
      ]);
    return store.updateRun(id, change);
  };

  const idle = async (): Promise<void> => {
    while (active.size) await Promise.allSettled([...active.values()].map((a) => a.settled));
  };

  return {
    start(yaml) {
      const prep = sweepFromYaml(yaml, 'yaml', deps.catalog, deps.engineVersion);
      const controller = new AbortController();
      const a: ActiveSweep = {
        id: undefined,
        controller,
        settled: Promise.resolve(),
        startedMs: clock(),
        counts: undefined,
        fraction: 0,
      };
      let storedFraction = 0;
      let sentMs = -Infinity;
      let sentFraction = -1;
      let sentBatch = 0;
      const onProgress = (counts: SweepCounts, fraction: number) => {
        if (controller.signal.aborted) return;
        a.counts = counts;
        a.fraction = fraction;
        const id = a.id;
        if (id === undefined) return;
        if (fraction - storedFraction >= PROGRESS_STEP && fraction < 1) {
          storedFraction = fraction;
          try {
            store.updateRun(id, { progress: fraction, updatedAt: deps.nowIso() });
          } catch (e) {
            deps.log?.(
              `sweep ${id}: progress not stored: ${e instanceof Error ? e.message : String(e)}`,
            );
          }
        }
        const now = clock();
        if (
          now - sentMs >= PROGRESS_EVENT_MS ||
          counts.batch !== sentBatch ||
          counts.done === counts.total ||
          fraction - sentFraction >= PROGRESS_STEP
        ) {
          sentMs = now;
          sentFraction = fraction;
          sentBatch = counts.batch;
          deps.events?.emit(id, { type: 'progress', fraction, sweep: withElapsed(a, counts) });
        }
      };
      const { runId, done } = executeSweep(
        {
          prep,
          catalog: deps.catalog,
          engineVersion: deps.engineVersion,
          specText: yaml,
          specFile: 'yaml',
        },
        {
          store,
          executorFor: () => deps.executor,
          nowIso: deps.nowIso,
          signal: controller.signal,
          onProgress,
        },
      );
      const runIdOf = runId!;
      a.id = runIdOf;
      a.settled = done.then(
        ({ result }) => {
          // executeSweep stored it done (unless a cancellation came first): the last counts.
          if (controller.signal.aborted || store.getRun(runIdOf)?.status !== 'done') return;
          const { points, feasible, failed } = result.counts;
          const counts: SweepCounts = {
            ...(a.counts ?? { cached: 0, batch: result.counts.batches }),
            done: points,
            total: points,
            totalIsBound: false,
            feasible,
            failed,
          };
          deps.events?.emit(runIdOf, {
            type: 'progress',
            fraction: 1,
            sweep: withElapsed(a, counts),
          });
          emitFinal(runIdOf, 'done');
        },
        (e: unknown) => {
          if (controller.signal.aborted) return;
          if (store.getRun(runIdOf)?.status === 'failed') emitFinal(runIdOf, 'failed');
          if (!isAifError(e))
            deps.log?.(
              `sweep ${runIdOf}: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`,
            );
        },
      );
      active.set(runIdOf, a);
      void a.settled.finally(() => active.delete(runIdOf));
      return store.getRun(runIdOf)!;
    },

    isActive: (id) => active.has(id),

    progressOf(id) {
      const a = active.get(id);
      if (!a?.counts || a.controller.signal.aborted) return undefined;
      return { fraction: a.fraction, sweep: withElapsed(a, a.counts) };
    },

    cancel(id) {
      const row = finalise(id, { status: 'cancelled', updatedAt: deps.nowIso() });
      active.get(id)?.controller.abort();
      emitFinal(id, 'cancelled');
      return row;
    },

    idle,

    async shutdown(reason) {
      for (const [id, a] of active) {
        try {
          finalise(id, {
            status: 'failed',
            errorJson: JSON.stringify({ code: 'E_INTERRUPTED', message: reason }),
            updatedAt: deps.nowIso(),
          });
          emitFinal(id, 'failed');
        } catch (e) {
          deps.log?.(`sweep ${id}: ${e instanceof Error ? e.message : String(e)}`);
        }
        a.controller.abort();
      }
      await idle();
    },
  };
}
