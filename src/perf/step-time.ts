/**
 * Time of one engine iteration of one replica (DESIGN §4): a sum over op classes, each bounded
 * by its own roofline `max(FLOPs / (peak · η_compute), bytes / (bandwidth · η_memory))`, plus
 * collectives with a latency term, per-layer kernel floors, and host overhead (overlapped with
 * device work when the engine schedules asynchronously). Per class, not one max over the whole
 * iteration: a mixed prefill+decode batch is compute-bound in its GEMMs and memory-bound in
 * its decode attention at the same time.
 */
import type { CalibrationParams } from './calibration.js';
import type { GemmClass, PreparedDeployment } from './costs.js';

/** What one iteration processes. Plain data; the scheduler (or the steady-state model) fills it. */
export interface IterationBatch {
  /** Sequences in decode; each processes 1 + draftTokens positions. */
  numDecodeSeqs: number;
  /** Σ over decoding sequences of the tokens already in their KV cache. */
  decodeContextTokens: number;
  /** New prompt tokens processed this iteration (all prefill chunks together). */
  numPrefillTokens: number;
  /** Σ over prefill tokens of the keys each attends to (causal: Σᵢ (cached + i)). */
  prefillAttentionPairs: number;
  /** Sequences whose prompt completes this iteration (they sample their first token). */
  numPrefillSamples: number;
  /** Sequences with a prefill chunk this iteration. */
  numPrefillSeqs: number;
}

export type OpClass =
  | 'attentionProjection'
  | 'denseMlp'
  | 'sharedExperts'
  | 'moeExperts'
  | 'lmHead'
  | 'prefillAttention'
  | 'decodeAttention'
  | 'elementwise'
  | 'communication'
  | 'layerOverhead';

export interface StepTime {
  /** Wall time of the iteration, seconds. */
  seconds: number;
  deviceSeconds: number;
  hostSeconds: number;
  /** Device seconds in compute-bound and in memory-bound op classes (the rest: collectives, launch floors). */
  computeBoundSeconds: number;
  memoryBoundSeconds: number;
  /** Device seconds per op class. */
  breakdownSeconds: Record<OpClass, number>;
  /** FLOPs and bytes moved on one GPU (for MFU/MBU and the power model). */
  flopsPerGpu: number;
  bytesPerGpu: number;
  /** Positions processed (decode positions incl. draft tokens + prefill tokens). */
  numTokens: number;
}

/** Expected number of distinct experts hit by `tokens` tokens each routed to k of E experts
 * uniformly: E·(1 − (1 − k/E)^tokens). Balanced-routing assumption (DESIGN §4). */
export function expectedDistinctExperts(numExperts: number, topK: number, tokens: number): number {
  if (tokens <= 0) return 0;
  return numExperts * (1 - Math.pow(1 - topK / numExperts, tokens));
}

/**
 * Device seconds by what bounds them, accumulated while an iteration is costed:
 * `[computeBound, memoryBound]`. One module-level scratch (stepTime is synchronous and not
 * re-entrant), so costing a batch allocates nothing but its result — the serving twin costs
 * millions of batch shapes per run.
 */
const bounds = new Float64Array(2);

/**
 * Share of the shorter side of each op class's roofline that runs hidden under the longer one
 * (`CalibrationParams.computeMemoryOverlap`), set on entry to `stepTime` (module scratch, like
 * `bounds`).
 */
let overlap = 1;

/**
 * A roofline-bounded op class: its time is the larger of its compute-side and memory-side
 * times plus the unhidden part of the smaller, max(c, m) + (1 − ω)·min(c, m) (ω = 1: DESIGN §4's
 * roofline max); the time is added to the larger side's bound (compute on a tie).
 */
function take(computeSeconds: number, memorySeconds: number): number {
  const seconds =
    Math.max(computeSeconds, memorySeconds) +
    (1 - overlap) * Math.min(computeSeconds, memorySeconds);
  if (computeSeconds >= memorySeconds) bounds[0]! += seconds;
  else bounds[1]! += seconds;
  return seconds;
}

/** Dense-GEMM efficiency at M rows: η·M/(M + M½) (see CalibrationParams.gemmHalfEfficiencyTokens). */
const gemmEfficiencyAt = (c: CalibrationParams, rows: number): number =>
  (c.gemmComputeEfficiency * rows) / (rows + c.gemmHalfEfficiencyTokens);

/** Time of a GEMM class at `tokensPerGpu` rows (its bound added to `bounds`). */
function gemmSeconds(g: GemmClass, tokensPerGpu: number, bw: number, c: CalibrationParams): number {
  // No rows, no kernel: e.g. the LM head in a chunked-prefill iteration that samples nothing.
  if (g.weightBytesPerGpu === 0 || tokensPerGpu <= 0) return take(0, 0);
  return take(
    (g.flopsPerTokenPerGpu * tokensPerGpu) /
      (g.peakFlopsPerSecond * gemmEfficiencyAt(c, tokensPerGpu)),
    g.weightBytesPerGpu / (bw * c.memoryEfficiency),
  );
}

