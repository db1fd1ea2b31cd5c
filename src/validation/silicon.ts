/**
 * `validate silicon`: predict TTFT and TPOT for each row of a file shaped like
 * aiconfigurator-silicon/measured-ttft-tpot.csv and report MAPE overall and by system, backend
 * and model. Rows are read by column name; every mapping is by parts (see mapping.ts).
 *
 * Row semantics (../shared/reference/README.md): `batch_size` is per attention-DP rank, so the
 * total concurrency is batch_size × attention_dp_size; `gemm_quant_mode`/`moe_quant_mode` give
 * the dense and expert weight formats; the KV-cache format is not given; TTFT/TPOT are
 * per-configuration summary values of a closed-loop benchmark with fixed ISL/OSL.
 */
import type { Catalog } from '../catalog/catalog.js';
import { resolvePrecision } from '../catalog/precisions.js';
import type { Accelerator, ModelArch, NumberFormatId, PrecisionPlan } from '../catalog/types.js';
import { mape, median } from '../core/stats.js';
import {
  calibrationChain,
  modelClassOf,
  resolveCalibration,
  type CalibrationTable,
} from '../perf/calibration.js';
import type { CalibrationObservation } from '../perf/calibrate.js';
import { prepareDeployment } from '../perf/costs.js';
import { memoryFit } from '../perf/memory.js';
import { steadyState } from '../perf/steady-state.js';
import type { Deployment, EngineSettings } from '../perf/types.js';
import { applyEngineDefaults, ENGINE_NAMES, type EngineName } from '../scenario/engine-defaults.js';
import { mapAccelerator, mapModelByHfId } from './mapping.js';
import { predictDisaggregated } from './silicon-disagg.js';

export type SiliconRow = Record<string, string>;

export interface SiliconCase {
  id: string;
  /** The deployment (aggregated rows), or the prefill replica's (disaggregated rows). */
  deployment: Deployment;
  /** Disaggregated rows: the decode replicas and the worker counts of both pools. */
  disagg?: { decode: Deployment; numPrefillWorkers: number; numDecodeWorkers: number };
  concurrency: number;
  inputTokens: number;
  outputTokens: number;
  measuredTtftMs: number;
  measuredTpotMs: number;
  group: { system: string; backend: string; model: string };
}

export type SiliconRowResult =
  | {
      id: string;
      predictedTtftMs: number;
      predictedTpotMs: number;
      measuredTtftMs: number;
      measuredTpotMs: number;
      system: string;
      backend: string;
      model: string;
      mode: 'agg' | 'disagg';
      calibration: string;
    }
  | { id: string; skipped: true; reason: string };

const QUANT_FORMAT: Record<string, NumberFormatId> = {
  fp8: 'fp8',
  fp8_block: 'fp8-block',
  nvfp4: 'nvfp4',
  mxfp4: 'mxfp4',
  int4_wo: 'int4-wo',
  int8_wo: 'int8-wo',
  w4a16_mxfp4: 'mxfp4',
  bf16: 'bf16',
  float16: 'fp16',
  fp16: 'fp16',
};

const num = (row: SiliconRow, key: string): number => {
  const v = row[key];
  return v === undefined || v.trim() === '' ? NaN : Number(v);
};

/**
 * Precision plan for a row: quant modes name the weight formats of dense and expert GEMMs; a
 * blank mode means unquantized bf16. The KV-cache format is not in the file: assume fp8 KV when
 * weights are 8-bit or narrower on TensorRT-LLM (its quantized checkpoints default to an fp8 KV
 * cache), bf16 otherwise — an assumption stated in every result's basis.
 */
function rowPrecision(row: SiliconRow, acc: Accelerator, model: ModelArch): PrecisionPlan | string {
  const gemm = (row.gemm_quant_mode ?? '').trim();
  const moeMode = (row.moe_quant_mode ?? '').trim();
  const g = gemm === '' ? 'bf16' : QUANT_FORMAT[gemm];
  const e = moeMode === '' ? g : QUANT_FORMAT[moeMode];
  if (!g || !e) return `unknown quant mode '${gemm}'/'${moeMode}'`;
  const preset =
    g === 'fp8-block'
      ? 'fp8-block'
      : g === 'int4-wo'
        ? 'int4-wo'
        : g === 'nvfp4'
          ? 'nvfp4'
          : g === 'fp8'
            ? 'fp8'
            : 'bf16';
  const plan = { ...resolvePrecision(preset, acc, Boolean(model.moe)) };
  plan.experts = e;
  plan.denseMlp = g;
  plan.kvCache = row.backend === 'trtllm' && g !== 'bf16' ? 'fp8' : 'bf16';
  return plan;
}

