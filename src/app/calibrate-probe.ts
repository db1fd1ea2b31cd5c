/**
 * Use case `calibrate probe`: a calibration entry for one accelerator from a GPU probe dataset
 * (`probe/gpu/probe.py`, schema in measure/probe-dataset.ts; app may not import measure, so the
 * fields read are restated in `ProbeDatasetInput`, which the parsed dataset satisfies).
 *
 * Measured directly (DESIGN §4 "η per op class … fractions of the published peak"):
 *  - GEMM η = max over shapes of measured matmul TFLOP/s ÷ the catalog's peak for that rate
 *    (bf16 and fp16 → the bf16 peak, fp8-e4m3 → fp8). The entry takes the layer stack's dtype;
 *    other dtypes are reported. The probe's shapes (4096³ …) are far past the half-efficiency
 *    rows M½, so η(M) = η·M/(M + M½) is within 1–2% of η and no correction is applied.
 *  - memory η = max over buffers of measured copy bandwidth (bytes read + written per second)
 *    ÷ the catalog's peak memory bandwidth.
 *  A ratio above 1 is a catalog or data defect (wrong SKU, a sparse peak, a mislabelled dtype):
 *  refused for the entry's dtype and for memory, reported for the others — never absorbed.
 *
 * Fitted where identifiable: the prefill and decode step times of the Llama-shaped layer stack
 * are predicted by the performance model (perf/step-time.ts on a model built from
 * `layerStack`, no LM head, batch-1 engine with no host loop: the probe times the forward
 * alone, between CUDA events) with the measured η above; the per-layer kernel floor
 * (`layerOverheadSeconds`, eager launches), prefill-attention η and the GEMM half-efficiency
 * rows are then chosen by the same elasticity/independence gate as `calibrate bench` and fitted
 * to the steps' |ln(pred/meas)|. Host overhead a is not identifiable from one layer count (a
 * step's constant is numLayers·floor + a) and belongs to the engine's loop, which the probe does
 * not run: it stays at the chain entry's value. Pure.
 */
import type { Catalog } from '../catalog/catalog.js';
import { resolvePrecision } from '../catalog/precisions.js';
import type { Accelerator, ComputeRate, ModelArch } from '../catalog/types.js';
import { AifError, ERROR_CODES, type ErrorIssue } from '../core/errors.js';
import {
  calibrationChain,
  resolveCalibration,
  type CalibrationEntry,
  type CalibrationParams,
  type CalibrationTable,
  type RequiredParamKey,
} from '../perf/calibration.js';
import type {
  CalibrationFile,
  CalibrationFileEntry,
  CalibrationProvenance,
} from '../perf/calibration-file.js';
import { prepareDeployment, type PreparedDeployment } from '../perf/costs.js';
import { causalPairs, decodeBatch, stepTime } from '../perf/step-time.js';
import type { Deployment } from '../perf/types.js';
import { mapAccelerator } from '../validation/mapping.js';
import { multiStartFit, selectIdentifiable, type ParamDecision } from './calibrate-bench.js';

type ParamKey = RequiredParamKey;

interface ProbeTiming {
  medianSeconds: number;
}

/** The fields of a GPU probe dataset this reads (a `GpuProbeDataset` is one). */
export interface ProbeDatasetInput {
  synthetic: boolean;
  createdAt: string;
  machine: {
    hostname: string;
    gpuName: string;
    gpuCount: number;
    driverVersion: string;
    cudaVersion: string;
    torchVersion: string;
    powerLimitWatts: number | null;
  };
  matmul: readonly (ProbeTiming & {
    dtype: 'bf16' | 'fp16' | 'fp8-e4m3';
    m: number;
    n: number;
    k: number;
    achievedTflops: number;
  })[];
  memoryCopy: readonly (ProbeTiming & { bytes: number; readWriteBytesPerSecond: number })[];
  layerStack: {
    numLayers: number;
    hiddenSize: number;
    numHeads: number;
    numKvHeads: number;
    headDim: number;
    intermediateSize: number;
    dtype: 'bf16' | 'fp16';
    weightBytes: number;
  };
  prefill: readonly (ProbeTiming & { batchSize: number; contextLength: number })[];
  decode: readonly (ProbeTiming & { batchSize: number; contextLength: number })[];
}

export interface CalibrateProbeOptions {
  /** Engine the entry is keyed for (the probe runs no engine; default `vllm`). */
  engine?: string;
  /** The dataset's file name, for provenance and errors. */
  file: string;
  createdAt: string;
  command?: string;
  toolVersion?: string;
  maxIterations?: number;
}

