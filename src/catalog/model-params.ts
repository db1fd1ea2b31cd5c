/**
 * Weight and attention-FLOP counts derived exactly from a `ModelArch`.
 *
 * Every count is a number of weights (parameters), not bytes: multiply by a format's
 * `bitsPerElement / 8` for bytes. Counts follow the Hugging Face / vLLM module layout of each
 * architecture family (Llama, Mixtral, DeepSeek-V3 MLA + MoE, gpt-oss, Qwen3 / Qwen3.5, GLM-5,
 * MiniMax-M2); sources are cited on each function.
 *
 * Deliberately not counted (each < 0.2 % of any catalogued model; `ModelArch` has no field for
 * them): linear-layer biases (gpt-oss attention/expert biases, attention sinks), per-head q/k
 * RMSNorms (Qwen3, MiniMax-M2), the DSA indexer of GLM-5 (≈ 9.4 M weights per layer), the
 * attention output gate of Qwen3.5 full-attention layers (q_proj is 2× wide there), the Qwen3.5
 * shared-expert gate, and MoE router biases (`e_score_correction_bias`).
 */
import type { AttentionSpec, LayerMix, ModelArch } from './types.js';

/**
 * Depthwise causal-conv kernel width of Gated DeltaNet layers (`linear_conv_kernel_dim`).
 * `LayerMix.linear` has no field for it; every released Gated DeltaNet model (Qwen3-Next,
 * Qwen3.5) uses 4 — Qwen/Qwen3.5-397B-A17B config.json `text_config.linear_conv_kernel_dim`,
 * stored in ai-dynamo/aiconfigurator src/aiconfigurator/model_configs/Qwen--Qwen3.5-397B-A17B_config.json.
 */
export const GATED_DELTANET_CONV_KERNEL = 4;

export interface ParamCounts {
  /** All weights of the main model (embedding counted once when tied); MTP heads excluded. */
  totalParams: number;
  /**
   * Weights one token reads in a forward pass: attention + linear attention + dense MLP +
   * shared experts + its `numActiveExperts` routed experts + routers + norms + LM head.
   * The input embedding is excluded (a row gather, not a matmul); the LM head is included
   * even when tied. Publishers differ: DeepSeek and Qwen add the input embedding to their
   * "activated" figures, OpenAI (gpt-oss) and Moonshot (Kimi) do not.
   */
  activeParamsPerToken: number;
  /** Input embedding, vocab·hidden. */
  embedding: number;
  /** Output projection, vocab·hidden; 0 when tied to the embedding. */
  lmHead: number;
  /** Softmax-attention projections (full + sliding-window layers). */
  attention: number;
  /** Dense MLPs: all layers of a dense model, the `numDenseLayers` leading layers of an MoE. */
  denseMlp: number;
  /** All routed experts of all MoE layers. */
  routedExperts: number;
  /** Shared experts of all MoE layers. */
  sharedExperts: number;
  /** Routed experts one token uses: numActiveExperts per MoE layer. */
  activeRoutedExperts: number;
  /** MoE router (gate) weights, hidden·numExperts per MoE layer. */
  router: number;
  /** Linear-attention (Gated DeltaNet) layer weights incl. their conv and gated norm. */
  linearAttention: number;
  /** RMSNorm weights: 2 per layer, the final norm, MLA q/kv latent norms. */
  norms: number;
  /** Multi-token-prediction modules (not in totalParams); embedding and head are shared. */
  mtp: number;
  /** Weights one MTP draft step reads (its layer with active experts only, plus the LM head). */
  mtpActivePerToken: number;
}

/** MLP weights: gated (SwiGLU: gate, up, down) = 3·hidden·inter, plain (up, down) = 2·hidden·inter. */
export function mlpParams(hiddenSize: number, intermediateSize: number, gated: boolean): number {
  return (gated ? 3 : 2) * hiddenSize * intermediateSize;
}

