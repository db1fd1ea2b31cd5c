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

export type SiliconRow = Record<string, string>;

export interface SiliconCase {
  id: string;
  deployment: Deployment;
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

export function siliconCase(
  row: SiliconRow,
  catalog: Catalog,
): SiliconCase | { id: string; skipped: true; reason: string } {
  const id = row.id ?? '?';
  if ((row.mode ?? '').trim() !== 'agg') {
    return {
      id,
      skipped: true,
      reason: `mode '${row.mode}' (disaggregated prefill/decode) is modelled by the serving twin, not the analytical estimate`,
    };
  }
  const acc = mapAccelerator(row.system ?? '', catalog);
  if (!acc.ok) return { id, skipped: true, reason: acc.reason };
  const model = mapModelByHfId(row.model_path ?? '', catalog);
  if (!model.ok) return { id, skipped: true, reason: model.reason };
  const tp = num(row, 'tp_size');
  const pp = num(row, 'pp_size') || 1;
  const attnDp = Math.max(1, num(row, 'attention_dp_size') || 1);
  const ep = Math.max(1, num(row, 'moe_ep_size') || 1);
  const batch = num(row, 'batch_size');
  const isl = num(row, 'isl');
  const osl = num(row, 'osl');
  const ttft = num(row, 'silicon_ttft_ms');
  const tpot = num(row, 'silicon_tpot_ms');
  if (![tp, batch, isl, osl, ttft, tpot].every((x) => Number.isFinite(x) && x > 0)) {
    return {
      id,
      skipped: true,
      reason: 'missing or non-positive tp_size, batch_size, isl, osl or measured latency',
    };
  }
  // A tensor-parallel split divides the attention heads; rows whose tp_size does not (e.g. 36 on
  // a 128-head model) report the GPU count of a wide-EP/attention-DP deployment, not a TP degree.
  const heads = model.value.attention.numHeads;
  if (heads % tp !== 0) {
    return {
      id,
      skipped: true,
      reason: `tp_size ${tp} does not divide the ${heads} attention heads: not a tensor-parallel layout`,
    };
  }
  const precision = rowPrecision(row, acc.value, model.value);
  if (typeof precision === 'string') return { id, skipped: true, reason: precision };
  const deployment: Deployment = {
    model: model.value,
    accelerator: acc.value,
    precision,
    precisionLabel: `${row.gemm_quant_mode || 'bf16'}/${row.moe_quant_mode || 'bf16'}`,
    parallel: { tp, pp, ep, attnDp },
    engine: rowEngine(row, acc.value, batch, tp * pp, attnDp),
  };
  const prepared = prepareDeployment(deployment, catalog.formats);
  if (prepared.weightBytesPerGpu >= acc.value.memoryBytes.value) {
    return {
      id,
      skipped: true,
      reason: `the stated layout cannot hold the weights: ${(prepared.weightBytesPerGpu / 1e9).toFixed(0)} GB per GPU ≥ ${(acc.value.memoryBytes.value / 1e9).toFixed(0)} GB`,
    };
  }
  // The file does not give the engine's memory fraction; a configuration that ran had KV room,
  // so when the engine's default leaves none, the fraction it must have used is taken (0.97).
  if (!memoryFit(prepared).fits)
    deployment.engine = { ...deployment.engine, gpuMemoryUtilization: 0.97 };
  return {
    id,
    deployment,
    concurrency: batch * attnDp,
    inputTokens: isl,
    outputTokens: osl,
    measuredTtftMs: ttft,
    measuredTpotMs: tpot,
    group: { system: row.system ?? '', backend: row.backend ?? '', model: model.value.id },
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
    overall: MapeSummary;
    bySystem: Record<string, MapeSummary>;
    byBackend: Record<string, MapeSummary>;
    byModel: Record<string, MapeSummary>;
    skipped: number;
    skippedByReason: Record<string, number>;
  };
}

function summarize(rs: Extract<SiliconRowResult, { predictedTtftMs: number }>[]): MapeSummary {
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
  const results: SiliconRowResult[] = rows.map((row) => {
    const c = siliconCase(row, catalog);
    if ('skipped' in c) return c;
    const p = predictSilicon(c, catalog, table);
    return {
      id: c.id,
      predictedTtftMs: p.ttftMs,
      predictedTpotMs: p.tpotMs,
      measuredTtftMs: c.measuredTtftMs,
      measuredTpotMs: c.measuredTpotMs,
      ...c.group,
      calibration: p.calibration,
    };
  });
  const done = results.filter(
    (r): r is Extract<SiliconRowResult, { predictedTtftMs: number }> => !('skipped' in r),
  );
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
    if ('skipped' in c) continue;
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
