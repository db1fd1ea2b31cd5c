/**
 * Catalog types: accelerators, systems, models, number formats. Catalog data is plain data in
 * the project; every value carries a `SourceRef` (non-negotiable 1). Units are SI (bytes,
 * bytes/s, FLOP/s, watts, USD) — converted from vendor units where the data is written.
 */
import type { Sourced, SourceRef } from '../core/source.js';

/** Tensor-core rate classes an accelerator publishes a dense peak for. */
export type ComputeRate = 'bf16' | 'fp8' | 'fp4' | 'int8';

/** Storage/compute formats of tensors (the list is the one source of the ids). */
export const NUMBER_FORMAT_IDS = [
  'fp32',
  'bf16',
  'fp16',
  'fp8',
  'fp8-block',
  'int8',
  'nvfp4',
  'mxfp4',
  'int4-wo',
  'int8-wo',
  'q8_0',
] as const;

export type NumberFormatId = (typeof NUMBER_FORMAT_IDS)[number];

export interface NumberFormat {
  id: NumberFormatId;
  /** Storage bits per element including scale factors (e.g. nvfp4 ≈ 4.5). */
  bitsPerElement: number;
  /**
   * Tensor-core rate used when this format is the *activation* (compute) format; `null` for
   * weight-only formats, which compute at the activation format's rate (DESIGN §4).
   */
  computeRate: ComputeRate | null;
  weightOnly: boolean;
  ref: SourceRef;
}

export type Vendor = 'nvidia' | 'amd';

export interface Accelerator {
  /** Catalog id, kebab-case: `h100-sxm`, `gb200`, `mi300x`. */
  id: string;
  name: string;
  vendor: Vendor;
  /** Product line token as vendors write it in system names: `H100`, `GB200`, `MI300X`. */
  productLine: string;
  /** Architecture generation, for the calibration fallback chain: `hopper`, `blackwell`, … */
  generation: string;
  /** Package form: `sxm`, `nvl` (PCIe card with NVLink bridge), `pcie`, `superchip`, `oam`. */
  formFactor: 'sxm' | 'nvl' | 'pcie' | 'superchip' | 'oam';
  memoryBytes: Sourced;
  memoryBandwidthBytesPerSecond: Sourced;
  /** Dense (no sparsity) peak tensor FLOP/s per rate; absent = not supported. */
  peakFlopsPerSecond: Partial<Record<ComputeRate, Sourced>> & { bf16: Sourced };
  tdpWatts: Sourced;
  idleWatts: Sourced;
  /** Scale-up (NVLink / Infinity Fabric / PCIe) bandwidth per GPU, one direction. */
  scaleUpBandwidthBytesPerSecond: Sourced;
  /** GPUs in one scale-up domain. */
  scaleUpDomainSize: Sourced;
  /** Host link (PCIe) bandwidth per GPU, one direction, for KV offload and reloads. */
  hostLinkBytesPerSecond: Sourced;
}

export interface System {
  /** `hgx-h100-8gpu`, `gb200-nvl72`, `mi300x-8gpu`. */
  id: string;
  name: string;
  acceleratorId: string;
  acceleratorCount: number;
  /** GPUs per scale-up (NVLink) domain inside this system. */
  scaleUpDomainSize: number;
  /** Non-accelerator IT power at full load: CPUs, memory, NICs, storage, fans, per system. */
  hostPowerWatts: Sourced;
  /** Share of network switch power attributable to the system (scale-out + in-rack switches). */
  networkPowerWatts: Sourced;
  /** Host power at idle, per system. */
  hostIdlePowerWatts: Sourced;
  /** Purchase price assumption, USD, with its year in `ref.date`. */
  priceUsd: Sourced;
  ref: SourceRef;
}

/** Attention layout of a model. Counts of each layer type sum to `numLayers`. */
export type AttentionSpec =
  | {
      kind: 'gqa';
      numHeads: number;
      numKvHeads: number;
      headDim: number;
    }
  | {
      /** Multi-head latent attention (DeepSeek-V2/V3): a compressed KV latent per token. */
      kind: 'mla';
      numHeads: number;
      /** 0 = no low-rank Q projection (q_lora_rank null in the config). */
      qLoraRank: number;
      kvLoraRank: number;
      qkNopeHeadDim: number;
      qkRopeHeadDim: number;
      vHeadDim: number;
    };

export interface LayerMix {
  /** Layers with full (global) causal attention. */
  full: number;
  /** Sliding-window layers: attend to at most `windowTokens` previous tokens. */
  slidingWindow?: { layers: number; windowTokens: number };
  /**
   * Linear/recurrent attention layers (e.g. Gated DeltaNet): constant state per sequence.
   * Projection sizes are given so their weights and FLOPs can be counted.
   */
  linear?: {
    layers: number;
    numKeyHeads: number;
    numValueHeads: number;
    keyHeadDim: number;
    valueHeadDim: number;
    /** Recurrent state bytes per sequence per layer at bf16 (numValueHeads·keyHeadDim·valueHeadDim·2 for DeltaNet). */
    stateBytesPerLayer: number;
  };
  /** Sparse attention (DeepSeek DSA): full KV stored, but each query attends to at most topK tokens. */
  sparseTopKTokens?: number;
}

export interface MoeSpec {
  numExperts: number;
  numActiveExperts: number;
  numSharedExperts: number;
  /** Intermediate size of one routed expert's MLP. */
  expertIntermediateSize: number;
  /** Intermediate size of the shared expert(s) in total; defaults to numSharedExperts·expertIntermediateSize. */
  sharedIntermediateSize?: number;
  /** Leading layers with a dense MLP instead of MoE (DeepSeek `first_k_dense_replace`). */
  numDenseLayers: number;
}

export interface ModelArch {
  /** `llama-3.1-70b`, `deepseek-r1`, `gpt-oss-120b`. */
  id: string;
  name: string;
  /** Hugging Face repository ids that denote this architecture (for mapping input files). */
  hfIds: string[];
  numLayers: number;
  hiddenSize: number;
  vocabSize: number;
  attention: AttentionSpec;
  layers: LayerMix;
  /** Dense MLP intermediate size (used by dense models and by MoE models' dense layers). */
  intermediateSize: number;
  /** Gated MLP (SwiGLU: gate, up, down = 3 matrices) or plain (2 matrices). */
  gatedMlp: boolean;
  moe?: MoeSpec;
  tieWordEmbeddings: boolean;
  /** Multi-token-prediction heads shipped with the model (DeepSeek-V3: 1). */
  mtpLayers?: number;
  /** Precision the publisher released the weights in (e.g. `bf16`, `fp8-block`, `mxfp4`). */
  releasedWeightFormat: NumberFormatId;
  ref: SourceRef;
}

/** Per-tensor-group formats of a deployment (DESIGN §4). */
export interface PrecisionPlan {
  attention: NumberFormatId;
  denseMlp: NumberFormatId;
  experts: NumberFormatId;
  lmHead: NumberFormatId;
  kvCache: NumberFormatId;
  /** Activations: their format sets the tensor-core rate of every GEMM (unless weights need a slower one). */
  activations: NumberFormatId;
}

/** Speculative decoding / MTP: a sourced assumption per (model, drafter), never fitted. */
export interface SpeculativeAssumption {
  modelId: string;
  drafter: string;
  draftTokens: number;
  /** Mean accepted length τ per verification step (tokens emitted per step, incl. the bonus token). */
  meanAcceptanceLength: number;
  ref: SourceRef;
}