/**
 * Projection weights of one softmax-attention layer, and the norm weights inside it.
 *
 * GQA (Llama `LlamaAttention`): q = hidden·heads·headDim, k = v = hidden·kvHeads·headDim,
 * o = heads·headDim·hidden.
 *
 * MLA (DeepSeek-V3 `DeepseekV3Attention`, transformers modeling_deepseek_v3.py; vLLM
 * deepseek_v2.py): q_a = hidden·qLoraRank and q_b = qLoraRank·heads·(nope+rope), or
 * q_proj = hidden·heads·(nope+rope) when qLoraRank = 0; kv_a_proj_with_mqa =
 * hidden·(kvLoraRank+rope); kv_b = kvLoraRank·heads·(nope+v); o = heads·v·hidden. Norms:
 * q_a_layernorm (qLoraRank) and kv_a_layernorm (kvLoraRank).
 */
export function attentionLayerParams(
  spec: AttentionSpec,
  hiddenSize: number,
): { weights: number; norms: number } {
  if (spec.kind === 'gqa') {
    const q = hiddenSize * spec.numHeads * spec.headDim;
    const kv = 2 * hiddenSize * spec.numKvHeads * spec.headDim;
    const o = spec.numHeads * spec.headDim * hiddenSize;
    return { weights: q + kv + o, norms: 0 };
  }
  const qkHeadDim = spec.qkNopeHeadDim + spec.qkRopeHeadDim;
  const q =
    spec.qLoraRank > 0
      ? hiddenSize * spec.qLoraRank + spec.qLoraRank * spec.numHeads * qkHeadDim
      : hiddenSize * spec.numHeads * qkHeadDim;
  const kvA = hiddenSize * (spec.kvLoraRank + spec.qkRopeHeadDim);
  const kvB = spec.kvLoraRank * spec.numHeads * (spec.qkNopeHeadDim + spec.vHeadDim);
  const o = spec.numHeads * spec.vHeadDim * hiddenSize;
  const norms = (spec.qLoraRank > 0 ? spec.qLoraRank : 0) + spec.kvLoraRank;
  return { weights: q + kvA + kvB + o, norms };
}

/**
 * Weights of one Gated DeltaNet layer (transformers `Qwen3_5MoeGatedDeltaNet`,
 * modeling_qwen3_5_moe.py): with Kd = numKeyHeads·keyHeadDim, Vd = numValueHeads·valueHeadDim,
 * in_proj_qkv = hidden·(2·Kd + Vd), in_proj_z = hidden·Vd, in_proj_b = in_proj_a =
 * hidden·numValueHeads, depthwise conv1d = (2·Kd + Vd)·kernel (no bias), dt_bias and A_log =
 * numValueHeads each, gated RMSNorm = valueHeadDim, out_proj = Vd·hidden.
 */
export function linearAttentionLayerParams(
  linear: NonNullable<LayerMix['linear']>,
  hiddenSize: number,
): number {
  const keyDim = linear.numKeyHeads * linear.keyHeadDim;
  const valueDim = linear.numValueHeads * linear.valueHeadDim;
  const convDim = 2 * keyDim + valueDim;
  const inProj = hiddenSize * (convDim + valueDim + 2 * linear.numValueHeads);
  const conv = convDim * GATED_DELTANET_CONV_KERNEL;
  const perHead = 2 * linear.numValueHeads;
  const norm = linear.valueHeadDim;
  const outProj = valueDim * hiddenSize;
  return inProj + conv + perHead + norm + outProj;
}

/** Layers with softmax attention (full + sliding window). */
export function softmaxAttentionLayers(m: ModelArch): number {
  return m.layers.full + (m.layers.slidingWindow?.layers ?? 0);
}

/** Layers with an MoE block (all but the leading `numDenseLayers`); 0 for dense models. */
export function moeLayers(m: ModelArch): number {
  return m.moe ? m.numLayers - m.moe.numDenseLayers : 0;
}

function sharedIntermediate(m: ModelArch): number {
  if (!m.moe) return 0;
  return m.moe.sharedIntermediateSize ?? m.moe.numSharedExperts * m.moe.expertIntermediateSize;
}

