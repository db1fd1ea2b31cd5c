/**
 * Use case `validate bench`: compare a real engine's measured decode tokens/s at several batch
 * sizes (a `BenchResult`, e.g. llama.cpp on this CPU) with the performance model's prediction
 * for the same model, hardware and batch, and say per batch size whether it is within the
 * tolerance (default 25%, issue 5 item 4).
 *
 * The prediction is the analytical per-iteration model — `perf/step-time.ts` `stepTime` on a
 * decode-only batch of B sequences at the measured mean context — which is the function the
 * serving twin costs every iteration with (`sim/step-model.ts`). A decode-window measurement
 * (all B streams decoding, no prefill in the window) is exactly one such steady batch, so the
 * twin's event loop would add nothing but the same step repeated: predicted tokens/s =
 * B / stepTime(B).seconds.
 *
 * The calibration is never fitted to the decode points it is checked against. It starts from
 * `CPU_LLAMACPP_ASSUMED_CALIBRATION` below, documented assumptions for llama.cpp on a CPU (the
 * GPU fits in the built-in table do not apply to a CPU). When the result holds prefill runs (a
 * prompt evaluated in one `llama_decode`: compute-bound), the GEMM compute efficiency is fitted
 * to them — the step model's prefill time equals the measured one — and every other parameter
 * stays assumed; the decode points are held out. Pure: the CLI reads the files and passes data in.
 */
import { getAccelerator, type Catalog } from '../catalog/catalog.js';
import { bisectIncreasing } from '../core/roots.js';
import { median } from '../core/stats.js';
import type { ModelArch, PrecisionPlan } from '../catalog/types.js';
import type { CalibrationEntry } from '../perf/calibration.js';
import { prepareDeployment } from '../perf/costs.js';
import { causalPairs, decodeBatch, stepTime, type IterationBatch } from '../perf/step-time.js';
import type { Deployment } from '../perf/types.js';
import type { BenchResult, PrefillRun } from './validate-bench-result.js';

export const DEFAULT_BENCH_TOLERANCE = 0.25;
export const DEFAULT_BENCH_ACCELERATOR = 'cpu-host';

/**
 * llama.cpp on a CPU, stated before the measurement and not fitted to it (provenance:
 * assumption). Why each value:
 * - `memoryEfficiency` 0.9: the accelerator's bandwidth is already the *achieved* streaming-read
 *   rate of the membw probe (memcmp over all cores), not a datasheet peak; ggml's vec-dot loops
 *   interleave arithmetic with the loads, so assume 90% of that.
 * - `gemmComputeEfficiency` 0.5 with `gemmHalfEfficiencyTokens` 1: CPU SIMD units have no
 *   tile-occupancy ramp like GPU tensor cores (η(M) = 0.5·M/(M+1): 0.25 at one row, 0.44 at 8 —
 *   at M = 1 a row's dot products cannot keep both FMA pipes busy).
 * - `layerOverheadSeconds` 50 µs: ggml's thread barriers between the ~15 graph nodes of a layer
 *   (a few µs each with a spinning thread pool).
 * - host 1 ms + 0.2 ms per sequence: node-llama-cpp's JavaScript batch dispatch per iteration,
 *   sampling and detokenization per sequence; not overlapped (`asyncScheduling` false).
 * - Collectives do not occur (one process, tp = 1).
 */
export const CPU_LLAMACPP_ASSUMED_CALIBRATION: CalibrationEntry = {
  key: 'cpu/llamacpp',
  source: 'assumption: CPU_LLAMACPP_ASSUMED_CALIBRATION in src/app/validate-bench.ts (not fitted)',
  params: {
    gemmComputeEfficiency: 0.5,
    gemmHalfEfficiencyTokens: 1,
    moeHalfEfficiencyTokensPerExpert: 64,
    memoryEfficiency: 0.9,
    attentionComputeEfficiency: 0.3,
    commEfficiency: 1,
    collectiveLatencySeconds: 0,
    layerOverheadSeconds: 50e-6,
    hostOverheadSeconds: 1e-3,
    hostOverheadPerSeqSeconds: 0.2e-3,
    requestOverheadSeconds: 0,
    closedLoopBurstFraction: 0,
  },
};

/** One prompt of `tokens` tokens evaluated in one step, sampling its first token. */
export const prefillBatch = (tokens: number): IterationBatch => ({
  numDecodeSeqs: 0,
  decodeContextTokens: 0,
  numPrefillTokens: tokens,
  prefillAttentionPairs: causalPairs(tokens, 0),
  numPrefillSamples: 1,
  numPrefillSeqs: 1,
});

