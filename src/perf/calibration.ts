/**
 * Calibration parameters of the per-iteration performance model (DESIGN §4) and their
 * fallback chain: accelerator+engine → product line+engine (another form factor of the same chip,
 * derived from its sibling's fit) → generation+engine → generation → vendor+engine →
 * vendor → default (a pooled fit, else the documented assumption), each level refined by the
 * model's architecture class (dense / MoE) where the table has it. Efficiencies η are fractions of the published peak and must
 * lie in (0, 1]; a fit that wants η > 1 signals a model or data defect and is reported.
 */
import type { Accelerator, ModelArch } from '../catalog/types.js';

export interface CalibrationParams {
  /** η of dense GEMMs (attention projections, dense MLP, shared experts, LM head) against the peak FLOP/s of their rate. */
  gemmComputeEfficiency: number;
  /**
   * Tokens (GEMM rows) per GPU at which a dense GEMM reaches half its large-shape efficiency:
   * η(M) = η_gemm · M / (M + M½). Tile occupancy and wave quantization make moderate batches
   * compute less efficiently than the large prefill-heavy batches of offline serving.
   */
  gemmHalfEfficiencyTokens: number;
  /**
   * Tokens per expert at which a grouped MoE GEMM reaches half the dense-GEMM efficiency:
   * η_moe = η_gemm · m / (m + m½), m = tokens routed to each touched expert. Few tokens per
   * expert (256-expert models in decode) leave tiles, routing and permutation overheads
   * dominant; thousands per expert (Mixtral at large batch) run like dense GEMMs.
   */
  moeHalfEfficiencyTokensPerExpert: number;
  /** η of streaming reads (weights, KV cache) against peak memory bandwidth. */
  memoryEfficiency: number;
  /** η of prefill attention (flash-attention kernels) against the bf16 peak. */
  attentionComputeEfficiency: number;
  /** η of collectives against the scale-up link bandwidth. */
  commEfficiency: number;
  /** Fixed latency per collective (all-reduce, all-to-all), seconds. */
  collectiveLatencySeconds: number;
  /** Fixed device time per layer per iteration (kernel launch/tail floors), seconds. */
  layerOverheadSeconds: number;
  /** Host time per iteration: a + b·numSeqs (scheduling, sampling, detokenization), seconds. */
  hostOverheadSeconds: number;
  hostOverheadPerSeqSeconds: number;
  /**
   * Fixed time added to every TTFT outside the engine loop (HTTP, tokenization, queue hop), seconds.
   */
  requestOverheadSeconds: number;
  /**
   * Closed-loop benchmarks with fixed output length keep clients partly in lockstep, so a
   * new request finds other prefills queued ahead of it. Share (0..1) of the other clients'
   * prefills a request waits behind; 0 = independent (Poisson) arrivals.
   */
  closedLoopBurstFraction: number;
  /**
   * Share ω (0..1) of an op class's shorter roofline side (compute or memory) that runs hidden
   * under the longer: time = max(c, m) + (1 − ω)·min(c, m). Absent = 1, DESIGN §4's roofline max:
   * a GPU keeps thousands of warps in flight, so loads overlap math. A CPU core issues its loads
   * and FMAs from one instruction stream, and on few cores a matrix-vector kernel's load stalls
   * are not hidden; there it is measured (`validate bench` fits it to batch-1 decode). Not fitted
   * by `calibrate` (the GPU data leave it at 1).
   */
  computeMemoryOverlap?: number;
}

/** The parameters every entry carries (the fitters' search space; optional ones default). */
export type RequiredParamKey = {
  [K in keyof CalibrationParams]-?: undefined extends CalibrationParams[K] ? never : K;
}[keyof CalibrationParams];

export interface CalibrationEntry {
  /** Key in the fallback chain, e.g. `h100-sxm/trtllm`, `hopper/trtllm`, `nvidia`, `default`. */
  key: string;
  params: CalibrationParams;
  /** How the values were obtained (fit id, data, error) — shown in every result's basis. */
  source: string;
  /** Rows the fit used, when fitted. */
  numRows?: number;
}

export type CalibrationTable = ReadonlyMap<string, CalibrationEntry>;

/**
 * Documented default when nothing more specific was fitted. Values are conservative
 * engineering assumptions: GEMMs reach ~60% of dense peak at large shapes (grouped MoE GEMMs half
 * of that at 64 tokens per expert), streaming reads
 * ~80% of peak bandwidth (STREAM-like on HBM), flash-attention ~40% of bf16 peak, NCCL
 * all-reduce ~70% of link bandwidth with ~10 µs latency on NVLink; closed-loop clients wait
 * behind a tenth of the other clients' prefills. Provenance: assumption.
 */