/**
 * Weight counts of a model, by component. Formulas: see `attentionLayerParams`,
 * `linearAttentionLayerParams`, `mlpParams`; MoE layers hold numExperts routed experts
 * (each `mlpParams(hidden, expertIntermediateSize)`), the shared expert(s)
 * (`mlpParams(hidden, sharedIntermediateSize)`) and a router (hidden·numExperts).
 *
 * MTP modules follow DeepSeek-V3 (deepseek-ai/DeepSeek-V3 README_WEIGHTS.md: enorm, hnorm,
 * eh_proj 2·hidden→hidden, one decoder layer identical to the main layers, shared_head.norm;
 * embedding and output head shared with the main model). Qwen3.5 (`mtp.fc`, two pre-fc norms,
 * one full-attention MoE layer, final norm) and GLM-5 have the same shapes.
 */
export function countParams(m: ModelArch): ParamCounts {
  const h = m.hiddenSize;
  const embedding = m.vocabSize * h;
  const lmHead = m.tieWordEmbeddings ? 0 : m.vocabSize * h;

  const attnLayer = attentionLayerParams(m.attention, h);
  const nSoftmax = softmaxAttentionLayers(m);
  const attention = nSoftmax * attnLayer.weights;

  const linear = m.layers.linear;
  const linearAttention = linear ? linear.layers * linearAttentionLayerParams(linear, h) : 0;

  const nMoe = moeLayers(m);
  const nDense = m.numLayers - nMoe;
  const denseMlp = nDense * mlpParams(h, m.intermediateSize, m.gatedMlp);

  const expert = m.moe ? mlpParams(h, m.moe.expertIntermediateSize, m.gatedMlp) : 0;
  const sharedPerLayer = m.moe ? mlpParams(h, sharedIntermediate(m), m.gatedMlp) : 0;
  const routerPerLayer = m.moe ? h * m.moe.numExperts : 0;
  const routedExperts = m.moe ? nMoe * m.moe.numExperts * expert : 0;
  const activeRoutedExperts = m.moe ? nMoe * m.moe.numActiveExperts * expert : 0;
  const sharedExperts = nMoe * sharedPerLayer;
  const router = nMoe * routerPerLayer;

  const norms = m.numLayers * 2 * h + h + nSoftmax * attnLayer.norms;

  const totalParams =
    embedding +
    lmHead +
    attention +
    linearAttention +
    denseMlp +
    routedExperts +
    sharedExperts +
    router +
    norms;
  const headForward = m.vocabSize * h;
  const activeParamsPerToken =
    headForward +
    attention +
    linearAttention +
    denseMlp +
    sharedExperts +
    activeRoutedExperts +
    router +
    norms;

  const mtpLayers = m.mtpLayers ?? 0;
  const mtpFixed = 2 * h + 2 * h * h + h + 2 * h + attnLayer.weights + attnLayer.norms;
  const mtpMlpTotal = m.moe
    ? m.moe.numExperts * expert + sharedPerLayer + routerPerLayer
    : mlpParams(h, m.intermediateSize, m.gatedMlp);
  const mtpMlpActive = m.moe
    ? m.moe.numActiveExperts * expert + sharedPerLayer + routerPerLayer
    : mlpParams(h, m.intermediateSize, m.gatedMlp);
  const mtp = mtpLayers * (mtpFixed + mtpMlpTotal);
  const mtpActivePerToken = mtpLayers > 0 ? mtpFixed + mtpMlpActive + headForward : 0;

  return {
    totalParams,
    activeParamsPerToken,
    embedding,
    lmHead,
    attention,
    denseMlp,
    routedExperts,
    sharedExperts,
    activeRoutedExperts,
    router,
    linearAttention,
    norms,
    mtp,
    mtpActivePerToken,
  };
}

/** How MLA attention is evaluated: the weight-absorbed latent form or the expanded per-head form. */
export type MlaAttentionForm = 'absorbed' | 'expanded';

