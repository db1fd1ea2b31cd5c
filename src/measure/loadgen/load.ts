/**
 * Load points and the workload a stage runs: the scenario's own workload classes (the twin's
 * sources, `createWorkload`) with their arrivals replaced by the load point, or a trace replayed
 * through the importers' `traceSource`.
 *
 * A load point applies to the whole workload and is split over its classes by weight — each
 * class's own rate (requests or sessions per second) or concurrency in the scenario, 1 for any
 * other process — so the workload's mix stays the scenario's:
 * - `concurrency C`: class i becomes closed-loop with round(C·wᵢ/Σw) clients (largest-remainder
 *   rounding, so the counts sum to C); a class that gets 0 clients is left out of the stage.
 * - `rate R` (`constant`, `poisson` or `gamma` with `cv`): class i arrives at R·wᵢ/Σw per
 *   second. Constant-rate arrivals are the twin's trace arrivals at k/rate, k = 0, 1, …, up to
 *   the stage horizon (or request cap).
 * Agent-session classes take the load in *sessions*: concurrency = sessions in flight, rate =
 * sessions per second; their calls follow with think time and growing context.
 */
import { AifError, ERROR_CODES } from '../../core/errors.js';
import type { TraceRecord } from '../../sim/trace/types.js';
import { traceSource } from '../../sim/trace/replay.js';
import type { WorkloadSource } from '../../sim/types.js';
import {
  classSpecFromScenario,
  createWorkload,
  IdAllocator,
  type ClassArrivalSpec,
  type NamedClassSpec,
  type ScenarioClassLike,
} from '../../sim/workload/index.js';
import type { SloTargets } from '../../sim/metrics/index.js';

/** Open-loop arrival processes a rate load point may use. */
export const RATE_PROCESSES = ['constant', 'poisson', 'gamma'] as const;
export type RateProcess = (typeof RATE_PROCESSES)[number];

export type LoadPoint =
  /** The scenario's own arrivals, unchanged. */
  | { kind: 'scenario' }
  /** Closed loop: this many clients (requests or sessions in flight), fleet-wide. */
  | { kind: 'concurrency'; concurrency: number }
  /** Open loop at this total rate, requests (or sessions) per second. */
  | { kind: 'rate'; process: RateProcess; ratePerSecond: number; cv?: number };

/** `concurrency 8`, `poisson 4 req/s`, `gamma 4 req/s cv 2`, `scenario arrivals`. */
export function loadLabel(load: LoadPoint): string {
  switch (load.kind) {
    case 'scenario':
      return 'scenario arrivals';
    case 'concurrency':
      return `concurrency ${load.concurrency}`;
    case 'rate':
      return `${load.process} ${load.ratePerSecond} req/s${load.process === 'gamma' ? ` cv ${load.cv ?? 1}` : ''}`;
  }
}

/** The offered load as a number for charts, and its unit. */
export function offeredLoad(load: LoadPoint): {
  value: number | null;
  unit: 'concurrency' | 'requests/s' | 'scenario';
} {
  if (load.kind === 'concurrency') return { value: load.concurrency, unit: 'concurrency' };
  if (load.kind === 'rate') return { value: load.ratePerSecond, unit: 'requests/s' };
  return { value: null, unit: 'scenario' };
}

const invalid = (message: string): AifError =>
  new AifError(ERROR_CODES.INVALID_ARGUMENT, `loadgen: ${message}`);

/** A class's weight in the split: its rate or concurrency in the scenario, else 1. */
function classWeight(arrivals: ClassArrivalSpec): number {
  switch (arrivals.process) {
    case 'closed-loop':
      return arrivals.concurrency;
    case 'poisson':
    case 'gamma':
      return arrivals.ratePerSecond;
    case 'diurnal':
      return arrivals.meanRatePerSecond;
    default:
      return 1;
  }
}

/** Split `total` integer units by weights with largest remainders (ties to the lower index). */
export function splitByLargestRemainder(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  const exact = weights.map((w) => (total * w) / sum);
  const counts = exact.map(Math.floor);
  let left = total - counts.reduce((a, b) => a + b, 0);
  const order = exact
    .map((x, i) => ({ i, r: x - Math.floor(x) }))
    .sort((a, b) => b.r - a.r || a.i - b.i);
  for (const { i } of order) {
    if (left <= 0) break;
    counts[i]!++;
    left--;
  }
  return counts;
}

export interface StageHorizon {
  /** Stage duration, seconds (no request is intended at or after it). */
  durationSeconds?: number;
  /** Cap on requests sent in the stage. */
  maxRequests?: number;
}