export interface PrefillFit {
  /** The fitted `gemmComputeEfficiency` (median over the runs' own fits). */
  gemmComputeEfficiency: number;
  runs: {
    promptTokens: number;
    measuredSeconds: number;
    /** This run's own fit. */
    gemmComputeEfficiency: number;
    /** Device seconds of the prefill step with the fitted (median) efficiency. */
    predictedSeconds: number;
    /** GEMM FLOP/s achieved: the model's GEMM FLOPs of the prompt / measured seconds. */
    achievedGemmFlopsPerSecond: number;
  }[];
}

/**
 * Fit `gemmComputeEfficiency` so that the step model's device time of each prefill run equals
 * the measured `llama_decode` time (engine side, so no host term), by bisection (device time
 * falls monotonically as the efficiency rises); the median over runs is the fit.
 */
export function fitPrefillEfficiency(
  prepared: ReturnType<typeof prepareDeployment>,
  base: CalibrationEntry['params'],
  runs: readonly PrefillRun[],
): PrefillFit {
  const device = (eta: number, tokens: number): number =>
    stepTime(prepared, { ...base, gemmComputeEfficiency: eta }, prefillBatch(tokens)).deviceSeconds;
  // Device time falls as η rises: solve for ln η, where seconds − device is increasing.
  const perRun = runs.map((r) =>
    Math.exp(
      bisectIncreasing(
        (lnEta) => r.seconds - device(Math.exp(lnEta), r.promptTokens),
        Math.log(1e-4),
        Math.log(4),
        { steps: 80 },
      ),
    ),
  );
  const eta = median(perRun);
  return {
    gemmComputeEfficiency: eta,
    runs: runs.map((r, i) => {
      const step = stepTime(
        prepared,
        { ...base, gemmComputeEfficiency: eta },
        prefillBatch(r.promptTokens),
      );
      return {
        promptTokens: r.promptTokens,
        measuredSeconds: r.seconds,
        gemmComputeEfficiency: perRun[i]!,
        predictedSeconds: step.deviceSeconds,
        achievedGemmFlopsPerSecond:
          ((prepared.attentionProjection.flopsPerTokenPerGpu +
            prepared.denseMlp.flopsPerTokenPerGpu) *
            r.promptTokens +
            prepared.lmHead.flopsPerTokenPerGpu) /
          r.seconds,
      };
    }),
  };
}

/**
 * The fastest run at each prompt length: on a shared machine another process's time slice
 * stalls a spinning thread pool and only ever slows a run down.
 */
export function fastestPerLength(runs: readonly PrefillRun[]): PrefillRun[] {
  const best = new Map<number, PrefillRun>();
  for (const x of runs) {
    const b = best.get(x.promptTokens);
    if (!b || x.seconds < b.seconds) best.set(x.promptTokens, x);
  }
  return [...best.values()].sort((a, b) => a.promptTokens - b.promptTokens);
}

export interface OverlapFit {
  /** The fitted `computeMemoryOverlap` ω in [0, 1]. */
  computeMemoryOverlap: number;
  batchSize: number;
  measuredTokensPerSecond: number;
  /** Where the fit stopped at an end of [0, 1] (the point cannot be matched inside it). */
  atBound?: 'no overlap (sum)' | 'full overlap (max)';
}

/**
 * Fit `computeMemoryOverlap` ω so that the step model's decode rate at the smallest measured
 * batch equals the measured one, by bisection on [0, 1] (the rate falls monotonically as ω
 * falls: more of the shorter roofline side is exposed). At one sequence a decode step is a
 * matrix-vector pass whose compute and memory times are of the same order, so this point
 * measures how much of one hides under the other; larger batches are held out.
 */
export function fitDecodeOverlap(
  prepared: ReturnType<typeof prepareDeployment>,
  base: CalibrationEntry['params'],
  point: { batchSize: number; meanContextTokens: number; decodeTokensPerSecond: number },
): OverlapFit {
  const rate = (omega: number): number =>
    point.batchSize /
    stepTime(
      prepared,
      { ...base, computeMemoryOverlap: omega },
      decodeBatch(point.batchSize, point.meanContextTokens),
    ).seconds;
  const out = {
    batchSize: point.batchSize,
    measuredTokensPerSecond: point.decodeTokensPerSecond,
  };
  if (rate(0) >= point.decodeTokensPerSecond)
    return { ...out, computeMemoryOverlap: 0, atBound: 'no overlap (sum)' };
  if (rate(1) <= point.decodeTokensPerSecond)
    return { ...out, computeMemoryOverlap: 1, atBound: 'full overlap (max)' };
  return {
    ...out,
    computeMemoryOverlap: bisectIncreasing((w) => rate(w) - point.decodeTokensPerSecond, 0, 1),
  };
}