/**
 * Engine settings of a row: the engine's own defaults (scenario/engine-defaults.ts, each
 * sourced), with the batch capacity raised to the row's concurrency where the default is
 * lower — the benchmark cannot run more clients than the engine admits, and its configs set it.
 */
function rowEngine(
  row: SiliconRow,
  acc: Accelerator,
  concurrencyPerRank: number,
  tpTimesPp: number,
  attnDp: number,
): EngineSettings {
  const name = (row.backend ?? '').trim();
  const engine: EngineName = (ENGINE_NAMES as readonly string[]).includes(name)
    ? (name as EngineName)
    : 'generic';
  const ctx = { accelerator: acc, tpTimesPp, attnDp, speculativeDrafter: undefined };
  const { settings } = applyEngineDefaults(engine, ctx, {});
  return {
    ...settings,
    maxNumSeqs: Math.max(settings.maxNumSeqs, concurrencyPerRank),
    prefixCaching: false, // random prompts: nothing to reuse
  };
}

type Skip = { id: string; skipped: true; reason: string };

/**
 * One worker layout of a row: columns `${prefix}tp_size`, `pp_size`, `attention_dp_size`,
 * `moe_ep_size` and `batch_size` (prefix '' for aggregated rows, 'prefill_'/'decode_' for the
 * pools of disaggregated ones).
 */
function rowDeployment(
  row: SiliconRow,
  acc: Accelerator,
  model: ModelArch,
  prefix: string,
  catalog: Catalog,
): { deployment: Deployment; batchPerRank: number; attnDp: number } | string {
  const tp = num(row, `${prefix}tp_size`);
  const pp = num(row, `${prefix}pp_size`) || 1;
  const attnDp = Math.max(1, num(row, `${prefix}attention_dp_size`) || 1);
  const ep = Math.max(1, num(row, `${prefix}moe_ep_size`) || 1);
  const batch = num(row, `${prefix}batch_size`);
  if (![tp, batch].every((x) => Number.isFinite(x) && x > 0))
    return `missing or non-positive ${prefix}tp_size or ${prefix}batch_size`;
  // A tensor-parallel split divides the attention heads; rows whose tp_size does not (e.g. 36 on
  // a 128-head model) report the GPU count of a wide-EP/attention-DP deployment, not a TP degree.
  const heads = model.attention.numHeads;
  if (heads % tp !== 0)
    return `${prefix}tp_size ${tp} does not divide the ${heads} attention heads: not a tensor-parallel layout`;
  const precision = rowPrecision(row, acc, model);
  if (typeof precision === 'string') return precision;
  const deployment: Deployment = {
    model,
    accelerator: acc,
    precision,
    precisionLabel: `${row.gemm_quant_mode || 'bf16'}/${row.moe_quant_mode || 'bf16'}`,
    parallel: { tp, pp, ep, attnDp },
    engine: rowEngine(row, acc, batch, tp * pp, attnDp),
  };
  const prepared = prepareDeployment(deployment, catalog.formats);
  if (prepared.weightBytesPerGpu >= acc.memoryBytes.value)
    return `the stated layout cannot hold the weights: ${(prepared.weightBytesPerGpu / 1e9).toFixed(0)} GB per GPU ≥ ${(acc.memoryBytes.value / 1e9).toFixed(0)} GB`;
  // The file does not give the engine's memory fraction; a configuration that ran had KV room,
  // so when the engine's default leaves none, the fraction it must have used is taken (0.97).
  if (!memoryFit(prepared).fits)
    deployment.engine = { ...deployment.engine, gpuMemoryUtilization: 0.97 };
  return { deployment, batchPerRank: batch, attnDp };
}

/** `silicon_concurrency=N` from the row's source field, when given. */
function statedConcurrency(row: SiliconRow): number | undefined {
  const m = /silicon_concurrency=(\d+)/.exec(row.silicon_data_source ?? '');
  return m ? Number(m[1]) : undefined;
}