/**
 * FLOPs of one softmax-attention layer per (query token × attended key), a multiply-add = 2.
 *
 * GQA: QKᵀ 2·heads·headDim + PV 2·heads·headDim = 4·heads·headDim (KV-head sharing saves
 * memory traffic, not FLOPs).
 *
 * MLA, `absorbed` (default; decode kernels — FlashMLA, vLLM `MLACommonImpl` decode path /
 * `FlashMLABackend`): W_UK is folded into the query and W_UV into the output, so each key is
 * the kvLoraRank + ropeDim latent: QKᵀ 2·heads·(kvLoraRank+rope) + PV 2·heads·kvLoraRank
 * (DeepSeek-V3: 2·128·576 + 2·128·512 = 278,528).
 *
 * MLA, `expanded` (vLLM's prefill path, which up-projects K/V with kv_b and runs ordinary
 * attention): QKᵀ 2·heads·(nope+rope) + PV 2·heads·v (DeepSeek-V3: 2·128·192 + 2·128·128 =
 * 81,920). The kv_b up-projection itself is a per-key GEMM of 2·kvLoraRank·heads·(nope+v) that
 * prefill pays once per new key, not per query.
 */
export function attentionFlopsPerKeyPerLayer(
  spec: AttentionSpec,
  form: MlaAttentionForm = 'absorbed',
): number {
  if (spec.kind === 'gqa') return 4 * spec.numHeads * spec.headDim;
  if (form === 'absorbed') {
    return (
      2 * spec.numHeads * (spec.kvLoraRank + spec.qkRopeHeadDim) +
      2 * spec.numHeads * spec.kvLoraRank
    );
  }
  return (
    2 * spec.numHeads * (spec.qkNopeHeadDim + spec.qkRopeHeadDim) +
    2 * spec.numHeads * spec.vHeadDim
  );
}

/**
 * FLOPs per (query token × attended key) summed over all softmax-attention layers (full and
 * sliding-window). Multiply by the number of keys a query attends to — the caller caps keys
 * at the window for sliding layers and at `sparseTopKTokens` for DSA (see `attentionFlopsPerToken`).
 * Linear-attention layers are context-independent and excluded (see
 * `linearAttentionStateFlopsPerToken`).
 */
export function attentionFlopsPerTokenPerContextToken(
  m: ModelArch,
  form: MlaAttentionForm = 'absorbed',
): number {
  return softmaxAttentionLayers(m) * attentionFlopsPerKeyPerLayer(m.attention, form);
}

/**
 * Attention score/value FLOPs of one query token that sees `contextTokens` previous tokens
 * (including itself): full layers attend to min(context, sparseTopKTokens) keys, sliding
 * layers to min(context, windowTokens). Projections are not included (they are 2·weights per
 * token). The DSA indexer's own scoring over all keys is not included (no `ModelArch` field).
 */
export function attentionFlopsPerToken(
  m: ModelArch,
  contextTokens: number,
  form: MlaAttentionForm = 'absorbed',
): number {
  const perKey = attentionFlopsPerKeyPerLayer(m.attention, form);
  const fullKeys = Math.min(contextTokens, m.layers.sparseTopKTokens ?? contextTokens);
  const sw = m.layers.slidingWindow;
  const slidingFlops = sw ? sw.layers * perKey * Math.min(contextTokens, sw.windowTokens) : 0;
  return m.layers.full * perKey * fullKeys + slidingFlops;
}

/**
 * Context-independent FLOPs per token of the recurrent state update in linear-attention layers
 * (Gated DeltaNet, recurrent/decode form, transformers `torch_recurrent_gated_delta_rule`): per
 * value head the state S (keyHeadDim × valueHeadDim) is decayed (1 op/element), read with the
 * key (2), updated by the outer product (2) and read with the query (2) = 7·dk·dv; plus the
 * depthwise conv, 2·(2·Kd + Vd)·kernel. Projections are not included.
 */
export function linearAttentionStateFlopsPerToken(m: ModelArch): number {
  const linear = m.layers.linear;
  if (!linear) return 0;
  const keyDim = linear.numKeyHeads * linear.keyHeadDim;
  const valueDim = linear.numValueHeads * linear.valueHeadDim;
  const state = 7 * linear.numValueHeads * linear.keyHeadDim * linear.valueHeadDim;
  const conv = 2 * (2 * keyDim + valueDim) * GATED_DELTANET_CONV_KERNEL;
  return linear.layers * (state + conv);
}