/** Precision plan of the measured GGUF: weights in its format, F16 KV cache. */
function benchPrecision(r: BenchResult): { plan: PrecisionPlan; label: string } {
  const kv = r.model.kvCacheFormat;
  if (r.model.weightFormat === 'q8_0')
    return {
      // llama.cpp quantizes each GEMM's activations to Q8_0 and runs int8 dot products.
      plan: {
        attention: 'q8_0',
        denseMlp: 'q8_0',
        experts: 'q8_0',
        lmHead: 'q8_0',
        kvCache: kv,
        activations: 'q8_0',
      },
      label: 'q8_0 (GGUF Q8_0 weights, activations quantized to Q8_0, F16 KV cache)',
    };
  const f = r.model.weightFormat;
  return {
    plan: { attention: f, denseMlp: f, experts: f, lmHead: f, kvCache: kv, activations: f },
    label: 'fp16 (GGUF F16 weights, F16 KV cache)',
  };
}

export interface ValidateBenchOptions {
  result: BenchResult;
  catalog: Catalog;
  /** Accelerator the engine ran on (default `cpu-host`). */
  acceleratorId?: string;
  calibration?: CalibrationEntry;
  /** Relative error allowed, |predicted − measured| / measured (default 0.25). */
  tolerance?: number;
  /**
   * Fit `computeMemoryOverlap` to the smallest batch (default true when no calibration is
   * given and the result has more than one batch size); false keeps the roofline max (ω = 1).
   */
  fitOverlap?: boolean;
}

export interface BenchPointCheck {
  batchSize: number;
  /** This point was used to fit the calibration (not held out; not in `allWithinTolerance`). */
  fitted?: true;
  /** The quietest run's rate (see `DecodePoint.decodeTokensPerSecond`). */
  measuredTokensPerSecond: number;
  measuredMedianTokensPerSecond: number;
  /** Other processes' share of the machine's CPU during the quietest run, when recorded. */
  otherProcessesCpuFraction?: number;
  /** Spread of the measured runs (min, max). */
  measuredRange: [number, number];
  predictedTokensPerSecond: number;
  /** (predicted − measured) / measured. */
  relativeError: number;
  withinTolerance: boolean;
  /** What bounds the predicted iteration. */
  boundBy: 'memory' | 'compute' | 'host';
  predictedStepSeconds: number;
  predictedDeviceSeconds: number;
  predictedHostSeconds: number;
  /**
   * B / (median engine-side full-batch step + median gap between steps) of the quietest run,
   * when recorded: the engine's typical iteration, robust to the stalls other processes cause
   * (a spinning thread pool loses whole time slices when another process takes a core).
   */
  engineMedianTokensPerSecond?: number;
  /**
   * B / (fastest full-batch step of any run + that run's median gap): the engine's rate with
   * the machine to itself (the shared machine's stalls only ever slow a step down).
   */
  engineBestTokensPerSecond?: number;
  /** (predicted − engine median) / engine median, and the same against the best rate. */
  relativeErrorVsEngineMedian?: number;
  relativeErrorVsEngineBest?: number;
}

export interface BenchValidation {
  predictor: string;
  acceleratorId: string;
  memoryBandwidthBytesPerSecond: { value: number; source: string };
  peakFlopsPerSecond: { value: number; source: string };
  calibration: {
    key: string;
    source: string;
    gemmComputeEfficiency: number;
    /** Present when the efficiency was fitted to the result's prefill runs. */
    prefillFit?: PrefillFit;
    /** Present when the compute–memory overlap was fitted to the smallest batch. */
    overlapFit?: OverlapFit;
  };
  /** Catalog rate the GEMMs run at (int8 for Q8_0, bf16 slot for F16). */
  gemmPeakFlopsPerSecond: { rate: string; value: number; source: string };
  tolerance: number;
  model: { name: string; params: number; weightBytes: number };
  machine: BenchResult['machine'];
  points: BenchPointCheck[];
  allWithinTolerance: boolean;
  notes: string[];
}