export function siliconCase(row: SiliconRow, catalog: Catalog): SiliconCase | Skip {
  const id = row.id ?? '?';
  const mode = (row.mode ?? '').trim();
  if (mode !== 'agg' && mode !== 'disagg')
    return { id, skipped: true, reason: `unknown mode '${row.mode}'` };
  const acc = mapAccelerator(row.system ?? '', catalog);
  if (!acc.ok) return { id, skipped: true, reason: acc.reason };
  const model = mapModelByHfId(row.model_path ?? '', catalog);
  if (!model.ok) return { id, skipped: true, reason: model.reason };
  const isl = num(row, 'isl');
  const osl = num(row, 'osl');
  const ttft = num(row, 'silicon_ttft_ms');
  const tpot = num(row, 'silicon_tpot_ms');
  if (![isl, osl, ttft, tpot].every((x) => Number.isFinite(x) && x > 0))
    return { id, skipped: true, reason: 'missing or non-positive isl, osl or measured latency' };
  const common = {
    id,
    inputTokens: isl,
    outputTokens: osl,
    measuredTtftMs: ttft,
    measuredTpotMs: tpot,
    group: { system: row.system ?? '', backend: row.backend ?? '', model: model.value.id },
  };
  if (mode === 'agg') {
    const d = rowDeployment(row, acc.value, model.value, '', catalog);
    if (typeof d === 'string') return { id, skipped: true, reason: d };
    return { ...common, deployment: d.deployment, concurrency: d.batchPerRank * d.attnDp };
  }
  if (!(num(row, 'prefill_num_workers') > 0 && num(row, 'decode_num_workers') > 0))
    return {
      id,
      skipped: true,
      reason:
        'disaggregated row without prefill_num_workers/decode_num_workers: the pool sizes are not given, so the run cannot be simulated',
    };
  const p = rowDeployment(row, acc.value, model.value, 'prefill_', catalog);
  if (typeof p === 'string') return { id, skipped: true, reason: p };
  const d = rowDeployment(row, acc.value, model.value, 'decode_', catalog);
  if (typeof d === 'string') return { id, skipped: true, reason: d };
  // In a disaggregated row the batch sizes are the workers' own caps (a context server with
  // batch 1 prefills one prompt at a time), not the clients per rank of an aggregated run.
  for (const x of [p, d])
    x.deployment.engine = { ...x.deployment.engine, maxNumSeqs: x.batchPerRank };
  const numPrefillWorkers = num(row, 'prefill_num_workers');
  const numDecodeWorkers = num(row, 'decode_num_workers');
  if (![numPrefillWorkers, numDecodeWorkers].every((x) => Number.isInteger(x)))
    return { id, skipped: true, reason: 'prefill_num_workers/decode_num_workers not integers' };
  // Total clients: as stated, else what the decode pool holds (batch per rank × ranks × workers).
  const concurrency = statedConcurrency(row) ?? d.batchPerRank * d.attnDp * numDecodeWorkers;
  return {
    ...common,
    deployment: p.deployment,
    disagg: { decode: d.deployment, numPrefillWorkers, numDecodeWorkers },
    concurrency,
  };
}

export interface SiliconPrediction {
  ttftMs: number;
  tpotMs: number;
}

/** Predict one case with the given calibration table (fallback chain per accelerator+engine). */
export function predictSilicon(
  c: SiliconCase,
  catalog: Catalog,
  table: CalibrationTable,
): SiliconPrediction & { calibration: string } {
  const cal = resolveCalibration(
    table,
    c.deployment.accelerator,
    c.deployment.engine.name,
    c.deployment.model,
  );
  const prepared = prepareDeployment(c.deployment, catalog.formats);
  const ss = steadyState({
    prepared,
    calibration: cal.params,
    memory: memoryFit(prepared),
    request: { inputTokens: c.inputTokens, outputTokens: c.outputTokens },
    concurrency: c.concurrency,
    arrivals: 'closed-loop',
  });
  return { ttftMs: ss.ttftSeconds * 1e3, tpotMs: ss.tpotSeconds * 1e3, calibration: cal.key };
}

export interface MapeSummary {
  rows: number;
  ttftMapePct: number;
  tpotMapePct: number;
  ttftMedianApePct: number;
  tpotMedianApePct: number;
}

export interface SiliconReport {
  rows: SiliconRowResult[];
  summary: {
    /** Aggregated rows (analytical model; the calibration is fitted on them). */
    overall: MapeSummary;
    /** Disaggregated rows (serving twin; not used by the fit: held out), when any map. */
    disaggregated?: MapeSummary;
    bySystem: Record<string, MapeSummary>;
    byBackend: Record<string, MapeSummary>;
    byModel: Record<string, MapeSummary>;
    skipped: number;
    skippedByReason: Record<string, number>;
  };
}