export const DEFAULT_CALIBRATION: CalibrationEntry = {
  key: 'default',
  source: 'assumption: documented defaults in src/perf/calibration.ts',
  params: {
    gemmComputeEfficiency: 0.6,
    gemmHalfEfficiencyTokens: 64,
    moeHalfEfficiencyTokensPerExpert: 64,
    memoryEfficiency: 0.8,
    attentionComputeEfficiency: 0.4,
    commEfficiency: 0.7,
    collectiveLatencySeconds: 10e-6,
    layerOverheadSeconds: 10e-6,
    hostOverheadSeconds: 1e-3,
    hostOverheadPerSeqSeconds: 5e-6,
    requestOverheadSeconds: 0.02,
    closedLoopBurstFraction: 0.1,
  },
};

/**
 * Architecture class of a model for calibration: MoE engines run grouped GEMMs, routing and
 * expert parallelism with efficiency profiles unlike dense models, so every level of the chain
 * has a class-specific refinement in front of it.
 */
export type ModelClass = 'dense' | 'moe';
export const modelClassOf = (model: Pick<ModelArch, 'moe'>): ModelClass =>
  model.moe ? 'moe' : 'dense';

/**
 * Key prefix of the product-line level of the chain (`line:h200/trtllm/dense`). Another form
 * factor of the same chip (H200 NVL beside H200 SXM: same die, HBM and kernels; its own
 * datasheet peaks and power) is a closer prior for kernel efficiency than the generation's
 * pool, which mixes chips. These entries are never fitted: `productLineEntries` derives them.
 */
const PRODUCT_LINE_PREFIX = 'line:';

/** Is `key` a product-line key (derived, not fitted)? */
export const isProductLineKey = (key: string): boolean => key.startsWith(PRODUCT_LINE_PREFIX);

const productLineOf = (accelerator: Pick<Accelerator, 'productLine'>): string =>
  `${PRODUCT_LINE_PREFIX}${accelerator.productLine.toLowerCase().replace(/\s+/g, '-')}`;

/** Keys tried in order for an accelerator, engine and model class (most specific first). */
export function calibrationChain(
  accelerator: Accelerator,
  engine: string,
  modelClass?: ModelClass,
): string[] {
  const byClass = (key: string): string[] => (modelClass ? [`${key}/${modelClass}`, key] : [key]);
  return [
    ...byClass(`${accelerator.id}/${engine}`),
    ...byClass(`${productLineOf(accelerator)}/${engine}`),
    ...byClass(`${accelerator.generation}/${engine}`),
    ...byClass(accelerator.generation),
    ...byClass(`${accelerator.vendor}/${engine}`),
    ...byClass(accelerator.vendor),
    ...(modelClass ? [`default/${modelClass}`] : []),
    'default',
  ];
}

/**
 * Product-line entries for a fitted table: where exactly one accelerator of a product line has
 * an entry for an engine (and model class), the line's key gets a copy of it, so the line's
 * other form factors resolve to their sibling's fit before the generation's pool. Where two or
 * more members are fitted the line has no entry (which one's kernels would stand for a third is
 * not known) and the chain falls through to the generation. Accelerator-level keys only
 * (`<accelerator id>/<engine>[/<class>]`); the entries keep the member's params and numRows.
 */
export function productLineEntries(
  entries: readonly CalibrationEntry[],
  accelerators: readonly Pick<Accelerator, 'id' | 'productLine'>[],
): CalibrationEntry[] {
  const byId = new Map(accelerators.map((a) => [a.id, a]));
  const members = new Map<string, CalibrationEntry[]>();
  for (const e of entries) {
    const [id, ...rest] = e.key.split('/');
    const acc = byId.get(id!);
    if (!acc || rest.length === 0) continue;
    const key = [productLineOf(acc), ...rest].join('/');
    (members.get(key) ?? members.set(key, []).get(key)!).push(e);
  }
  return [...members]
    .filter(([, es]) => es.length === 1)
    .map(([key, [e]]) => ({
      key,
      params: e!.params,
      source: `= ${e!.key}, the product line's only fitted member (${e!.source})`,
      ...(e!.numRows === undefined ? {} : { numRows: e!.numRows }),
    }));
}

/** A table of `entries` plus the product-line entries they give (`productLineEntries`). */
export function withProductLines(
  entries: readonly CalibrationEntry[],
  accelerators: readonly Pick<Accelerator, 'id' | 'productLine'>[],
): CalibrationTable {
  return new Map(
    [...entries, ...productLineEntries(entries, accelerators)].map((e) => [e.key, e] as const),
  );
}

/** The most specific entry of the chain present in the table (DEFAULT if none). */
export function resolveCalibration(
  table: CalibrationTable,
  accelerator: Accelerator,
  engine: string,
  model?: Pick<ModelArch, 'moe'>,
): CalibrationEntry {
  for (const key of calibrationChain(
    accelerator,
    engine,
    model ? modelClassOf(model) : undefined,
  )) {
    const e = table.get(key);
    if (e) return e;
  }
  return DEFAULT_CALIBRATION;
}

export const EFFICIENCY_KEYS = [
  'gemmComputeEfficiency',
  'memoryEfficiency',
  'attentionComputeEfficiency',
  'commEfficiency',
] as const satisfies readonly (keyof CalibrationParams)[];