/** The measured model as a catalog architecture (dense GQA Llama, untied head). */
export function benchModelArch(r: BenchResult): ModelArch {
  const s = r.model.shape;
  return {
    id: r.model.name,
    name: `${r.model.name} (${r.model.generatedBy})`,
    hfIds: [],
    numLayers: s.numLayers,
    hiddenSize: s.hiddenSize,
    vocabSize: s.vocabSize,
    attention: {
      kind: 'gqa',
      numHeads: s.numHeads,
      numKvHeads: s.numKvHeads,
      headDim: s.hiddenSize / s.numHeads,
    },
    layers: { full: s.numLayers },
    intermediateSize: s.intermediateSize,
    gatedMlp: true,
    tieWordEmbeddings: false,
    releasedWeightFormat: r.model.weightFormat,
    ref: { source: r.model.generatedBy, date: r.date.slice(0, 10), provenance: 'measured' },
  };
}

/** Compare each measured batch size with the model's prediction. */
export function validateBench(o: ValidateBenchOptions): BenchValidation {
  const r = o.result;
  const tolerance = o.tolerance ?? DEFAULT_BENCH_TOLERANCE;
  const accelerator = getAccelerator(o.catalog, o.acceleratorId ?? DEFAULT_BENCH_ACCELERATOR);
  const { plan: precision, label: precisionLabel } = benchPrecision(r);
  const maxBatch = Math.max(...r.points.map((p) => p.batchSize));
  const deployment: Deployment = {
    model: benchModelArch(r),
    accelerator,
    precision,
    precisionLabel,
    parallel: { tp: 1, pp: 1, ep: 1, attnDp: 1 },
    engine: {
      name: 'llamacpp',
      maxNumSeqs: Math.max(r.engine.sequences, maxBatch),
      maxNumBatchedTokens: r.engine.contextTokensPerSequence,
      blockSizeTokens: 16,
      gpuMemoryUtilization: 0.9,
      chunkedPrefill: false,
      prefixCaching: false,
      asyncScheduling: false,
    },
  };
  const prepared = prepareDeployment(deployment, o.catalog.formats);
  let calibration = o.calibration ?? CPU_LLAMACPP_ASSUMED_CALIBRATION;
  let prefillFit: PrefillFit | undefined;
  if (!o.calibration && r.prefill) {
    prefillFit = fitPrefillEfficiency(
      prepared,
      calibration.params,
      fastestPerLength(r.prefill.runs),
    );
    calibration = {
      key: 'cpu/llamacpp-prefill-fit',
      source: `gemmComputeEfficiency ${prefillFit.gemmComputeEfficiency.toPrecision(3)} fitted to this result's prefill runs (the fastest of ${r.prefill.runs.length} runs at each of ${[...new Set(r.prefill.runs.map((x) => x.promptTokens))].join(', ')} prompt tokens, one llama_decode each); every other parameter from CPU_LLAMACPP_ASSUMED_CALIBRATION (src/app/validate-bench.ts); decode points held out`,
      params: { ...calibration.params, gemmComputeEfficiency: prefillFit.gemmComputeEfficiency },
    };
  }
  const byBatch = [...r.points].sort((a, b) => a.batchSize - b.batchSize);
  const smallest = byBatch[0];
  let overlapFit: OverlapFit | undefined;
  if ((o.fitOverlap ?? !o.calibration) && smallest && r.points.length > 1) {
    overlapFit = fitDecodeOverlap(prepared, calibration.params, smallest);
    calibration = {
      key: `${calibration.key}+overlap`,
      source: `${calibration.source}; computeMemoryOverlap ${overlapFit.computeMemoryOverlap.toPrecision(3)}${overlapFit.atBound ? ` (at its bound: ${overlapFit.atBound})` : ''} fitted to the batch-${smallest.batchSize} decode point, the other batch sizes held out`,
      params: { ...calibration.params, computeMemoryOverlap: overlapFit.computeMemoryOverlap },
    };
  }
  const gemmRateName = o.catalog.formats.get(precision.activations)?.computeRate ?? 'bf16';
  const gemmPeak =
    accelerator.peakFlopsPerSecond[gemmRateName] ?? accelerator.peakFlopsPerSecond.bf16;
  const points = byBatch.map((p): BenchPointCheck => {
    const step = stepTime(
      prepared,
      calibration.params,
      decodeBatch(p.batchSize, p.meanContextTokens),
    );
    const predicted = p.batchSize / step.seconds;
    const relativeError = (predicted - p.decodeTokensPerSecond) / p.decodeTokensPerSecond;
    const rates = p.runs.map((x) => x.decodeTokensPerSecond);
    const quietest = p.runs.find((x) => x.decodeTokensPerSecond === p.decodeTokensPerSecond);
    const others = quietest?.load?.otherProcessesCpuFraction;
    const medianStep = quietest?.engineSteps?.medianFullBatchStepSeconds;
    const medianGap = quietest?.engineSteps?.medianGapSeconds ?? 0;
    const engineMedian = medianStep ? p.batchSize / (medianStep + medianGap) : undefined;
    const best = p.runs
      .filter((x) => x.engineSteps?.minFullBatchStepSeconds !== undefined)
      .map(
        (x) =>
          p.batchSize /
          (x.engineSteps!.minFullBatchStepSeconds! + (x.engineSteps!.medianGapSeconds ?? 0)),
      );
    const engineBest = best.length > 0 ? Math.max(...best) : undefined;
    return {
      ...(engineMedian !== undefined
        ? {
            engineMedianTokensPerSecond: engineMedian,
            relativeErrorVsEngineMedian: (predicted - engineMedian) / engineMedian,
          }
        : {}),
      ...(engineBest !== undefined
        ? {
            engineBestTokensPerSecond: engineBest,
            relativeErrorVsEngineBest: (predicted - engineBest) / engineBest,
          }
        : {}),
      batchSize: p.batchSize,
      ...(overlapFit && p === smallest ? { fitted: true as const } : {}),
      measuredTokensPerSecond: p.decodeTokensPerSecond,
      measuredMedianTokensPerSecond: p.medianTokensPerSecond,
      ...(others !== undefined ? { otherProcessesCpuFraction: others } : {}),
      measuredRange: [Math.min(...rates), Math.max(...rates)],
      predictedTokensPerSecond: predicted,
      relativeError,
      withinTolerance: Math.abs(relativeError) <= tolerance,
      boundBy:
        step.hostSeconds > step.deviceSeconds
          ? 'host'
          : step.computeBoundSeconds > step.memoryBoundSeconds
            ? 'compute'
            : 'memory',
      predictedStepSeconds: step.seconds,
      predictedDeviceSeconds: step.deviceSeconds,
      predictedHostSeconds: step.hostSeconds,
    };
  });
  const notes = [
    `Predicted decode tokens/s = B / stepTime(decode batch of B at the mean context).seconds (perf/step-time.ts), the per-iteration function the serving twin uses; ${prefillFit || overlapFit ? `fitted: ${[prefillFit ? 'the GEMM compute efficiency, to the prefill runs' : '', overlapFit ? `the compute–memory overlap, to the batch-${overlapFit.batchSize} decode point` : ''].filter(Boolean).join(' and ')}; the other decode points are held out` : 'not fitted to this measurement'}.`,
    `Measured: ${r.workload.method}.`,
  ];
  const loads = r.points.flatMap((p) => p.runs.map((x) => x.load?.loadAverage[0] ?? NaN));
  const maxLoad = Math.max(r.machine.loadBefore.loadAverage[0], ...loads.filter(Number.isFinite));
  if (maxLoad > r.machine.cores * 0.5)
    notes.push(
      `The machine was shared: 1-minute load average up to ${maxLoad.toFixed(2)} on ${r.machine.cores} cores during the run, so the engine's threads did not have the cores to themselves; measured rates are lower bounds of this CPU's.`,
    );
  return {
    predictor: 'analytical per-iteration model (perf/step-time.ts stepTime, decode-only batch)',
    acceleratorId: accelerator.id,
    memoryBandwidthBytesPerSecond: {
      value: accelerator.memoryBandwidthBytesPerSecond.value,
      source: accelerator.memoryBandwidthBytesPerSecond.ref.source,
    },
    peakFlopsPerSecond: {
      value: accelerator.peakFlopsPerSecond.bf16.value,
      source: accelerator.peakFlopsPerSecond.bf16.ref.source,
    },
    calibration: {
      key: calibration.key,
      source: calibration.source,
      gemmComputeEfficiency: calibration.params.gemmComputeEfficiency,
      ...(prefillFit ? { prefillFit } : {}),
      ...(overlapFit ? { overlapFit } : {}),
    },
    gemmPeakFlopsPerSecond: {
      rate: accelerator.peakFlopsPerSecond[gemmRateName] ? gemmRateName : 'bf16',
      value: gemmPeak.value,
      source: gemmPeak.ref.source,
    },
    tolerance,
    model: { name: r.model.name, params: r.model.params, weightBytes: r.model.weightBytes },
    machine: r.machine,
    points,
    allWithinTolerance: points.every((p) => p.fitted || p.withinTolerance),
    notes,
  };
}
