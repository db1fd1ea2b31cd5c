/**
 * `validate mlenergy`: for every `ml_energy` item of a file shaped like
 * ../shared/reference/public-data.json that states its configuration (ML.ENERGY Leaderboard v3.0
 * minimum-energy configurations), rebuild the deployment from the catalog — model by its
 * Hugging Face repo name, GPU by its parts, precision from `weights=`, vLLM with the item's
 * `max_num_seqs`, TP over all GPUs — predict output tokens/s with the steady-state model and
 * average GPU power with the activity power model (perf/power.ts), and compare predicted with
 * published average GPU power, output throughput and joules per output token at the `chip`
 * boundary (DESIGN §3: ML.ENERGY energy is GPU-only, NVML via Zeus, per *output* token).
 *
 * Items without a configuration (blog summary figures) and items whose model or GPU is not in
 * the catalog are skipped with the reason, never guessed.
 */
import type { Catalog } from '../catalog/catalog.js';
import { resolvePrecision } from '../catalog/precisions.js';
import type { Accelerator, ModelArch, PrecisionPlan } from '../catalog/types.js';
import { MLENERGY_TASKS, type MlEnergyTask } from '../catalog/workloads.js';
import type { Boundary } from '../core/basis.js';
import { median } from '../core/stats.js';
import { resolveCalibration, type CalibrationTable } from '../perf/calibration.js';
import { prepareDeployment } from '../perf/costs.js';
import { memoryFit } from '../perf/memory.js';
import { acceleratorPowerWatts } from '../perf/power.js';
import { steadyState } from '../perf/steady-state.js';
import type { Deployment, EngineSettings } from '../perf/types.js';
import { applyEngineDefaults } from '../scenario/engine-defaults.js';
import { mapAccelerator, type MapResult } from './mapping.js';
import { parseNotes, type PublicDataItem } from './mlperf.js';

/** The three compared quantities; power is the average summed over the item's GPUs. */
export interface MlenergyFigures {
  avgGpuPowerWatts: number;
  outputTokensPerSecond: number;
  joulesPerOutputToken: number;
}

export interface MlenergyBasis {
  /** Catalog model id. */
  model: string;
  /** Catalog accelerator id. */
  accelerator: string;
  gpus: number;
  /** Precision preset (from the item's `weights=`) and the KV-cache format assumed. */
  precision: string;
  /** ML.ENERGY task id and the workload means used. */
  task: string;
  /** Closed-loop clients per replica (= the item's max_num_seqs). */
  concurrency: number;
  /** Calibration entry key used (fallback chain accelerator/vllm → … → default). */
  calibration: string;
  boundary: Extract<Boundary, 'chip'>;
  /** Parallel plan and engine settings of the replica. */
  plan: string;
  engine: string;
  /** Assumptions the prediction rests on, in words. */
  assumptions: string[];
}

export type MlenergyCase =
  | {
      item: string;
      predicted: MlenergyFigures;
      published: MlenergyFigures;
      errorPct: MlenergyFigures;
      basis: MlenergyBasis;
      /** Diagnostics of the prediction: activity driving the power model, batch actually running. */
      activity: {
        mfu: number;
        mbu: number;
        runningSeqs: number;
        limitedBy: 'none' | 'kv-cache' | 'max-num-seqs';
        /** Predicted mean TPOT (ms) next to the published median ITL (ms) — not the same statistic. */
        predictedTpotMs: number;
        publishedMedianItlMs?: number;
      };
    }
  | { item: string; skipped: true; reason: string };

export interface MlenergyReport {
  cases: MlenergyCase[];
  summary: {
    /** Cases predicted (not skipped). */
    n: number;
    /** Median |errorPct| over the predicted cases (NaN when n = 0). */
    medianAbsErrorPct: { power: number; throughput: number; joulesPerToken: number };
    skipped: number;
  };
}

type Predicted = Extract<MlenergyCase, { predicted: MlenergyFigures }>;

/** `weights=` label of an item → precision preset (vLLM runs the checkpoint's format). */
const WEIGHT_PRESET: Readonly<Record<string, string>> = {
  bf16: 'bf16',
  fp16: 'fp16',
  fp8: 'fp8',
  mxfp4: 'mxfp4',
};

/**
 * Model, GPU count, GPU name and task from a title such as
 * `ML.ENERGY v3.0 min-energy config: Llama-3.1-8B-Instruct on 1xH100 (lm-arena-chat)`.
 */