export interface ProbeEfficiency {
  what: string;
  /** Field of the dataset the figure comes from. */
  field: string;
  measured: number;
  peak: number;
  unit: string;
  efficiency: number;
  used: boolean;
  note?: string;
}

export interface ProbeStepFit {
  phase: 'prefill' | 'decode';
  batchSize: number;
  contextLength: number;
  measuredSeconds: number;
  predictedSeconds: number;
  errorPct: number;
}

export interface ProbeCalibration {
  file: CalibrationFile;
  entry: CalibrationFileEntry;
  start: CalibrationEntry;
  accelerator: string;
  efficiencies: ProbeEfficiency[];
  decisions: ParamDecision[];
  steps: ProbeStepFit[];
  stepTimeMapePct: number;
  notes: string[];
}

const RATE: Record<ProbeDatasetInput['matmul'][number]['dtype'], ComputeRate> = {
  bf16: 'bf16',
  fp16: 'bf16',
  'fp8-e4m3': 'fp8',
};

const sig = (x: number): number => (Number.isFinite(x) && x !== 0 ? Number(x.toPrecision(6)) : x);

function refuse(file: string, message: string, issues: ErrorIssue[]): AifError {
  return new AifError(
    ERROR_CODES.INPUT_FORMAT,
    `calibrate probe: ${file}: ${message}`,
    issues.map((i) => ({ ...i, file })),
  );
}

/** A dense GQA model shaped like the probe's layer stack: no embedding or LM head to speak of. */
function stackModel(d: ProbeDatasetInput, template: ModelArch | undefined): ModelArch {
  const s = d.layerStack;
  return {
    id: 'gpu-probe-layer-stack',
    name: `GPU probe layer stack (${s.numLayers} Llama layers, hidden ${s.hiddenSize})`,
    hfIds: [],
    numLayers: s.numLayers,
    hiddenSize: s.hiddenSize,
    vocabSize: 1,
    attention: {
      kind: 'gqa',
      numHeads: s.numHeads,
      numKvHeads: s.numKvHeads,
      headDim: s.headDim,
    },
    layers: { full: s.numLayers },
    intermediateSize: s.intermediateSize,
    gatedMlp: true,
    tieWordEmbeddings: false,
    releasedWeightFormat: 'bf16',
    ref: template?.ref ?? {
      source: 'probe/gpu/probe.py layer stack',
      date: 'n/a',
      provenance: 'measured',
    },
  };
}