function summarize(rs: Extract<SiliconRowResult, { predictedTtftMs: number }>[]): MapeSummary {
  // No rows: no error to state (NaN, written as null in JSON and n/a in text).
  if (rs.length === 0)
    return {
      rows: 0,
      ttftMapePct: NaN,
      tpotMapePct: NaN,
      ttftMedianApePct: NaN,
      tpotMedianApePct: NaN,
    };
  const ape = (p: number, m: number) => (100 * Math.abs(p - m)) / m;
  return {
    rows: rs.length,
    ttftMapePct: mape(rs.map((r) => ({ predicted: r.predictedTtftMs, actual: r.measuredTtftMs }))),
    tpotMapePct: mape(rs.map((r) => ({ predicted: r.predictedTpotMs, actual: r.measuredTpotMs }))),
    ttftMedianApePct: median(rs.map((r) => ape(r.predictedTtftMs, r.measuredTtftMs))),
    tpotMedianApePct: median(rs.map((r) => ape(r.predictedTpotMs, r.measuredTpotMs))),
  };
}

const groupBy = <T>(xs: T[], key: (x: T) => string): Record<string, T[]> => {
  const out: Record<string, T[]> = {};
  for (const x of xs) (out[key(x)] ??= []).push(x);
  return out;
};

export function validateSilicon(
  rows: SiliconRow[],
  catalog: Catalog,
  table: CalibrationTable,
): SiliconReport {
  const results: SiliconRowResult[] = rows.map((row): SiliconRowResult => {
    const c = siliconCase(row, catalog);
    if ('skipped' in c) return c;
    const p = c.disagg
      ? predictDisaggregated({
          prefill: c.deployment,
          ...c.disagg,
          concurrency: c.concurrency,
          inputTokens: c.inputTokens,
          outputTokens: c.outputTokens,
          catalog,
          calibration: table,
        })
      : predictSilicon(c, catalog, table);
    return {
      mode: c.disagg ? 'disagg' : 'agg',
      id: c.id,
      predictedTtftMs: p.ttftMs,
      predictedTpotMs: p.tpotMs,
      measuredTtftMs: c.measuredTtftMs,
      measuredTpotMs: c.measuredTpotMs,
      ...c.group,
      calibration: p.calibration,
    };
  });
  const predicted = results.filter(
    (r): r is Extract<SiliconRowResult, { predictedTtftMs: number }> => !('skipped' in r),
  );
  const done = predicted.filter((r) => r.mode === 'agg');
  const disagg = predicted.filter((r) => r.mode === 'disagg');
  const skipped = results.filter(
    (r): r is Extract<SiliconRowResult, { skipped: true }> => 'skipped' in r,
  );
  const mapGroups = (g: Record<string, typeof done>) =>
    Object.fromEntries(
      Object.entries(g)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([k, v]) => [k, summarize(v)]),
    );
  const skippedByReason: Record<string, number> = {};
  for (const s of skipped) {
    const k = s.reason.replace(/'[^']*'/g, "'…'");
    skippedByReason[k] = (skippedByReason[k] ?? 0) + 1;
  }
  return {
    rows: results,
    summary: {
      overall: summarize(done),
      ...(disagg.length ? { disaggregated: summarize(disagg) } : {}),
      bySystem: mapGroups(groupBy(done, (r) => r.system)),
      byBackend: mapGroups(groupBy(done, (r) => r.backend)),
      byModel: mapGroups(groupBy(done, (r) => r.model)),
      skipped: skipped.length,
      skippedByReason,
    },
  };
}

/** Calibration observations from silicon rows (aggregated rows that map; the rest are skipped). */
export function siliconObservations(
  rows: SiliconRow[],
  catalog: Catalog,
): CalibrationObservation[] {
  const out: CalibrationObservation[] = [];
  for (const row of rows) {
    const c = siliconCase(row, catalog);
    if ('skipped' in c || c.disagg) continue;
    const prepared = prepareDeployment(c.deployment, catalog.formats);
    out.push({
      prepared,
      memory: memoryFit(prepared),
      request: { inputTokens: c.inputTokens, outputTokens: c.outputTokens },
      concurrency: c.concurrency,
      arrivals: 'closed-loop',
      measuredTtftSeconds: c.measuredTtftMs / 1e3,
      measuredTpotSeconds: c.measuredTpotMs / 1e3,
      chain: calibrationChain(
        c.deployment.accelerator,
        c.deployment.engine.name,
        modelClassOf(c.deployment.model),
      ),
      labels: {
        model: c.group.model,
        accelerator: c.deployment.accelerator.id,
        engine: c.deployment.engine.name,
      },
    });
  }
  return out;
}
