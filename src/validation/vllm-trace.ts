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

/** What a run's simulator-config.json says about its GPU. */
export interface VllmRunHardware {
  /** `npu_mem.mem_bw`, GB/s. */
  memoryBandwidthGbPerSecond?: number;
  /** `link_bw`, GB/s: the device-to-device link the publisher modelled (TP traffic). */
  linkBandwidthGbPerSecond?: number;
  /** `link_latency`, ns in the file, here seconds: latency of one transfer over that link. */
  linkLatencySeconds?: number;
  /** Where it was read, e.g. `RTXPRO6000_Qwen3-32B/simulator-config.json`. */
  source: string;
}

/**
 * The GPU name and hardware figures of a run's simulator-config.json (LLMServingSim format:
 * `nodes[0].instances[0].hardware`, `npu_mem.mem_bw` in GB/s, top-level `link_bw` in GB/s and
 * `link_latency` in ns). Absent or malformed fields are left out, never guessed.
 */
export function parseSimulatorConfig(
  config: unknown,
  source: string,
): { gpu?: string; hardware: VllmRunHardware } {
  const c = (config ?? {}) as {
    link_bw?: unknown;
    link_latency?: unknown;
    nodes?: { instances?: { hardware?: unknown; npu_mem?: { mem_bw?: unknown } }[] }[];
  };
  const instance = Array.isArray(c.nodes) ? c.nodes[0]?.instances?.[0] : undefined;
  const positive = (x: unknown): x is number => typeof x === 'number' && x > 0;
  const bw = instance?.npu_mem?.mem_bw;
  return {
    ...(typeof instance?.hardware === 'string' ? { gpu: instance.hardware } : {}),
    hardware: {
      source,
      ...(positive(bw) ? { memoryBandwidthGbPerSecond: bw } : {}),
      ...(positive(c.link_bw) ? { linkBandwidthGbPerSecond: c.link_bw } : {}),
      ...(positive(c.link_latency) ? { linkLatencySeconds: c.link_latency * 1e-9 } : {}),
    },
  };
}

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
  hardware?: VllmRunHardware,
): VllmRunDeployment | { reason: string } {
  const model = mapModelByHfId(meta.model, catalog);
  if (!model.ok) return { reason: model.reason };
  const acc = mapAccelerator(
    meta.hardware?.device_name ?? gpuHint.split('_')[0] ?? gpuHint,
    catalog,
  );
  if (!acc.ok) return { reason: acc.reason };
  // The run's own description of its hardware (simulator-config.json) wins over the datasheet.
  const statedByRun = (value: number, what: string, datasheet: number) => ({
    value,
    ref: {
      source: hardware!.source,
      provenance: 'published-config' as const,
      note: `the run's stated ${what}; datasheet ${datasheet / 1e9} GB/s`,
    },
  });
  const accelerator: Accelerator = {
    ...acc.value,
    ...(hardware?.memoryBandwidthGbPerSecond !== undefined
      ? {
          memoryBandwidthBytesPerSecond: statedByRun(
            hardware.memoryBandwidthGbPerSecond * 1e9,
            'device memory bandwidth',
            acc.value.memoryBandwidthBytesPerSecond.value,
          ),
        }
      : {}),
    ...(hardware?.linkBandwidthGbPerSecond !== undefined &&
    meta.engine_kwargs.tensor_parallel_size > 1
      ? {
          scaleUpBandwidthBytesPerSecond: statedByRun(
            hardware.linkBandwidthGbPerSecond * 1e9,
            'device-to-device link bandwidth',
            acc.value.scaleUpBandwidthBytesPerSecond.value,
          ),
        }
      : {}),
  };
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
      accelerator: accelerator,
      tpTimesPp: k.tensor_parallel_size,
      attnDp: 1,
      speculativeDrafter: undefined,
    },
    stated,
  ).settings;
  const deployment: Deployment = {
    model: model.value,
    accelerator: accelerator,
    precision: resolvePrecision(precisionName, accelerator, Boolean(model.value.moe)),
    precisionLabel: precisionName,
    parallel: { tp: k.tensor_parallel_size, pp: 1, ep: 1, attnDp: 1 },
    engine,
  };
  const prepared = prepareDeployment(deployment, catalog.formats);
  const memory = memoryFit(prepared);
  if (!memory.fits) return { reason: `does not fit: ${memory.reason ?? ''}` };
  const resolved = resolveCalibration(table, accelerator, 'vllm', model.value);
  // A link the run states as slower to start than the fitted collective latency sets its floor.
  const linkLatency = hardware?.linkLatencySeconds;
  const calibration =
    linkLatency !== undefined &&
    k.tensor_parallel_size > 1 &&
    linkLatency > resolved.params.collectiveLatencySeconds
      ? {
          ...resolved,
          source: `${resolved.source}; collective latency ${linkLatency * 1e6} µs from ${hardware!.source}`,
          params: { ...resolved.params, collectiveLatencySeconds: linkLatency },
        }
      : resolved;
  return { prepared, memory, calibration, model: model.value, accelerator };
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
  hardware?: VllmRunHardware,
): VllmTraceCase {
  const skip = (reason: string): VllmTraceCase => ({ name, skipped: true, reason });
  if (requests.length < 2) return skip('fewer than two requests');
  const run = vllmRunDeployment(meta, catalog, table, gpuHint, hardware);
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
