/**
 * Use case: calibrate accelerators the silicon CSV does not cover from measured vLLM runs
 * (directories shaped like data/reference/vllm-traces/<gpu>_<model>), by replaying each run
 * through the serving twin and fitting the parameters that set an iteration's time on that GPU:
 * GEMM efficiency and its half-efficiency rows, memory efficiency and the per-iteration host
 * overhead. One entry per accelerator, keyed `<accelerator>/vllm`, started from (and pulled
 * towards, by a prior) the entry the fallback chain gave it before.
 *
 * Loss per run: |ln(mean sim TPOT / mean real TPOT)| + |ln(mean sim TTFT / mean real TTFT)| —
 * the two figures `validate vllm-trace` is judged by, symmetric in over- and under-prediction.
 * Held-out error: for an accelerator with several runs, each run is predicted by a fit on the
 * others (leave one run out); an accelerator with one run has in-sample error only, and says so.
 */
import type { Catalog } from '../catalog/catalog.js';
import {
  resolveCalibration,
  type CalibrationEntry,
  type CalibrationParams,
  type CalibrationTable,
} from '../perf/calibration.js';
import { fitParamSubset } from '../perf/calibrate.js';
import { replayVllmTrace } from '../validation/vllm-replay.js';
import {
  vllmRunDeployment,
  type VllmRunHardware,
  type VllmTraceMeta,
  type VllmTraceRequest,
  type VllmTraceTick,
} from '../validation/vllm-trace.js';

export interface TraceRun {
  name: string;
  meta: VllmTraceMeta;
  requests: readonly (VllmTraceRequest & { request_id?: string })[];
  ticks: readonly VllmTraceTick[];
  gpuHint: string;
  hardware?: VllmRunHardware;
}

export interface TraceRunError {
  run: string;
  tpotErrorOfMeanPct: number;
  ttftErrorOfMeanPct: number;
}

export interface TraceCalibration {
  entries: CalibrationEntry[];
  inSample: TraceRunError[];
  /** Leave one run out, per accelerator with ≥ 2 runs. */
  heldOut: TraceRunError[];
  /** Accelerators fitted from a single run (no held-out check possible). */
  singleRun: string[];
  skipped: { run: string; reason: string }[];
}

const FITTED_KEYS = [
  'gemmComputeEfficiency',
  'gemmHalfEfficiencyTokens',
  'memoryEfficiency',
  'hostOverheadSeconds',
] as const;

const ENGINE = 'vllm';

function errorsOf(
  run: TraceRun,
  catalog: Catalog,
  table: CalibrationTable,
): TraceRunError | undefined {
  const r = replayVllmTrace(
    run.name,
    run.meta,
    run.requests,
    catalog,
    table,
    run.gpuHint,
    run.ticks,
    run.hardware,
  );
  if ('skipped' in r) return undefined;
  return {
    run: run.name,
    tpotErrorOfMeanPct: r.summary.tpotMs.errorOfMeanPct,
    ttftErrorOfMeanPct: r.summary.ttftMs.errorOfMeanPct,
  };
}

const logLoss = (e: TraceRunError | undefined): number =>
  e === undefined
    ? 10
    : Math.abs(Math.log(1 + e.tpotErrorOfMeanPct / 100)) +
      Math.abs(Math.log(1 + e.ttftErrorOfMeanPct / 100));

function fitOn(
  runs: readonly TraceRun[],
  key: string,
  start: CalibrationParams,
  catalog: Catalog,
  base: CalibrationTable,
  maxIterations: number,
): CalibrationParams {
  const loss = (params: CalibrationParams): number => {
    const table = new Map(base).set(key, { key, source: 'candidate', params });
    return runs.reduce((a, run) => a + logLoss(errorsOf(run, catalog, table)), 0) / runs.length;
  };
  return fitParamSubset(loss, start, FITTED_KEYS, { maxIterations });
}