/** Intended times of a constant rate: k/rate for k = 0 … n−1, n covering the horizon. */
function constantArrivals(ratePerSecond: number, horizon: StageHorizon): number[] {
  const byDuration =
    horizon.durationSeconds === undefined
      ? Infinity
      : Math.ceil(horizon.durationSeconds * ratePerSecond);
  const n = Math.min(byDuration, horizon.maxRequests ?? Infinity);
  if (!Number.isFinite(n)) throw invalid('a constant rate needs a duration or a request cap');
  return Array.from({ length: n }, (_, k) => k / ratePerSecond);
}

/**
 * The classes of a stage: the scenario classes with arrivals from `load` (see the module note).
 * @throws AifError E_INVALID_ARGUMENT for a non-positive concurrency or rate, or a constant rate
 *   with no horizon.
 */
export function classesAtLoad(
  classes: readonly NamedClassSpec[],
  load: LoadPoint,
  horizon: StageHorizon = {},
): NamedClassSpec[] {
  if (load.kind === 'scenario') return [...classes];
  const weights = classes.map((c) => classWeight(c.spec.arrivals));
  if (load.kind === 'concurrency') {
    if (!(Number.isInteger(load.concurrency) && load.concurrency > 0))
      throw invalid(`concurrency must be a positive integer, got ${load.concurrency}`);
    const counts = splitByLargestRemainder(load.concurrency, weights);
    return classes.flatMap((c, i) =>
      counts[i]! > 0
        ? [
            {
              name: c.name,
              spec: { ...c.spec, arrivals: { process: 'closed-loop', concurrency: counts[i]! } },
            } as NamedClassSpec,
          ]
        : [],
    );
  }
  if (!(load.ratePerSecond > 0 && Number.isFinite(load.ratePerSecond)))
    throw invalid(`rate must be a positive number, got ${load.ratePerSecond}`);
  const sum = weights.reduce((a, b) => a + b, 0);
  return classes.map((c, i) => {
    const rate = (load.ratePerSecond * weights[i]!) / sum;
    const arrivals: ClassArrivalSpec =
      load.process === 'constant'
        ? {
            process: 'trace',
            arrivalSeconds: constantArrivals(rate, {
              ...(horizon.durationSeconds === undefined
                ? {}
                : { durationSeconds: horizon.durationSeconds }),
              ...(horizon.maxRequests === undefined ? {} : { maxRequests: horizon.maxRequests }),
            }),
          }
        : load.process === 'poisson'
          ? { process: 'poisson', ratePerSecond: rate }
          : { process: 'gamma', ratePerSecond: rate, cv: load.cv ?? 1 };
    return { name: c.name, spec: { ...c.spec, arrivals } } as NamedClassSpec;
  });
}

/** A stage's workload: the source to pull from and each class's name and SLOs by index. */
export interface StageWorkload {
  source: WorkloadSource;
  classes: { name: string; slo: SloTargets }[];
}

/** Scenario classes with their SLOs, as the scenario file writes them. */
export type ScenarioClassWithSlo = ScenarioClassLike & { slo?: SloTargets };

/**
 * The workload of one stage from scenario classes: the twin's sources (`createWorkload`, same
 * seed ⇒ same requests) with the load point applied. Stage k uses seed `seed + k`, so stages
 * do not replay the same requests (a warm prefix cache would flatter later stages).
 */
export function scenarioWorkload(
  scenarioClasses: readonly ScenarioClassWithSlo[],
  options: { seed: number; load: LoadPoint; horizon?: StageHorizon; stage?: number },
): StageWorkload {
  const named = scenarioClasses.map((c) => classSpecFromScenario(c));
  const sloByName = new Map(scenarioClasses.map((c) => [c.name, c.slo ?? {}]));
  const classes = classesAtLoad(named, options.load, options.horizon ?? {});
  const workload = createWorkload(classes, options.seed + (options.stage ?? 0));
  return {
    source: workload.source,
    classes: classes.map((c) => ({ name: c.name, slo: sloByName.get(c.name) ?? {} })),
  };
}

/**
 * The workload of a trace replay: the records as one open-loop class (`traceSource`; arrival
 * times divided by `timeScale`). Load points do not apply: the trace is the load.
 */
export function traceWorkload(
  records: Iterable<TraceRecord>,
  options: { className?: string; slo?: SloTargets; timeScale?: number } = {},
): StageWorkload {
  const ids = new IdAllocator();
  const source = traceSource(records, {
    classIndex: 0,
    ...(options.timeScale === undefined ? {} : { timeScale: options.timeScale }),
    allocateRequestId: () => ids.nextRequestId(),
    allocateContentId: () => ids.nextContentId(),
  });
  return { source, classes: [{ name: options.className ?? 'trace', slo: options.slo ?? {} }] };
}
