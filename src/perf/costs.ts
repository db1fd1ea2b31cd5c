/**
 * Static per-GPU costs of a deployment, computed once and reused by every iteration:
 * weight bytes and FLOPs per token of each op class, KV bytes per token, peak rates.
 * Sharding follows DESIGN §4: attention and dense MLP split by TP (replicated across
 * attention-DP ranks); routed experts split over all tp·attnDp GPUs of the replica (EP × TP);
 * GQA KV heads split by TP but replicated when TP > kvHeads; MLA latent replicated on every rank.
 */
import { attentionFlopsPerKeyPerLayer, countParams } from '../catalog/model-params.js';
import type { ModelArch } from '../catalog/types.js';
import type { ComputeRate } from '../catalog/types.js';
import { bytesPerElement, gemmRate, peakFlops, type FormatTable } from './rates.js';
import { gpusPerReplica, type Deployment } from './types.js';

export interface GemmClass {
  /** Weight bytes resident on one GPU for this class, all layers of one pipeline stage. */
  weightBytesPerGpu: number;
  /** FLOPs per token on one GPU (2 · params / shard), all layers of one stage. */
  flopsPerTokenPerGpu: number;
  peakFlopsPerSecond: number;
  rate: ComputeRate;
}

export interface MoeClass {
  numExperts: number;
  numActiveExperts: number;
  /** MoE layers in one pipeline stage. */
  numLayers: number;
  /** Bytes of one expert's weights in one layer, whole (not sharded). */
  expertWeightBytes: number;
  /** FLOPs of one token through one expert in one layer. */
  expertFlopsPerToken: number;
  peakFlopsPerSecond: number;
  rate: ComputeRate;
}

export interface PreparedDeployment {
  deployment: Deployment;
  gpusPerReplica: number;
  /** Layers of one pipeline stage. */
  layersPerStage: number;
  attentionProjection: GemmClass;
  denseMlp: GemmClass;
  sharedExperts: GemmClass;
  lmHead: GemmClass;
  moe?: MoeClass;
  /** KV-cache bytes per token on one GPU, full-attention layers of one stage. */
  kvBytesPerTokenFullLayers: number;
  /** Same for sliding-window layers, and their window. */
  kvBytesPerTokenWindowLayers: number;
  windowTokens: number;
  /** Recurrent state bytes per sequence on one GPU (linear-attention layers). */
  stateBytesPerSeq: number;
  /** Cap on attended tokens per query for sparse attention (DSA), else Infinity. */
  sparseTopKTokens: number;
  /** Attention FLOPs per (query, key) pair on one GPU: prefill form and decode form. */
  attentionFlopsPerPairPrefill: number;
  attentionFlopsPerPairDecode: number;
  /** Same, for window layers (counted separately because their pairs are capped). */
  attentionFlopsPerPairWindowPrefill: number;
  attentionFlopsPerPairWindowDecode: number;
  attentionPeakFlopsPerSecond: number;
  /** Bytes of elementwise traffic (norms, residuals, rope, activation functions) per token per GPU. */
  elementwiseBytesPerToken: number;
  /** Bytes of one all-reduce message per token (hidden · activation bytes). */
  activationBytesPerTokenHidden: number;
  memoryBandwidthBytesPerSecond: number;
  scaleUpBandwidthBytesPerSecond: number;
  /** Total weight bytes on one GPU. */
  weightBytesPerGpu: number;
}

const gemm = (
  params: number,
  shard: number,
  weightBytesPerParam: number,
  peak: { rate: ComputeRate; flopsPerSecond: number },
): GemmClass => ({
  weightBytesPerGpu: (params * weightBytesPerParam) / shard,
  flopsPerTokenPerGpu: (2 * params) / shard,
  peakFlopsPerSecond: peak.flopsPerSecond,
  rate: peak.rate,
});

/**
 * KV bytes per token per layer on one GPU (DESIGN §4): GQA = 2·kvHeadsPerGpu·headDim·bytes
 * with kvHeadsPerGpu = ceil(kvHeads / tp) (replicated when tp > kvHeads); MLA =
 * (kvLoraRank + ropeDim)·bytes, replicated on every TP rank (DeepSeek-V2 paper §2.1).
 */
export function kvBytesPerTokenPerLayer(m: ModelArch, tp: number, kvBytes: number): number {
  const a = m.attention;
  if (a.kind === 'mla') return (a.kvLoraRank + a.qkRopeHeadDim) * kvBytes;
  return 2 * Math.ceil(a.numKvHeads / tp) * a.headDim * kvBytes;
}