export function parseMlenergyTitle(
  title: string,
): { model: string; count: number; gpu: string; task: string } | undefined {
  const m = /:\s*(\S+)\s+on\s+(\d+)\s*x\s*([^\s()]+)\s*\(([^)]+)\)\s*$/i.exec(title);
  if (!m) return undefined;
  return { model: m[1]!, count: Number(m[2]), gpu: m[3]!, task: m[4]!.trim() };
}

/** Leading number of a note value such as `9806 tok/s` or `688 W (sum over GPUs)`. */
const leadingNumber = (v: string | undefined): number => {
  if (v === undefined) return NaN;
  const m = /^\s*([-+]?\d+(?:\.\d+)?(?:e[-+]?\d+)?)/i.exec(v);
  return m ? Number(m[1]) : NaN;
};

/**
 * Catalog model whose hfIds contain a repo named `name` (the part after '/', case-insensitive),
 * e.g. `Llama-3.1-8B-Instruct` → meta-llama/Llama-3.1-8B-Instruct. Two models listing the name
 * is ambiguity, reported, not resolved.
 */
export function mapModelByRepoName(name: string, catalog: Catalog): MapResult<ModelArch> {
  const want = name.trim().toLowerCase();
  const hits = [...catalog.models.values()].filter((m) =>
    m.hfIds.some((h) => (h.slice(h.indexOf('/') + 1) || h).toLowerCase() === want),
  );
  if (hits.length === 1) return { ok: true, value: hits[0]! };
  if (hits.length === 0)
    return {
      ok: false,
      reason: `model '${name}' is not in the catalog (no entry lists a repo of that name in hfIds)`,
    };
  return {
    ok: false,
    reason: `model '${name}' matches ${hits.length} catalog models (${hits.map((m) => m.id).join(', ')})`,
  };
}

/**
 * vLLM engine settings: the sourced vLLM defaults (scenario/engine-defaults.ts) with the item's
 * max_num_seqs. The prompts are real chat/GPQA prompts with no shared prefixes assumed, so no
 * prompt tokens are taken as cached.
 */
function vllmEngine(acc: Accelerator, tp: number, maxNumSeqs: number): EngineSettings {
  return applyEngineDefaults(
    'vllm',
    { accelerator: acc, tpTimesPp: tp, attnDp: 1, speculativeDrafter: undefined },
    { maxNumSeqs },
  ).settings;
}

const pctErr = (pred: number, pub: number): number => (100 * (pred - pub)) / pub;

