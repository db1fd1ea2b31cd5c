/**
 * A benchmark run: stages at a list of load points (a sweep of concurrencies or rates, or the
 * scenario's own arrivals once), each run in real time against the endpoint, with the
 * saturation stop between stages. Metrics are derived from the event log after each stage.
 */
import type { TraceRecord } from '../../sim/trace/types.js';
import type { SloTargets } from '../../sim/metrics/index.js';
import type { EndpointConfig } from './client.js';
import type { ConventionName } from './conventions.js';
import type { EventSink, LoadgenEvent } from './events.js';
import {
  loadLabel,
  offeredLoad,
  scenarioWorkload,
  traceWorkload,
  type LoadPoint,
  type ScenarioClassWithSlo,
  type StageWorkload,
} from './load.js';
import { stageMetrics, type StageMetrics } from './metrics.js';
import { assembleLog, type AssembledLog } from './records.js';
import { runStage } from './runner.js';
import { DEFAULT_SATURATION_RULE, saturationVerdict, type SaturationRule } from './saturation.js';
import { MemorySink, teeSink } from './sinks.js';

export type BenchWorkload =
  | { kind: 'scenario'; classes: readonly ScenarioClassWithSlo[]; seed: number }
  | {
      kind: 'trace';
      records: readonly TraceRecord[];
      timeScale?: number;
      className?: string;
      slo?: SloTargets;
    };

export interface BenchOptions {
  endpoint: EndpointConfig;
  workload: BenchWorkload;
  /** Load points in increasing order (default: the scenario's own arrivals, one stage). */
  loads?: readonly LoadPoint[];
  /** Per stage: no request intended at or after this, seconds. */
  durationSeconds?: number;
  /** Per stage: at most this many requests. */
  maxRequests?: number;
  warmupSeconds?: number;
  drainSeconds?: number;
  /** Stop rule between stages; `false` runs every load point. */
  saturation?: SaturationRule | false;
  convention?: ConventionName;
  numGpus?: number;
  dispatchLagThresholdSeconds?: number;
  /** Another sink for the events (e.g. a JSONL file). */
  sink?: EventSink;
  /**
   * Connections opened before each stage starts (default 0): at thousands of streams their
   * set-up otherwise fills the stage's first stream lifetime (`StageOptions.preconnect`).
   */
  preconnect?: number;
  /** Called after each stage with its metrics (progress). */
  onStage?: (metrics: StageMetrics) => void;
}

export interface BenchRun {
  events: LoadgenEvent[];
  log: AssembledLog;
  stages: StageMetrics[];
  /** Why the sweep stopped before its last load point, or null. */
  stoppedBy: string | null;
  /** The SLO targets by class, as used. */
  sloByClass: Record<string, SloTargets>;
}

/**
 * Run the benchmark. A trace workload runs one stage (the trace is the load); a scenario
 * workload one stage per load point until the saturation rule stops the sweep.
 * @throws AifError E_INVALID_ARGUMENT for a bad load point or a stage with no bound (no
 *   duration and no request cap on an open-ended workload is allowed only for traces).
 */
export async function runBench(options: BenchOptions): Promise<BenchRun> {
  const memory = new MemorySink();
  const sink = options.sink ? teeSink(memory, options.sink) : memory;
  const loads: readonly LoadPoint[] =
    options.workload.kind === 'trace'
      ? [{ kind: 'scenario' }]
      : (options.loads ?? [{ kind: 'scenario' }]);
  const rule =
    options.saturation === false ? null : (options.saturation ?? DEFAULT_SATURATION_RULE);
  const stages: StageMetrics[] = [];
  const sloByClass: Record<string, SloTargets> = {};
  let stoppedBy: string | null = null;
  const horizon = {
    ...(options.durationSeconds === undefined ? {} : { durationSeconds: options.durationSeconds }),
    ...(options.maxRequests === undefined ? {} : { maxRequests: options.maxRequests }),
  };

  for (let stage = 0; stage < loads.length; stage++) {
    const load = loads[stage]!;
    const w = options.workload;
    const workload: StageWorkload =
      w.kind === 'scenario'
        ? scenarioWorkload(w.classes, { seed: w.seed, load, horizon, stage })
        : traceWorkload(w.records, {
            ...(w.className === undefined ? {} : { className: w.className }),
            ...(w.slo === undefined ? {} : { slo: w.slo }),
            ...(w.timeScale === undefined ? {} : { timeScale: w.timeScale }),
          });
    for (const c of workload.classes) sloByClass[c.name] = c.slo;
    const offered = offeredLoad(load);
    await runStage({
      stage,
      source: workload.source,
      classNames: workload.classes.map((c) => c.name),
      endpoint: options.endpoint,
      sink,
      label: w.kind === 'trace' ? 'trace replay' : loadLabel(load),
      offeredLoad: offered.value,
      offeredLoadUnit: offered.unit,
      ...horizon,
      ...(options.drainSeconds === undefined ? {} : { drainSeconds: options.drainSeconds }),
      ...(options.preconnect === undefined ? {} : { preconnect: options.preconnect }),
    });
    const log = assembleLog(memory.events);
    const m = stageMetrics(log, stage, {
      sloByClass,
      ...(options.convention === undefined ? {} : { convention: options.convention }),
      ...(options.warmupSeconds === undefined ? {} : { warmupSeconds: options.warmupSeconds }),
      ...(options.numGpus === undefined ? {} : { numGpus: options.numGpus }),
      ...(options.dispatchLagThresholdSeconds === undefined
        ? {}
        : { dispatchLagThresholdSeconds: options.dispatchLagThresholdSeconds }),
    });
    stages.push(m);
    options.onStage?.(m);
    if (rule && stage < loads.length - 1) {
      const verdict = saturationVerdict(
        stages.map((s) => ({
          label: s.label,
          tokenGoodputPerSecond: s.goodput.outputTokensPerSecond,
          sloAttainment: s.goodput.sloAttainment,
        })),
        rule,
      );
      if (verdict.saturated) {
        stoppedBy = verdict.reason;
        break;
      }
    }
  }
  return { events: memory.events, log: assembleLog(memory.events), stages, stoppedBy, sloByClass };
}