export function prepareDeployment(dep: Deployment, formats: FormatTable): PreparedDeployment {
  const { model: m, accelerator: acc, precision: prec, parallel } = dep;
  const tp = parallel.tp;
  const pp = parallel.pp;
  const expertShard = tp * parallel.attnDp;
  const stageShare = 1 / pp;
  const params = countParams(m);
  const b = (id: Parameters<typeof bytesPerElement>[1]) => bytesPerElement(formats, id);
  const act = prec.activations;
  const peakFor = (weight: Parameters<typeof gemmRate>[1]) =>
    peakFlops(acc, gemmRate(formats, weight, act));

  const attentionProjection = gemm(
    (params.attention + params.linearAttention) * stageShare,
    tp,
    b(prec.attention),
    peakFor(prec.attention),
  );
  const denseMlp = gemm(params.denseMlp * stageShare, tp, b(prec.denseMlp), peakFor(prec.denseMlp));
  const sharedExperts = gemm(
    params.sharedExperts * stageShare,
    tp,
    b(prec.experts),
    peakFor(prec.experts),
  );
  // LM head lives on the last stage only; with pp = 1 that is the only stage.
  // A tied LM head multiplies by the embedding matrix; either way vocab·hidden weights are read.
  const lmHead = gemm(
    params.lmHead > 0 ? params.lmHead : params.embedding,
    tp,
    b(prec.lmHead),
    peakFor(prec.lmHead),
  );

  let moe: MoeClass | undefined;
  if (m.moe) {
    const moeLayers = m.numLayers - m.moe.numDenseLayers;
    const expertParams = params.routedExperts / (m.moe.numExperts * moeLayers);
    const peak = peakFor(prec.experts);
    moe = {
      numExperts: m.moe.numExperts,
      numActiveExperts: m.moe.numActiveExperts,
      numLayers: moeLayers * stageShare,
      expertWeightBytes: expertParams * b(prec.experts),
      expertFlopsPerToken: 2 * expertParams,
      peakFlopsPerSecond: peak.flopsPerSecond / 1,
      rate: peak.rate,
    };
  }

  const kvPerLayer = kvBytesPerTokenPerLayer(m, tp, b(prec.kvCache));
  const fullLayers = m.layers.full * stageShare;
  const windowLayers = (m.layers.slidingWindow?.layers ?? 0) * stageShare;
  const linear = m.layers.linear;
  // Attention heads are split by TP (MLA and GQA alike); attention-DP ranks each serve their own sequences.
  const attnPeak = peakFlops(acc, 'bf16').flopsPerSecond;
  // MLA prefill runs expanded, decode absorbed (see attentionFlopsPerKeyPerLayer).
  const perPairPrefill = attentionFlopsPerKeyPerLayer(m.attention, 'expanded') / tp;
  const perPairDecode = attentionFlopsPerKeyPerLayer(m.attention, 'absorbed') / tp;
  const actBytes = 2; // activations travel in bf16 between layers (fp8 GEMM inputs are quantized in-kernel)

  const weightBytesPerGpu =
    attentionProjection.weightBytesPerGpu +
    denseMlp.weightBytesPerGpu +
    sharedExperts.weightBytesPerGpu +
    lmHead.weightBytesPerGpu +
    (params.lmHead > 0 ? (params.embedding * b(prec.lmHead)) / tp : 0) +
    (moe ? (moe.expertWeightBytes * moe.numExperts * moe.numLayers) / expertShard : 0);

  return {
    deployment: dep,
    gpusPerReplica: gpusPerReplica(parallel),
    layersPerStage: m.numLayers * stageShare,
    attentionProjection,
    denseMlp,
    sharedExperts,
    lmHead,
    ...(moe ? { moe } : {}),
    kvBytesPerTokenFullLayers: kvPerLayer * fullLayers,
    kvBytesPerTokenWindowLayers: kvPerLayer * windowLayers,
    windowTokens: m.layers.slidingWindow?.windowTokens ?? Infinity,
    stateBytesPerSeq: linear ? (linear.stateBytesPerLayer * linear.layers * stageShare) / tp : 0,
    sparseTopKTokens: m.layers.sparseTopKTokens ?? Infinity,
    attentionFlopsPerPairPrefill: perPairPrefill * fullLayers,
    attentionFlopsPerPairDecode: perPairDecode * fullLayers,
    attentionFlopsPerPairWindowPrefill: perPairPrefill * windowLayers,
    attentionFlopsPerPairWindowDecode: perPairDecode * windowLayers,
    attentionPeakFlopsPerSecond: attnPeak,
    // ~12 hidden-sized bf16 reads/writes per token per layer (2 norms, 2 residual adds, rope,
    // activation function in/out); an order-of-magnitude term, small next to GEMMs.
    elementwiseBytesPerToken: 12 * m.hiddenSize * actBytes * m.numLayers * stageShare,
    activationBytesPerTokenHidden: m.hiddenSize * actBytes,
    memoryBandwidthBytesPerSecond: acc.memoryBandwidthBytesPerSecond.value,
    scaleUpBandwidthBytesPerSecond: acc.scaleUpBandwidthBytesPerSecond.value,
    weightBytesPerGpu,
  };
}
