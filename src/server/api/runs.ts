/**
 * The run service: the one place that turns a request for a simulation or an estimate into a
 * stored run, hands it to the executor, and writes what comes back (progress, result, error,
 * cancellation) to the store — only this coordinating process writes the store; executors
 * return results, never persist them.
 *
 * A result is keyed by (kind, scenario hash, seed, engine version): a request whose key already
 * has a `done` run is answered from the store, and a second request for a key that is still
 * running joins that run instead of starting another.
 *
 * Progress goes to the store at most every {@link PROGRESS_STEP} of the run (the executor
 * already limits events to ~10/s), so a long run costs a few hundred small writes, not
 * thousands. Events go to the SSE bus after the store write they describe.
 */
import { isAifError } from '../../core/errors.js';
import { JobCancelledError, type Executor, type JobProgress } from '../../jobs/types.js';
import type { RunKind, Store, StoredRun } from '../../store/types.js';
import { conflict, notFound, reviveAifError } from './errors.js';
import { createRunEventBus, isFinalStatus, type RunEvent, type RunEventBus } from './event-bus.js';
import { locateIssues } from '../../scenario/index.js';
import { storeScenario, type ScenarioInput } from './scenarios.js';

/** Smallest progress change written to the store and sent to subscribers (1 %). */
export const PROGRESS_STEP = 0.01;

/** The kinds this service runs (the job registry's scenario kinds). */
export type ScenarioRunKind = Extract<RunKind, 'simulate' | 'estimate'>;

export interface RunServiceDeps {
  store: Store;
  executor: Executor;
  engineVersion: string;
  nowIso(): string;
  /** Told about store writes that failed after the response was sent (defects). */
  log?(message: string): void;
}

export interface SubmitOutcome {
  run: StoredRun;
  /** The run was finished before this request: its stored result answers it. */
  cached: boolean;
}

export interface RunService {
  /** Store the scenario, answer from cache, join a running run, or start a new one. */
  submit(kind: ScenarioRunKind, input: ScenarioInput, seed: number): SubmitOutcome;
  /**
   * The finished run of this key: from cache, or run now and awaited.
   * @throws AifError (issues located in the scenario's YAML) when the job fails on its input.
   */
  runToCompletion(
    kind: ScenarioRunKind,
    input: ScenarioInput,
    seed: number,
  ): Promise<SubmitOutcome>;
  /**
   * Cancel a queued or running run.
   * @throws HttpError 404 for an unknown id, 409 when the run is already final.
   */
  cancel(id: string): StoredRun;
  /** SSE bus: events of runs this process is running. */
  readonly events: RunEventBus;
  /** Runs this process is running now. */
  activeCount(): number;
  /** This process is running `id` (its events will come). */
  isActive(id: string): boolean;
  /** Resolves when every job handed to the executor so far has settled (cancelled ones too). */
  idle(): Promise<void>;
  /** Abort every active run, recording it failed (`reason`); resolves when their jobs settled. */
  shutdown(reason: string): Promise<void>;
}

interface ActiveRun {
  id: string;
  key: string;
  controller: AbortController;
  /** Settles when the executor's promise has been handled (store written). */
  settled: Promise<StoredRun | undefined>;
  /** Run id's status as this process last wrote it. */
  status: StoredRun['status'];
  lastProgress: number;
  /** Set when cancel/shutdown already wrote the final row: the job's outcome is dropped. */
  finalised: boolean;
}

const keyOf = (kind: string, hash: string, seed: number, engine: string): string =>
  JSON.stringify([kind, hash, seed, engine]);

/** A job error as the run's `errorJson`: an AifError's `{code, message, issues}`, else `{message}`. */
function errorJsonOf(e: unknown): string {
  const err = reviveAifError(e);
  if (isAifError(err)) return JSON.stringify(err.toJSON());
  return JSON.stringify({ message: err instanceof Error ? err.message : String(err) });
}

