/**
 * Inputs of the performance model: a deployment (model on hardware with a parallel plan,
 * precisions and engine settings). Plain data, resolved from the catalog by `scenario/`.
 */
import type {
  Accelerator,
  ModelArch,
  PrecisionPlan,
  SpeculativeAssumption,
  System,
} from '../catalog/types.js';

/** Parallel plan of one replica (DESIGN §4). GPUs per replica = tp · pp · attnDp (EP spans tp·attnDp). */
export interface ParallelPlan {
  /** Tensor parallel degree of attention (and of dense MLP / experts when ep = 1). */
  tp: number;
  /** Pipeline stages. */
  pp: number;
  /** Expert parallel degree (MoE only; 1 = experts sharded by TP). */
  ep: number;
  /** Attention data parallel ranks (DeepSeek-style: attention replicated, experts EP-sharded). */
  attnDp: number;
}

/** Engine settings that change timing or memory. */
export interface EngineSettings {
  /** Engine family, for calibration lookup: `vllm`, `trtllm`, `sglang`, or `generic`. */
  name: string;
  maxNumSeqs: number;
  maxNumBatchedTokens: number;
  blockSizeTokens: number;
  gpuMemoryUtilization: number;
  /**
   * What `gpuMemoryUtilization` is a fraction of: `total` memory (vLLM, SGLang) or the memory
   * left after weights and buffers (TensorRT-LLM `free_gpu_memory_fraction`). Default `total`.
   */
  gpuMemoryUtilizationOf?: 'total' | 'free-after-weights';
  /**
   * KV admission: `prompt` (admit when the prompt fits; shortage preempts running requests —
   * vLLM, SGLang) or `full-reservation` (reserve prompt + output at admission; shortage delays
   * admission — TensorRT-LLM GUARANTEED_NO_EVICT). Default `prompt`.
   */
  kvAdmission?: 'prompt' | 'full-reservation';
  chunkedPrefill: boolean;
  prefixCaching: boolean;
  /** Engine overlaps host scheduling with device work (async scheduling / CUDA graphs). */
  asyncScheduling: boolean;
  /** Override of the KV-cache capacity in blocks, to match a real engine's log line. */
  kvBlocksOverride?: number;
}

export interface Deployment {
  model: ModelArch;
  accelerator: Accelerator;
  /** The system bought and racked (for host power and price); may be absent for a bare GPU estimate. */
  system?: System;
  precision: PrecisionPlan;
  /** Name of the precision preset or `custom`, for the basis. */
  precisionLabel: string;
  parallel: ParallelPlan;
  engine: EngineSettings;
  speculative?: SpeculativeAssumption;
}

export const gpusPerReplica = (p: ParallelPlan): number => p.tp * p.pp * p.attnDp;