export function mlenergyCase(
  item: PublicDataItem,
  catalog: Catalog,
  table: CalibrationTable,
): MlenergyCase {
  const skip = (reason: string): MlenergyCase => ({ item: item.item, skipped: true, reason });
  const notes = parseNotes(item.notes);
  const gpusNote = leadingNumber(notes.num_gpus);
  const maxNumSeqs = leadingNumber(notes.max_num_seqs);
  const pubPower = leadingNumber(notes.avg_GPU_power);
  const pubThroughput = leadingNumber(notes.output_throughput);
  const stated = [gpusNote, maxNumSeqs, pubPower, pubThroughput];
  if (!stated.every((x) => Number.isFinite(x) && x > 0)) return skip('no configuration stated');
  if (!(Number.isFinite(item.value) && item.value > 0))
    return skip('no positive published J per output token');

  const title = parseMlenergyTitle(item.item);
  if (!title) return skip('cannot read model, GPUs and task from the item title');
  if (title.count !== gpusNote)
    return skip(`title states ${title.count} GPUs but notes num_gpus=${gpusNote}`);
  const task: MlEnergyTask | undefined = MLENERGY_TASKS.find((t) => t.id === title.task);
  if (!task) return skip(`task '${title.task}' is not in the ML.ENERGY task table`);

  const model = mapModelByRepoName(title.model, catalog);
  if (!model.ok) return skip(model.reason);
  const acc = mapAccelerator(title.gpu, catalog);
  if (!acc.ok) return skip(acc.reason);

  const label = (notes.weights ?? '').toLowerCase();
  const preset = WEIGHT_PRESET[label];
  if (!preset) return skip(`unknown weights label '${notes.weights ?? ''}'`);
  const gpus = gpusNote;
  const hasMoe = Boolean(model.value.moe);
  // vLLM's kv_cache_dtype 'auto' keeps the KV cache in the model dtype (bf16) unless the
  // checkpoint or the command line asks for fp8; the items state neither.
  const precision: PrecisionPlan = {
    ...resolvePrecision(preset, acc.value, hasMoe),
    kvCache: 'bf16',
  };

  const deployment: Deployment = {
    model: model.value,
    accelerator: acc.value,
    precision,
    precisionLabel: preset,
    parallel: { tp: gpus, pp: 1, ep: 1, attnDp: 1 },
    engine: vllmEngine(acc.value, gpus, maxNumSeqs),
  };
  const prepared = prepareDeployment(deployment, catalog.formats);
  const memory = memoryFit(prepared);
  if (!memory.fits) return skip(`does not fit: ${memory.reason ?? 'no KV room'}`);
  const cal = resolveCalibration(table, acc.value, deployment.engine.name, model.value);
  const concurrency = maxNumSeqs;
  const ss = steadyState({
    prepared,
    calibration: cal.params,
    memory,
    request: { inputTokens: task.input.meanTokens, outputTokens: task.output.meanTokens },
    concurrency,
    arrivals: 'closed-loop',
  });
  const powerWatts = acceleratorPowerWatts(prepared, ss.activity) * gpus;
  const tokS = ss.outputTokensPerSecond;
  const predicted: MlenergyFigures = {
    avgGpuPowerWatts: powerWatts,
    outputTokensPerSecond: tokS,
    joulesPerOutputToken: powerWatts / tokS,
  };
  const published: MlenergyFigures = {
    avgGpuPowerWatts: pubPower,
    outputTokensPerSecond: pubThroughput,
    joulesPerOutputToken: item.value,
  };
  const itl = leadingNumber(notes.median_ITL);
  const assumptions = [
    `concurrency = max_num_seqs ${maxNumSeqs}: the minimum-energy configuration is taken to run at saturation (closed loop, every batch slot kept busy)`,
    `workload = ${task.id} task means (ISL ${task.input.meanTokens}, OSL ${task.output.meanTokens}; means over models, not this model's own output length)`,
    hasMoe
      ? `TP ${gpus} over all GPUs, experts sharded by TP (vLLM default: expert parallelism off)`
      : `TP ${gpus} over all GPUs (one replica)`,
    `weights=${label} → preset ${preset}; KV cache bf16 (vLLM kv_cache_dtype 'auto')`,
    'vLLM defaults from scenario/engine-defaults.ts otherwise; no prefix-cache hits',
    'power = idle + (TDP − idle)·min(1, w_c·compute-bound share + w_m·memory-bound share + w_o·other busy share) per GPU (perf/power.ts), summed over GPUs',
  ];
  const e = deployment.engine;
  return {
    item: item.item,
    predicted,
    published,
    errorPct: {
      avgGpuPowerWatts: pctErr(predicted.avgGpuPowerWatts, published.avgGpuPowerWatts),
      outputTokensPerSecond: pctErr(
        predicted.outputTokensPerSecond,
        published.outputTokensPerSecond,
      ),
      joulesPerOutputToken: pctErr(predicted.joulesPerOutputToken, published.joulesPerOutputToken),
    },
    basis: {
      model: model.value.id,
      accelerator: acc.value.id,
      gpus,
      precision: `${preset} (weights=${label}), KV bf16`,
      task: `${task.id}: ISL ${task.input.meanTokens}, OSL ${task.output.meanTokens} (task means)`,
      concurrency,
      calibration: cal.key,
      boundary: 'chip',
      plan: `tp${gpus} pp1 ep1 dp1`,
      engine: `vllm max_num_seqs ${e.maxNumSeqs}, max_num_batched_tokens ${e.maxNumBatchedTokens}, gpu_memory_utilization ${e.gpuMemoryUtilization}`,
      assumptions,
    },
    activity: {
      mfu: ss.mfu,
      mbu: ss.mbu,
      runningSeqs: ss.runningSeqs,
      limitedBy: ss.limitedBy,
      predictedTpotMs: ss.tpotSeconds * 1e3,
      ...(Number.isFinite(itl) ? { publishedMedianItlMs: itl } : {}),
    },
  };
}

const medianOrNaN = (xs: number[]): number => (xs.length === 0 ? NaN : median(xs));

export function validateMlenergy(
  items: readonly PublicDataItem[],
  catalog: Catalog,
  table: CalibrationTable,
): MlenergyReport {
  const cases = items
    .filter((i) => i.category === 'ml_energy')
    .map((i) => mlenergyCase(i, catalog, table));
  const done = cases.filter((c): c is Predicted => 'predicted' in c);
  const abs = (k: keyof MlenergyFigures) => done.map((c) => Math.abs(c.errorPct[k]));
  return {
    cases,
    summary: {
      n: done.length,
      medianAbsErrorPct: {
        power: medianOrNaN(abs('avgGpuPowerWatts')),
        throughput: medianOrNaN(abs('outputTokensPerSecond')),
        joulesPerToken: medianOrNaN(abs('joulesPerOutputToken')),
      },
      skipped: cases.length - done.length,
    },
  };
}
