/**
 * `validate vllm-trace`: compare the model with a real vLLM run in the format of
 * ../shared/reference/vllm-traces/<gpu>_<model>/ (meta.json + requests.jsonl): the KV-cache
 * capacity the engine logged, the saturated output throughput over the run and the median
 * per-request TPOT. The runs are saturated (hundreds of requests waiting), so the engine runs
 * at its batch limit; TTFT there is queueing and is not compared.
 *
 * Per-request metrics follow the reference README: TPOT = (last_token_ts − first_token_ts) /
 * (output_toks − 1); the run spans min(queued_ts) … max(last_token_ts) on one monotonic clock.
 */
import type { Catalog } from '../catalog/catalog.js';
import { resolvePrecision } from '../catalog/precisions.js';
import { median } from '../core/stats.js';
import {
  resolveCalibration,
  type CalibrationEntry,
  type CalibrationTable,
} from '../perf/calibration.js';
import type { Accelerator, ModelArch } from '../catalog/types.js';
import { prepareDeployment, type PreparedDeployment } from '../perf/costs.js';
import { memoryFit, type MemoryFit } from '../perf/memory.js';
import { steadyState } from '../perf/steady-state.js';
import type { Deployment } from '../perf/types.js';
import { applyEngineDefaults } from '../scenario/engine-defaults.js';
import { mapAccelerator, mapModelByHfId } from './mapping.js';

export interface VllmTraceRequest {
  input_toks: number;
  output_toks: number;
  queued_ts: number;
  first_token_ts: number;
  last_token_ts: number;
}

export interface VllmTraceMeta {
  model: string;
  vllm_version?: string;
  engine_kwargs: {
    tensor_parallel_size: number;
    max_num_seqs: number;
    max_num_batched_tokens: number;
    dtype?: string;
    kv_cache_dtype?: string;
  };
  kv_cache?: {
    num_gpu_blocks?: number | null;
    block_size?: number;
    gpu_memory_utilization?: number;
  };
  hardware?: { device_name?: string; device_total_memory_bytes?: number };
}

/** One row of timeseries.csv: per-second engine counters. */
export interface VllmTraceTick {
  gen_throughput: number;
  running: number;
  waiting: number;
}

export interface VllmTraceFigures {
  outputTokensPerSecond: number;
  medianTpotMs: number;
  kvBlocks?: number;
}

export type VllmTraceCase =
  | {
      name: string;
      predicted: VllmTraceFigures;
      measured: VllmTraceFigures;
      errorPct: { outputTokensPerSecond: number; medianTpotMs: number; kvBlocks?: number };
      basis: {
        model: string;
        accelerator: string;
        tp: number;
        maxNumSeqs: number;
        calibration: string;
        workload: string;
      };
    }
  | { name: string; skipped: true; reason: string };

const pct = (p: number, m: number): number => (100 * (p - m)) / m;

/** The deployment a vLLM run describes: model, GPU, dtype, TP and engine settings of meta.json. */
export interface VllmRunDeployment {
  prepared: PreparedDeployment;
  memory: MemoryFit;
  calibration: CalibrationEntry;
  model: ModelArch;
  accelerator: Accelerator;
}

/**
 * Resolve a run's deployment. The GPU is named in meta.hardware.device_name (absent in older
 * runs); `gpuHint` (e.g. the directory name `RTX4090_Llama-3.1-8B`) is the fallback. Both are
 * mapped by parts. Returns a reason instead when the model or GPU is unknown or it does not fit.
 */
export function vllmRunDeployment(
  meta: VllmTraceMeta,
  catalog: Catalog,
  table: CalibrationTable,
  gpuHint: string,
): VllmRunDeployment | { reason: string } {
  const model = mapModelByHfId(meta.model, catalog);
  if (!model.ok) return { reason: model.reason };
  const acc = mapAccelerator(
    meta.hardware?.device_name ?? gpuHint.split('_')[0] ?? gpuHint,
    catalog,
  );
  if (!acc.ok) return { reason: acc.reason };
  const k = meta.engine_kwargs;
  const precisionName = k.dtype === 'float16' ? 'fp16' : 'bf16';
  const stated = {
    maxNumSeqs: k.max_num_seqs,
    maxNumBatchedTokens: k.max_num_batched_tokens,
    ...(meta.kv_cache?.block_size ? { blockSizeTokens: meta.kv_cache.block_size } : {}),
    ...(meta.kv_cache?.gpu_memory_utilization
      ? { gpuMemoryUtilization: meta.kv_cache.gpu_memory_utilization }
      : {}),
    prefixCaching: false, // the runs' prompts share no prefixes the model would credit
  };
  const engine = applyEngineDefaults(
    'vllm',
    {
      accelerator: acc.value,
      tpTimesPp: k.tensor_parallel_size,
      attnDp: 1,
      speculativeDrafter: undefined,
    },
    stated,
  ).settings;
  const deployment: Deployment = {
    model: model.value,
    accelerator: acc.value,
    precision: resolvePrecision(precisionName, acc.value, Boolean(model.value.moe)),
    precisionLabel: precisionName,
    parallel: { tp: k.tensor_parallel_size, pp: 1, ep: 1, attnDp: 1 },
    engine,
  };
  const prepared = prepareDeployment(deployment, catalog.formats);
  const memory = memoryFit(prepared);
  if (!memory.fits) return { reason: `does not fit: ${memory.reason ?? ''}` };
  const calibration = resolveCalibration(table, acc.value, 'vllm', model.value);
  return { prepared, memory, calibration, model: model.value, accelerator: acc.value };
}

