/**
 * Memory fit of one replica (DESIGN §4): weights/(TP·EP share) + activations + runtime reserve
 * + KV ≤ HBM · gpuMemoryUtilization; the remainder sets the KV block budget.
 */
import { GIB } from '../core/units.js';
import type { PreparedDeployment } from './costs.js';

/**
 * Runtime reserve per GPU outside weights, activations and KV: CUDA context, allocator slack,
 * CUDA-graph pools; NCCL buffers when the replica spans GPUs. Assumption, checked against the
 * vLLM 0.19 RTX 4090 trace in ../shared/reference (2588 KV blocks of 16 tokens at 0.9 util).
 */
export const RUNTIME_RESERVE_BYTES = 0.9 * GIB;
export const NCCL_RESERVE_BYTES = 0.5 * GIB;

export interface MemoryFit {
  hbmBytesPerGpu: number;
  usableBytesPerGpu: number;
  weightBytesPerGpu: number;
  activationBytesPerGpu: number;
  reserveBytesPerGpu: number;
  kvBudgetBytesPerGpu: number;
  /** KV bytes one token occupies on one GPU (all KV layers of its stage). */
  kvBytesPerTokenPerGpu: number;
  /** KV blocks per attention-DP rank (each rank keeps its own pool). */
  kvBlocksPerRank: number;
  /** Tokens of KV the whole replica can hold (all DP ranks). */
  maxKvTokensPerReplica: number;
  fits: boolean;
  /** Why it does not fit, in words. */
  reason?: string;
}

/**
 * Peak activation memory of the profiling pass over `maxNumBatchedTokens` tokens: the residual
 * stream and attention buffers (~4·hidden), the MLP intermediate (2·inter/tp), bf16; plus fp32
 * logits for the sampled rows (maxNumSeqs · vocab/tp). An approximation of vLLM's profile run.
 */
function activationBytes(p: PreparedDeployment): number {
  const { model: m, engine, parallel } = p.deployment;
  const inter = Math.max(
    m.intermediateSize,
    m.moe ? m.moe.expertIntermediateSize * m.moe.numActiveExperts : 0,
  );
  const perToken = (4 * m.hiddenSize + (2 * inter) / parallel.tp) * 2;
  const logits = (engine.maxNumSeqs * m.vocabSize * 4) / parallel.tp;
  return (engine.maxNumBatchedTokens / parallel.attnDp) * perToken + logits;
}

export function memoryFit(p: PreparedDeployment): MemoryFit {
  const { accelerator, engine, parallel } = p.deployment;
  const hbm = accelerator.memoryBytes.value;
  const act = activationBytes(p);
  const reserve = RUNTIME_RESERVE_BYTES + (p.gpusPerReplica > 1 ? NCCL_RESERVE_BYTES : 0);
  const fractionOfFree = engine.gpuMemoryUtilizationOf === 'free-after-weights';
  const usable = fractionOfFree ? hbm : hbm * engine.gpuMemoryUtilization;
  const free = usable - p.weightBytesPerGpu - act - reserve;
  const kvBudget = fractionOfFree ? free * engine.gpuMemoryUtilization : free;
  const kvPerToken = p.kvBytesPerTokenFullLayers + p.kvBytesPerTokenWindowLayers;
  const blockBytes = kvPerToken * engine.blockSizeTokens;
  const computedBlocks =
    kvPerToken > 0 ? Math.max(0, Math.floor(kvBudget / blockBytes)) : Number.MAX_SAFE_INTEGER;
  const kvBlocksPerRank = engine.kvBlocksOverride ?? computedBlocks;
  const maxKvTokensPerReplica = kvBlocksPerRank * engine.blockSizeTokens * parallel.attnDp;
  const fits = kvBudget > 0 && kvBlocksPerRank > 0;
  const fit: MemoryFit = {
    hbmBytesPerGpu: hbm,
    usableBytesPerGpu: usable,
    weightBytesPerGpu: p.weightBytesPerGpu,
    activationBytesPerGpu: act,
    reserveBytesPerGpu: reserve,
    kvBudgetBytesPerGpu: kvBudget,
    kvBytesPerTokenPerGpu: kvPerToken,
    kvBlocksPerRank,
    maxKvTokensPerReplica,
    fits,
  };
  if (!fits) {
    const gb = (x: number) => (x / 1e9).toFixed(1);
    fit.reason = `weights ${gb(p.weightBytesPerGpu)} GB + activations ${gb(act)} GB + reserve ${gb(reserve)} GB leave no KV room in ${gb(usable)} GB usable per GPU`;
  }
  return fit;
}

/** Sequences of `contextTokens` context that fit in the replica's KV pool (and state for linear layers). */
export function maxConcurrentSequences(
  p: PreparedDeployment,
  fit: MemoryFit,
  contextTokens: number,
): number {
  if (!fit.fits) return 0;
  const blocksPerSeq = Math.ceil(contextTokens / p.deployment.engine.blockSizeTokens);
  const byKv =
    fit.kvBytesPerTokenPerGpu > 0
      ? Math.floor(fit.kvBlocksPerRank / blocksPerSeq) * p.deployment.parallel.attnDp
      : Infinity;
  const byState =
    p.stateBytesPerSeq > 0
      ? Math.floor(fit.kvBudgetBytesPerGpu / 2 / p.stateBytesPerSeq)
      : Infinity;
  return Math.min(byKv, byState);
}