export function createRunService(deps: RunServiceDeps): RunService {
  const { store, executor, engineVersion } = deps;
  const events = createRunEventBus();
  const active = new Map<string, ActiveRun>();
  /** Executor promises not yet settled, including those of cancelled runs. */
  const inFlight = new Set<Promise<unknown>>();
  const activeByKey = new Map<string, ActiveRun>();

  /** Write a change; a failure after the response (store closed, defect) is logged, not thrown. */
  const write = (id: string, change: Parameters<Store['updateRun']>[1]): StoredRun | undefined => {
    try {
      return store.updateRun(id, change);
    } catch (e) {
      deps.log?.(`run ${id}: store update failed: ${e instanceof Error ? e.message : String(e)}`);
      return undefined;
    }
  };

  const emit = (id: string, event: RunEvent): void => events.emit(id, event);

  const forget = (a: ActiveRun): void => {
    active.delete(a.id);
    if (activeByKey.get(a.key) === a) activeByKey.delete(a.key);
  };

  function onProgress(a: ActiveRun, p: JobProgress): void {
    if (a.finalised) return;
    const fraction = Math.min(1, Math.max(0, p.fraction));
    if (a.status === 'queued') {
      a.status = 'running';
      a.lastProgress = fraction;
      write(a.id, { status: 'running', progress: fraction, updatedAt: deps.nowIso() });
      emit(a.id, { type: 'progress', fraction });
      return;
    }
    // Completion (1) is written with the result; intermediate steps only when they moved.
    if (fraction >= 1 || fraction - a.lastProgress < PROGRESS_STEP) return;
    a.lastProgress = fraction;
    write(a.id, { progress: fraction, updatedAt: deps.nowIso() });
    emit(a.id, { type: 'progress', fraction });
  }

  function finish(a: ActiveRun, outcome: { resultJson: string } | { error: unknown }): StoredRun {
    forget(a);
    if (a.finalised) return store.getRun(a.id)!;
    a.finalised = true;
    const now = deps.nowIso();
    // The store allows done only from running: a job that never reported progress starts now.
    if (a.status === 'queued' && 'resultJson' in outcome)
      write(a.id, { status: 'running', updatedAt: now });
    const row =
      'resultJson' in outcome
        ? write(a.id, { status: 'done', resultJson: outcome.resultJson, updatedAt: now })
        : write(a.id, { status: 'failed', errorJson: errorJsonOf(outcome.error), updatedAt: now });
    const status = row?.status ?? ('resultJson' in outcome ? 'done' : 'failed');
    if (isFinalStatus(status)) emit(a.id, { type: status, id: a.id, status });
    return row ?? store.getRun(a.id)!;
  }

  function start(kind: ScenarioRunKind, input: ScenarioInput, seed: number): ActiveRun {
    const run = store.createRun({
      kind,
      scenarioHash: input.hash,
      seed,
      engineVersion,
      createdAt: deps.nowIso(),
    });
    const a: ActiveRun = {
      id: run.id,
      key: keyOf(kind, input.hash, seed, engineVersion),
      controller: new AbortController(),
      settled: Promise.resolve(run),
      status: 'queued',
      lastProgress: 0,
      finalised: false,
    };
    active.set(a.id, a);
    activeByKey.set(a.key, a);
    const settled = executor
      .submit(
        { kind, payload: { scenario: input.scenario, seed } },
        { signal: a.controller.signal, onProgress: (p) => onProgress(a, p) },
      )
      .then(
        (outcome) => finish(a, { resultJson: outcome.resultJson }),
        (error: unknown) =>
          error instanceof JobCancelledError && a.finalised
            ? (forget(a), store.getRun(a.id)!)
            : finish(a, { error }),
      )
      .catch((e: unknown) => {
        deps.log?.(`run ${a.id}: ${e instanceof Error ? e.message : String(e)}`);
        return undefined;
      });
    a.settled = settled;
    inFlight.add(settled);
    void settled.finally(() => inFlight.delete(settled));
    return a;
  }

  function submit(kind: ScenarioRunKind, input: ScenarioInput, seed: number): SubmitOutcome {
    const cached = store.findResult(kind, input.hash, seed, engineVersion);
    if (cached) return { run: cached, cached: true };
    storeScenario(store, input, deps.nowIso());
    const running = activeByKey.get(keyOf(kind, input.hash, seed, engineVersion));
    if (running) return { run: store.getRun(running.id)!, cached: false };
    const a = start(kind, input, seed);
    return { run: store.getRun(a.id)!, cached: false };
  }

  return {
    events,
    submit,

    async runToCompletion(kind, input, seed) {
      const first = submit(kind, input, seed);
      if (first.cached) return first;
      const a = active.get(first.run.id);
      const run = (a ? await a.settled : undefined) ?? store.getRun(first.run.id)!;
      if (run.status === 'failed' && run.errorJson !== null) {
        const error = reviveAifError(JSON.parse(run.errorJson));
        if (isAifError(error))
          throw input.yaml !== null && error.issues.length
            ? locateIssues(error, input.yaml, input.field)
            : error;
      }
      if (run.status !== 'done')
        throw conflict(`${kind} run ${run.id} ended ${run.status}`, [
          { path: 'id', message: `run is ${run.status}`, value: run.id, expected: 'done' },
        ]);
      return { run, cached: false };
    },

    cancel(id) {
      const run = store.getRun(id);
      if (!run) throw notFound('run', id);
      if (isFinalStatus(run.status))
        throw conflict(`run ${id} is already ${run.status}`, [
          {
            path: 'id',
            message: `run is ${run.status}`,
            value: id,
            expected: 'a queued or running run',
          },
        ]);
      const a = active.get(id);
      if (a) {
        a.finalised = true;
        forget(a);
      }
      const row = store.updateRun(id, { status: 'cancelled', updatedAt: deps.nowIso() });
      a?.controller.abort();
      emit(id, { type: 'cancelled', id, status: 'cancelled' });
      return row;
    },

    activeCount: () => active.size,
    isActive: (id) => active.has(id),
    async idle() {
      while (inFlight.size) await Promise.allSettled([...inFlight]);
    },

    async shutdown(reason) {
      const runs = [...active.values()];
      for (const a of runs) {
        if (a.finalised) continue;
        a.finalised = true;
        write(a.id, {
          status: 'failed',
          errorJson: JSON.stringify({ code: 'E_INTERRUPTED', message: reason }),
          updatedAt: deps.nowIso(),
        });
        emit(a.id, { type: 'failed', id: a.id, status: 'failed' });
        a.controller.abort();
      }
      await Promise.allSettled(runs.map((a) => a.settled));
      while (inFlight.size) await Promise.allSettled([...inFlight]);
    },
  };
}