/**
 * The GPU is named in meta.hardware.device_name (absent in older runs); `gpuHint` (e.g. the
 * directory name `RTX4090_Llama-3.1-8B`) is the fallback. Both are mapped by parts.
 */
export function vllmTraceCase(
  name: string,
  meta: VllmTraceMeta,
  requests: readonly VllmTraceRequest[],
  catalog: Catalog,
  table: CalibrationTable,
  gpuHint: string,
  ticks: readonly VllmTraceTick[] = [],
): VllmTraceCase {
  const skip = (reason: string): VllmTraceCase => ({ name, skipped: true, reason });
  if (requests.length < 2) return skip('fewer than two requests');
  const run = vllmRunDeployment(meta, catalog, table, gpuHint);
  if ('reason' in run) return skip(run.reason);
  const { prepared, memory, calibration: cal } = run;
  const k = meta.engine_kwargs;
  const isl = requests.reduce((a, r) => a + r.input_toks, 0) / requests.length;
  const osl = requests.reduce((a, r) => a + r.output_toks, 0) / requests.length;
  // Saturated run: the waiting queue never empties, so the engine holds its batch limit.
  const s = steadyState({
    prepared,
    calibration: cal.params,
    memory,
    request: { inputTokens: isl, outputTokens: osl },
    concurrency: k.max_num_seqs,
    arrivals: 'poisson',
  });
  // Throughput while saturated (seconds with a waiting queue) when the per-second counters are
  // there; otherwise over the whole run, which includes the ramp-up and the final drain.
  const saturated = ticks.filter((t) => t.waiting > 0);
  const start = Math.min(...requests.map((r) => r.queued_ts));
  const end = Math.max(...requests.map((r) => r.last_token_ts));
  const measuredRate =
    saturated.length > 0
      ? saturated.reduce((a, t) => a + t.gen_throughput, 0) / saturated.length
      : requests.reduce((a, r) => a + r.output_toks, 0) / (end - start);
  const tpots = requests
    .filter((r) => r.output_toks > 1)
    .map((r) => (r.last_token_ts - r.first_token_ts) / (r.output_toks - 1));
  const loggedBlocks = meta.kv_cache?.num_gpu_blocks ?? undefined;
  const predicted: VllmTraceFigures = {
    outputTokensPerSecond: s.outputTokensPerSecond,
    medianTpotMs: s.tpotSeconds * 1e3,
    kvBlocks: memory.kvBlocksPerRank,
  };
  const measured: VllmTraceFigures = {
    outputTokensPerSecond: measuredRate,
    medianTpotMs: median(tpots) * 1e3,
    ...(loggedBlocks ? { kvBlocks: loggedBlocks } : {}),
  };
  return {
    name,
    predicted,
    measured,
    errorPct: {
      outputTokensPerSecond: pct(predicted.outputTokensPerSecond, measured.outputTokensPerSecond),
      medianTpotMs: pct(predicted.medianTpotMs, measured.medianTpotMs),
      ...(loggedBlocks ? { kvBlocks: pct(memory.kvBlocksPerRank, loggedBlocks) } : {}),
    },
    basis: {
      model: run.model.id,
      accelerator: run.accelerator.id,
      tp: k.tensor_parallel_size,
      maxNumSeqs: k.max_num_seqs,
      calibration: cal.key,
      workload: `${requests.length} requests, mean ISL ${isl.toFixed(0)}, mean OSL ${osl.toFixed(0)}; saturated (batch limit ${k.max_num_seqs}); measured rate ${saturated.length > 0 ? `over ${saturated.length} saturated seconds of timeseries.csv` : 'over the whole run (no timeseries)'}`,
    },
  };
}
