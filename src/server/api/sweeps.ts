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
 * executor; cancel and shutdown stop its jobs.
 */
import type { Catalog } from '../../catalog/catalog.js';
import { AifError, ERROR_CODES, isAifError, type ErrorCode } from '../../core/errors.js';
import { canonicalJson, contentHash } from '../../core/hash.js';
import type { Executor, JobOutcome, JobSpec } from '../../jobs/types.js';
import { locateIssues, ScenarioSchema, type Scenario } from '../../scenario/index.js';
import type { Store, StoredRun } from '../../store/types.js';
import { prepareSweep, type PreparedSweep } from '../../sweep/points.js';
import {
  runSweep,
  type EvaluatePoints,
  type PointOutcome,
  type SweepResult,
} from '../../sweep/run.js';
import { parseSweepSpecYaml } from '../../sweep/spec.js';
import { conflict, notFound } from './errors.js';
import { isFinalStatus } from './event-bus.js';
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
    points.forEach((p, i) => {
      const hit =
        store?.findResult('sweep-point', p.scenarioHash, p.seed, engine) ??
        store?.findResult('simulate', p.scenarioHash, p.seed, engine);
      if (hit?.resultJson) {
        outcomes[i] = { resultJson: hit.resultJson };
        cached++;
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
    const settled = canBatch(ex)
      ? await ex.submitBatchSettled(jobs, { onResult: tick })
      : await Promise.allSettled(jobs.map((j) => ex.submit(j, opts).finally(tick)));
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
      if (asPoint) outcomes[i] = asPoint;
      else defect ??= s.reason;
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
}

export interface SweepService {
  /**
   * Check the spec (nothing is written when it is refused), store the sweep run and run it in
   * the background. @throws AifError (issues located in `yaml`).
   */
  start(yaml: string): StoredRun;
  /** This process is running the sweep `id`. */
  isActive(id: string): boolean;
  /** Cancel a running sweep: its run becomes `cancelled`, its jobs are cancelled. */
  cancel(id: string): StoredRun;
  /** Resolves when every sweep started so far has ended. */
  idle(): Promise<void>;
  /** Record every running sweep failed (`reason`), cancel its jobs, wait for it to end. */
  shutdown(reason: string): Promise<void>;
}

export function createSweepService(deps: SweepServiceDeps): SweepService {
  const { store } = deps;
  const active = new Map<string, { controller: AbortController; settled: Promise<void> }>();

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
        },
      );
      const id = runId!;
      const settled = done.then(
        () => undefined,
        (e: unknown) => {
          if (!controller.signal.aborted && !isAifError(e))
            deps.log?.(`sweep ${id}: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
        },
      );
      active.set(id, { controller, settled });
      void settled.finally(() => active.delete(id));
      return store.getRun(id)!;
    },

    isActive: (id) => active.has(id),

    cancel(id) {
      const row = finalise(id, { status: 'cancelled', updatedAt: deps.nowIso() });
      active.get(id)?.controller.abort();
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
        } catch (e) {
          deps.log?.(`sweep ${id}: ${e instanceof Error ? e.message : String(e)}`);
        }
        a.controller.abort();
      }
      await idle();
    },
  };
}