/** Derive and fit one calibration entry for the probed accelerator. Deterministic. */
export function calibrateFromProbe(
  dataset: ProbeDatasetInput,
  catalog: Catalog,
  base: CalibrationTable,
  options: CalibrateProbeOptions,
): ProbeCalibration {
  const file = options.file;
  const engine = options.engine ?? 'vllm';
  const mapped = mapAccelerator(dataset.machine.gpuName, catalog);
  if (!mapped.ok)
    throw refuse(file, `GPU '${dataset.machine.gpuName}' is not one catalog accelerator`, [
      {
        path: 'machine.gpuName',
        message: mapped.reason,
        value: dataset.machine.gpuName,
        expected:
          'a name naming one catalog accelerator (product line, form factor, memory), or add it with --catalog',
      },
    ]);
  const acc: Accelerator = mapped.value;
  const notes: string[] = [];
  if (dataset.synthetic)
    notes.push('the dataset is marked synthetic: a hand-written example, not a measurement');

  // Direct efficiencies.
  const efficiencies: ProbeEfficiency[] = [];
  const mainRate = RATE[dataset.layerStack.dtype];
  const byRate = new Map<string, ProbeEfficiency>();
  dataset.matmul.forEach((r, i) => {
    const rate = RATE[r.dtype];
    const peak = acc.peakFlopsPerSecond[rate];
    if (!peak) {
      notes.push(`matmul.${i} (${r.dtype}): ${acc.id} has no catalogued ${rate} peak; not used`);
      return;
    }
    const e: ProbeEfficiency = {
      what: `${r.dtype} matmul ${r.m}×${r.k}·${r.k}×${r.n}`,
      field: `matmul.${i}.achievedTflops`,
      measured: r.achievedTflops,
      peak: peak.value / 1e12,
      unit: 'TFLOP/s',
      efficiency: sig((r.achievedTflops * 1e12) / peak.value),
      used: false,
    };
    efficiencies.push(e);
    const best = byRate.get(r.dtype);
    if (!best || e.efficiency > best.efficiency) byRate.set(r.dtype, e);
  });
  dataset.memoryCopy.forEach((r, i) => {
    efficiencies.push({
      what: `device copy of ${(r.bytes / 2 ** 20).toFixed(0)} MiB (read + write)`,
      field: `memoryCopy.${i}.readWriteBytesPerSecond`,
      measured: r.readWriteBytesPerSecond / 1e9,
      peak: acc.memoryBandwidthBytesPerSecond.value / 1e9,
      unit: 'GB/s',
      efficiency: sig(r.readWriteBytesPerSecond / acc.memoryBandwidthBytesPerSecond.value),
      used: false,
    });
  });
  const gemm = byRate.get(dataset.layerStack.dtype);
  if (!gemm)
    throw refuse(file, `no ${dataset.layerStack.dtype} matmul to measure GEMM efficiency`, [
      {
        path: 'matmul',
        message: `no row with dtype ${dataset.layerStack.dtype} (the layer stack's dtype)`,
        expected: `a ${dataset.layerStack.dtype} matmul measurement`,
      },
    ]);
  const mem = efficiencies
    .filter((e) => e.field.startsWith('memoryCopy'))
    .reduce<ProbeEfficiency | undefined>(
      (a, e) => (!a || e.efficiency > a.efficiency ? e : a),
      undefined,
    );
  if (!mem)
    throw refuse(file, 'no memory-copy measurement', [
      { path: 'memoryCopy', message: 'empty', expected: 'at least one device copy' },
    ]);
  for (const e of [gemm, mem])
    if (e.efficiency > 1)
      throw refuse(file, `${e.what} exceeds the catalog peak of ${acc.id}`, [
        {
          path: e.field,
          message: `measured ${e.measured.toPrecision(6)} ${e.unit} > catalog peak ${e.peak.toPrecision(6)} ${e.unit} (η ${e.efficiency})`,
          value: e.measured,
          expected: `≤ ${e.peak.toPrecision(6)} ${e.unit}: check the GPU (${dataset.machine.gpuName} → ${acc.id}) and the dtype`,
        },
      ]);
  gemm.used = true;
  mem.used = true;
  for (const [dtype, e] of byRate)
    if (dtype !== dataset.layerStack.dtype)
      notes.push(
        `${dtype} GEMM η ${e.efficiency} (${e.field}) reported, not used: the entry's GEMM η is the layer stack's ${dataset.layerStack.dtype} (${mainRate} rate)${e.efficiency > 1 ? ' — above 1: a catalog or data defect' : ''}`,
      );

  // Start entry and the measured efficiencies.
  const template = catalog.models.get('llama-3.1-8b');
  const model = stackModel(dataset, template);
  const start = resolveCalibration(base, acc, engine, model);
  const key = calibrationChain(acc, engine, 'dense')[0]!;
  const measuredParams: CalibrationParams = {
    ...start.params,
    gemmComputeEfficiency: gemm.efficiency,
    memoryEfficiency: mem.efficiency,
  };

  // The layer stack as a deployment: one GPU, no host loop.
  const deployment: Deployment = {
    model,
    accelerator: acc,
    precision: resolvePrecision('bf16', acc, false),
    precisionLabel: 'bf16',
    parallel: { tp: 1, pp: 1, ep: 1, attnDp: 1 },
    engine: {
      name: 'probe',
      maxNumSeqs: 1024,
      maxNumBatchedTokens: 1 << 20,
      blockSizeTokens: 16,
      gpuMemoryUtilization: 0.9,
      chunkedPrefill: false,
      prefixCaching: false,
      asyncScheduling: false,
    },
  };
  const prepared: PreparedDeployment = prepareDeployment(deployment, catalog.formats);
  const noHost = (p: CalibrationParams): CalibrationParams => ({
    ...p,
    hostOverheadSeconds: 0,
    hostOverheadPerSeqSeconds: 0,
  });
  const rows = [
    ...dataset.prefill.map((r) => ({ phase: 'prefill' as const, r })),
    ...dataset.decode.map((r) => ({ phase: 'decode' as const, r })),
  ];
  const predict = (params: CalibrationParams, row: (typeof rows)[number]): number => {
    const { batchSize: b, contextLength: c } = row.r;
    const batch =
      row.phase === 'decode'
        ? decodeBatch(b, c)
        : {
            numDecodeSeqs: 0,
            decodeContextTokens: 0,
            numPrefillTokens: b * c,
            prefillAttentionPairs: b * causalPairs(c, 0),
            numPrefillSamples: b,
            numPrefillSeqs: b,
          };
    return stepTime(prepared, noHost(params), batch).seconds;
  };

  const candidates: ParamKey[] = [
    'layerOverheadSeconds',
    'attentionComputeEfficiency',
    'gemmHalfEfficiencyTokens',
  ];
  const decisions: ParamDecision[] =
    rows.length > 0
      ? selectIdentifiable(
          (p) => rows.map((row) => Math.log(predict(p, row))),
          rows.map((row) => row.phase),
          measuredParams,
          candidates,
        )
      : candidates.map((param) => ({
          param,
          fitted: false,
          sensitivity: {},
          independence: 0,
          reason: 'no prefill or decode steps in the dataset',
        }));
  decisions.push({
    param: 'hostOverheadSeconds',
    fitted: false,
    sensitivity: {},
    independence: 0,
    reason: `not identifiable: one layer count (${dataset.layerStack.numLayers}) makes a step's constant numLayers·layerOverhead + host; the probe times the forward only, so the constant goes to the per-layer floor and host overhead stays at ${start.key}'s engine value`,
  });
  const keys = decisions.filter((x) => x.fitted).map((x) => x.param);
  const loss = (p: CalibrationParams): number =>
    rows.reduce((a, row) => a + Math.abs(Math.log(predict(p, row) / row.r.medianSeconds)), 0) /
    Math.max(1, rows.length);
  const fitted =
    keys.length > 0
      ? multiStartFit(loss, measuredParams, keys, {
          maxIterations: options.maxIterations ?? 300,
          priorWeight: 1e-4,
        })
      : measuredParams;
  const params = Object.fromEntries(
    Object.entries(fitted).map(([k, v]) => [k, sig(v as number)]),
  ) as unknown as CalibrationParams;

  const steps: ProbeStepFit[] = rows.map((row) => {
    const predicted = predict(params, row);
    return {
      phase: row.phase,
      batchSize: row.r.batchSize,
      contextLength: row.r.contextLength,
      measuredSeconds: row.r.medianSeconds,
      predictedSeconds: sig(predicted),
      errorPct: sig((100 * (predicted - row.r.medianSeconds)) / row.r.medianSeconds),
    };
  });
  const stepTimeMapePct = sig(
    steps.reduce((a, s) => a + Math.abs(s.errorPct), 0) / Math.max(1, steps.length),
  );
  for (const x of decisions) if (!x.fitted) notes.push(`${x.param} not fitted: ${x.reason}`);
  notes.push(
    'the layer stack runs eagerly (no CUDA graphs): its per-layer floor is an eager figure, larger than an engine with CUDA graphs shows',
    `the entry applies to dense models (key ${key}); MoE models keep their chain entry`,
  );

  const fittedNames = ['gemmComputeEfficiency', 'memoryEfficiency', ...keys];
  const entry: CalibrationFileEntry = {
    key,
    params,
    source: `GPU probe of ${dataset.machine.gpuName} (${acc.id}, driver ${dataset.machine.driverVersion}, ${dataset.createdAt}${dataset.synthetic ? ', SYNTHETIC' : ''}): GEMM η ${gemm.efficiency} (${gemm.what}) and memory η ${mem.efficiency} measured ÷ catalog peak${keys.length ? `; ${keys.join(', ')} fitted to ${rows.length} layer-stack steps (MAPE ${stepTimeMapePct.toFixed(1)}%)` : ''}; the rest from ${start.key}`,
    numRows: rows.length,
    startedFrom: start.key,
    fitted: fittedNames,
    fitError: {
      rows: rows.length,
      stepTimeMapePct,
      perRow: steps.map((s) => ({
        label: `${s.phase} batch ${s.batchSize} context ${s.contextLength}`,
        quantity: `${s.phase} step time`,
        measuredSeconds: s.measuredSeconds,
        predictedSeconds: s.predictedSeconds,
        errorPct: s.errorPct,
      })),
    },
  };
  const m = dataset.machine;
  const provenance: CalibrationProvenance = {
    method: 'gpu-probe',
    files: [file],
    createdAt: options.createdAt,
    ...(options.command !== undefined ? { command: options.command } : {}),
    ...(options.toolVersion !== undefined ? { toolVersion: options.toolVersion } : {}),
    catalogVersion: catalog.version,
    machine: {
      hostname: m.hostname,
      gpuName: m.gpuName,
      accelerator: acc.id,
      gpuCount: m.gpuCount,
      driverVersion: m.driverVersion,
      cudaVersion: m.cudaVersion,
      torchVersion: m.torchVersion,
      powerLimitWatts: m.powerLimitWatts,
      probedAt: dataset.createdAt,
      synthetic: dataset.synthetic ? 'yes' : 'no',
    },
    notes,
  };
  return {
    file: { kind: 'aifactory.calibration', version: 1, provenance, entries: [entry] },
    entry,
    start,
    accelerator: acc.id,
    efficiencies,
    decisions,
    steps,
    stepTimeMapePct,
    notes,
  };
}