/**
 * Iteration time for `batch` on the prepared deployment with calibration `c`.
 * Complexity O(1). Pure (its scratch `bounds` is reset on entry).
 */
export function stepTime(
  p: PreparedDeployment,
  c: CalibrationParams,
  batch: IterationBatch,
): StepTime {
  const dep = p.deployment;
  const { tp, attnDp } = dep.parallel;
  const spec = dep.speculative;
  const positionsPerDecode = spec ? 1 + spec.draftTokens : 1;
  const decodePositions = batch.numDecodeSeqs * positionsPerDecode;
  const tokens = decodePositions + batch.numPrefillTokens;
  const tokensPerRank = tokens / attnDp;
  const bw = p.memoryBandwidthBytesPerSecond;

  // Per op class, device seconds (the breakdown, in this order).
  let attentionProjection = 0;
  let denseMlp = 0;
  let sharedExperts = 0;
  let moeExperts = 0;
  let lmHead = 0;
  let prefillAttention = 0;
  let decodeAttention = 0;
  let flops = 0;
  let bytes = 0;
  // Device time split by what bounds it, for the power model: compute-bound kernels draw near
  // TDP, memory-bound ones about half of the dynamic range (perf/power.ts).
  bounds[0] = 0;
  bounds[1] = 0;
  overlap = c.computeMemoryOverlap ?? 1;
  if (tokens > 0) {
    const sampled = (batch.numDecodeSeqs * positionsPerDecode + batch.numPrefillSamples) / attnDp;
    for (let k = 0; k < 4; k++) {
      const g =
        k === 0
          ? p.attentionProjection
          : k === 1
            ? p.denseMlp
            : k === 2
              ? p.sharedExperts
              : p.lmHead;
      const t = k === 3 ? sampled : tokensPerRank;
      const seconds = gemmSeconds(g, t, bw, c);
      if (k === 0) attentionProjection = seconds;
      else if (k === 1) denseMlp = seconds;
      else if (k === 2) sharedExperts = seconds;
      else lmHead = seconds;
      if (g.weightBytesPerGpu > 0) {
        flops += g.flopsPerTokenPerGpu * t;
        bytes += g.weightBytesPerGpu;
      }
    }
  }

  // Routed experts: all tokens of all DP ranks meet in the expert GEMMs, spread over tp·attnDp GPUs.
  if (p.moe && tokens > 0) {
    const m = p.moe;
    const gpus = tp * attnDp;
    const distinct = expectedDistinctExperts(m.numExperts, m.numActiveExperts, tokens);
    const moeBytes = (distinct * m.expertWeightBytes * m.numLayers) / gpus;
    const moeFlops = (tokens * m.numActiveExperts * m.expertFlopsPerToken * m.numLayers) / gpus;
    const tokensPerExpert = (tokens * m.numActiveExperts) / Math.max(1e-9, distinct);
    const moeEfficiency =
      (c.gemmComputeEfficiency * tokensPerExpert) /
      (tokensPerExpert + c.moeHalfEfficiencyTokensPerExpert);
    moeExperts = take(
      moeFlops / (m.peakFlopsPerSecond * moeEfficiency),
      moeBytes / (bw * c.memoryEfficiency),
    );
    flops += moeFlops;
    bytes += moeBytes;
  }

  // Prefill attention: causal pairs, compute-bound flash attention; window layers capped at W keys.
  if (batch.numPrefillTokens > 0) {
    const fullPairs = Math.min(
      batch.prefillAttentionPairs,
      batch.numPrefillTokens * p.sparseTopKTokens,
    );
    const windowPairs = Math.min(
      batch.prefillAttentionPairs,
      batch.numPrefillTokens * p.windowTokens,
    );
    const f =
      (fullPairs * p.attentionFlopsPerPairPrefill +
        windowPairs * p.attentionFlopsPerPairWindowPrefill) /
      attnDp;
    prefillAttention = take(f / (p.attentionPeakFlopsPerSecond * c.attentionComputeEfficiency), 0);
    flops += f;
  }

  // Decode attention: read every cached KV byte of every decoding sequence (memory-bound),
  // with the compute term mattering for MLA's absorbed attention at large batch.
  if (batch.numDecodeSeqs > 0) {
    const ctx = batch.decodeContextTokens;
    const attendedFull = Math.min(ctx, batch.numDecodeSeqs * p.sparseTopKTokens);
    const attendedWindow = Math.min(ctx, batch.numDecodeSeqs * p.windowTokens);
    const kvBytes =
      (ctx * p.kvBytesPerTokenFullLayers +
        attendedWindow * p.kvBytesPerTokenWindowLayers +
        batch.numDecodeSeqs * 2 * p.stateBytesPerSeq) /
      attnDp;
    const f =
      (positionsPerDecode *
        (attendedFull * p.attentionFlopsPerPairDecode +
          attendedWindow * p.attentionFlopsPerPairWindowDecode)) /
      attnDp;
    decodeAttention = take(
      f / (p.attentionPeakFlopsPerSecond * c.attentionComputeEfficiency),
      kvBytes / (bw * c.memoryEfficiency),
    );
    flops += f;
    bytes += kvBytes;
  }

  // MoE token permutation: each (token, expert) pair's hidden state is gathered into its
  // expert's input and scattered back (vLLM moe_align/permute, TRT-LLM expandInput): 2 reads +
  // 2 writes of hidden·bf16 per pair per MoE layer, pairs split over the EP ranks.
  const moePermuteBytes = p.moe
    ? ((tokens * p.moe.numActiveExperts) / Math.max(1, dep.parallel.ep)) *
      p.activationBytesPerTokenHidden *
      4 *
      p.moe.numLayers
    : 0;
  const elementwiseBytes = p.elementwiseBytesPerToken * tokensPerRank + moePermuteBytes;
  const elementwise = take(0, elementwiseBytes / (bw * c.memoryEfficiency));
  bytes += elementwiseBytes;

  // Communication per layer: TP → two ring all-reduces (attention out, MLP out) of
  // tokensPerRank·hidden activations, each 2(t−1)/t of the message over the link plus a latency
  // term; EP → all-to-all dispatch + combine of each token's hidden state to its k experts.
  const link = p.scaleUpBandwidthBytesPerSecond * c.commEfficiency;
  const msg = tokensPerRank * p.activationBytesPerTokenHidden;
  let commPerLayer = 0;
  if (tp > 1) {
    const allReduce = ((2 * (tp - 1)) / tp) * (msg / link) + c.collectiveLatencySeconds;
    commPerLayer += 2 * allReduce;
  }
  const moeLayersFraction = p.moe ? p.moe.numLayers / p.layersPerStage : 0;
  // With tensor-parallel attention (attnDp = 1) every rank already holds every token, so EP
  // needs no dispatch: each rank runs its local experts and the MLP all-reduce above combines.
  // Only attention-DP splits tokens across ranks and needs the all-to-all.
  if (p.moe && attnDp > 1) {
    const gpus = tp * attnDp;
    const a2a =
      ((p.moe.numActiveExperts * msg * (gpus - 1)) / gpus / link + c.collectiveLatencySeconds) * 2;
    commPerLayer += a2a * moeLayersFraction;
  }
  const communication = tokens > 0 ? commPerLayer * p.layersPerStage : 0;
  const layerOverhead = tokens > 0 ? c.layerOverheadSeconds * p.layersPerStage : 0;

  // Summed in the breakdown's order (the order of its keys), as a loop over it would.
  let deviceSeconds = 0;
  deviceSeconds += attentionProjection;
  deviceSeconds += denseMlp;
  deviceSeconds += sharedExperts;
  deviceSeconds += moeExperts;
  deviceSeconds += lmHead;
  deviceSeconds += prefillAttention;
  deviceSeconds += decodeAttention;
  deviceSeconds += elementwise;
  deviceSeconds += communication;
  deviceSeconds += layerOverhead;
  // Pipeline: an iteration passes every stage in turn (latency view; micro-batch overlap ignored).
  // Speculative decoding: the drafter (MTP head / EAGLE layer) runs draftTokens sequential
  // single-layer passes, ~1/numLayers of the target model's per-layer cost each.
  const scale =
    dep.parallel.pp *
    (spec && batch.numDecodeSeqs > 0 ? 1 + spec.draftTokens / dep.model.numLayers : 1);
  deviceSeconds *= scale;
  const computeBoundSeconds = bounds[0]! * scale;
  const memoryBoundSeconds = bounds[1]! * scale;

  const numSeqs = batch.numDecodeSeqs + batch.numPrefillSeqs;
  const hostSeconds = c.hostOverheadSeconds + c.hostOverheadPerSeqSeconds * numSeqs;
  const seconds = dep.engine.asyncScheduling
    ? Math.max(deviceSeconds, hostSeconds)
    : deviceSeconds + hostSeconds;
  return {
    seconds,
    deviceSeconds,
    hostSeconds,
    computeBoundSeconds,
    memoryBoundSeconds,
    breakdownSeconds: {
      attentionProjection,
      denseMlp,
      sharedExperts,
      moeExperts,
      lmHead,
      prefillAttention,
      decodeAttention,
      elementwise,
      communication,
      layerOverhead,
    },
    flopsPerGpu: flops,
    bytesPerGpu: bytes,
    numTokens: tokens,
  };
}

/** Batch of `numSeqs` sequences each decoding with `contextTokens` tokens of context. */
export const decodeBatch = (numSeqs: number, contextTokens: number): IterationBatch => ({
  numDecodeSeqs: numSeqs,
  decodeContextTokens: numSeqs * contextTokens,
  numPrefillTokens: 0,
  prefillAttentionPairs: 0,
  numPrefillSamples: 0,
  numPrefillSeqs: 0,
});

/** Causal attention pairs of a chunk of n new tokens after c cached: Σᵢ₌₁ⁿ (c + i) = n·c + n(n+1)/2. */
export const causalPairs = (newTokens: number, cachedTokens: number): number =>
  newTokens * cachedTokens + (newTokens * (newTokens + 1)) / 2;