/** Fit one entry per accelerator from its runs; deterministic. */
export function calibrateFromVllmTraces(
  runs: readonly TraceRun[],
  catalog: Catalog,
  base: CalibrationTable,
  options: { maxIterations?: number } = {},
): TraceCalibration {
  const maxIterations = options.maxIterations ?? 120;
  const skipped: TraceCalibration['skipped'] = [];
  const byAccelerator = new Map<string, { runs: TraceRun[]; start: CalibrationEntry }>();
  for (const run of runs) {
    const d = vllmRunDeployment(run.meta, catalog, base, run.gpuHint, run.hardware);
    if ('reason' in d) {
      skipped.push({ run: run.name, reason: d.reason });
      continue;
    }
    const g = byAccelerator.get(d.accelerator.id);
    if (g) g.runs.push(run);
    else
      byAccelerator.set(d.accelerator.id, {
        runs: [run],
        start: resolveCalibration(base, d.accelerator, ENGINE, d.model),
      });
  }
  const entries: CalibrationEntry[] = [];
  const inSample: TraceRunError[] = [];
  const heldOut: TraceRunError[] = [];
  const singleRun: string[] = [];
  for (const [acc, g] of [...byAccelerator].sort(([a], [b]) => a.localeCompare(b))) {
    const key = `${acc}/${ENGINE}`;
    const params = fitOn(g.runs, key, g.start.params, catalog, base, maxIterations);
    const entry: CalibrationEntry = {
      key,
      source: `fit on vLLM runs ${g.runs.map((r) => r.name).join(', ')} (serving-twin replay, started from ${g.start.key})`,
      params,
    };
    entries.push(entry);
    const table = new Map(base).set(key, entry);
    for (const run of g.runs) {
      const e = errorsOf(run, catalog, table);
      if (e) inSample.push(e);
    }
    if (g.runs.length < 2) {
      singleRun.push(acc);
      continue;
    }
    for (const run of g.runs) {
      const others = g.runs.filter((r) => r !== run);
      const p = fitOn(others, key, g.start.params, catalog, base, maxIterations);
      const e = errorsOf(
        run,
        catalog,
        new Map(base).set(key, { key, source: 'held out', params: p }),
      );
      if (e) heldOut.push(e);
    }
  }
  return { entries, inSample, heldOut, singleRun, skipped };
}

/** The generated module holding the entries (src/perf/calibration-traces-data.ts). */
export function renderTraceCalibrationModule(c: TraceCalibration, command: string): string {
  const round = (x: number): number => Number(x.toPrecision(6));
  const body = c.entries
    .map(
      (e) =>
        `  {\n    key: ${JSON.stringify(e.key)},\n    source: ${JSON.stringify(e.source)},\n    params: {\n${Object.entries(
          e.params,
        )
          .map(([k, v]) => `      ${k}: ${round(v as number)},`)
          .join('\n')}\n    },\n  },`,
    )
    .join('\n');
  const errs = (xs: TraceRunError[]) =>
    xs
      .map(
        (x) =>
          ` *   ${x.run}: TPOT ${x.tpotErrorOfMeanPct.toFixed(1)}%, TTFT ${x.ttftErrorOfMeanPct.toFixed(1)}%`,
      )
      .join('\n');
  return `/**
 * Calibration entries fitted from measured vLLM runs by replaying them through the serving twin
 * — generated by \`${command}\`; do not edit by hand.
 * In-sample error of the mean (sim vs real):
${errs(c.inSample)}
 * Held-out (leave one run out, same accelerator):
${c.heldOut.length ? errs(c.heldOut) : ' *   none (no accelerator has two runs)'}
 * Fitted from a single run (in-sample only): ${c.singleRun.join(', ') || 'none'}.
 */
import type { CalibrationEntry } from './calibration.js';

export const TRACE_CALIBRATION_ENTRIES: CalibrationEntry[] = [
${body}
];
`;
}
