/**
 * Precision presets: a name a user writes (`precision: fp8`) → the format of every tensor group
 * on a given accelerator (DESIGN §4). Each preset is a function of the accelerator's capabilities
 * and whether the model has MoE experts, chosen from a registry map by name.
 *
 * The activation format sets the tensor-core rate of every GEMM; where a preset's preferred
 * activation format has no rate on the accelerator, the preset falls back to the format the
 * engines actually run there (e.g. NVFP4 weights with FP8 activations on Hopper, W4A8).
 */
import { AifError, ERROR_CODES } from '../core/errors.js';
import type { Accelerator, NumberFormatId, PrecisionPlan } from './types.js';

export interface PrecisionPresetArgs {
  accelerator: Accelerator;
  hasMoe: boolean;
}

export type PrecisionPreset = (args: PrecisionPresetArgs) => PrecisionPlan;

const hasFp8 = (a: Accelerator): boolean => a.peakFlopsPerSecond.fp8 !== undefined;
const hasFp4 = (a: Accelerator): boolean => a.peakFlopsPerSecond.fp4 !== undefined;
/**
 * NVFP4 (E4M3 scale per 16 elements) runs natively only on NVIDIA Blackwell-class tensor cores;
 * CDNA4 (MI355X) has an FP4 rate for OCP MX block scales (E8M0 per 32) but no NVFP4 mode.
 */
const hasNativeNvfp4 = (a: Accelerator): boolean => a.vendor === 'nvidia' && hasFp4(a);

/** FP8 activations where the accelerator has an FP8 rate, else BF16 (weight-only dequant, W8A16). */
const fp8OrBf16 = (a: Accelerator): NumberFormatId => (hasFp8(a) ? 'fp8' : 'bf16');

const uniform = (format: NumberFormatId): PrecisionPlan => ({
  attention: format,
  denseMlp: format,
  experts: format,
  lmHead: format,
  kvCache: format,
  activations: format,
});

const fp8Weights = (weights: 'fp8' | 'fp8-block', a: Accelerator): PrecisionPlan => ({
  attention: weights,
  denseMlp: weights,
  experts: weights,
  lmHead: 'bf16',
  kvCache: 'fp8',
  activations: fp8OrBf16(a),
});

const nvfp4: PrecisionPreset = ({ accelerator }) => ({
  attention: 'fp8',
  denseMlp: 'nvfp4',
  experts: 'nvfp4',
  lmHead: 'bf16',
  kvCache: 'fp8',
  activations: hasNativeNvfp4(accelerator) ? 'nvfp4' : fp8OrBf16(accelerator),
});

const int4WeightOnly = (activations: NumberFormatId): PrecisionPlan => ({
  attention: 'int4-wo',
  denseMlp: 'int4-wo',
  experts: 'int4-wo',
  lmHead: 'bf16',
  kvCache: 'bf16',
  activations,
});

const w4a8: PrecisionPreset = ({ accelerator }) => int4WeightOnly(fp8OrBf16(accelerator));

/**
 * The preset registry. Keys are what users write in `precision:`.
 */
export const PRECISION_PRESETS = {
  /**
   * `bf16`: every tensor group, KV cache and activations in BF16 — the unquantised baseline most
   * checkpoints ship in (Hugging Face `torch_dtype: bfloat16`).
   */
  bf16: () => uniform('bf16'),

  /** `fp16`: as `bf16` with IEEE half precision; same tensor-core rate and bytes. */
  fp16: () => uniform('fp16'),

  /**
   * `fp8`: per-tensor FP8 (E4M3) weights for attention, dense MLP and experts, FP8 activations
   * and FP8 KV cache; LM head kept in BF16 as TensorRT-LLM and vLLM FP8 checkpoints do
   * (TensorRT-LLM quantization docs https://nvidia.github.io/TensorRT-LLM/reference/precision.html ;
   * vLLM FP8 W8A8 https://docs.vllm.ai/en/latest/features/quantization/fp8.html). On an
   * accelerator without an FP8 rate, FP8 weights are dequantised to BF16 (vLLM's Marlin FP8
   * weight-only path), so activations are BF16.
   */
  fp8: ({ accelerator }) => fp8Weights('fp8', accelerator),

  /**
   * `fp8-block`: DeepSeek-V3-style block-scaled FP8 weights (one scale per 128×128 block;
   * arXiv:2412.19437 §3.3.2), FP8 activations with per-128 tile scales, FP8 KV cache, BF16 LM
   * head. Same fallback as `fp8`.
   */
  'fp8-block': ({ accelerator }) => fp8Weights('fp8-block', accelerator),

  /**
   * `nvfp4`: NVFP4 dense-MLP and expert weights, FP8 attention weights, FP8 KV cache, BF16 LM
   * head — the layout of NVIDIA's published NVFP4 checkpoints (e.g. nvidia/DeepSeek-R1-FP4 via
   * TensorRT Model Optimizer; NVIDIA blog "Introducing NVFP4"). Activations are NVFP4 on
   * accelerators with native NVFP4 tensor cores (NVIDIA Blackwell-class), otherwise FP8 (W4A8:
   * weights dequantised in the GEMM prologue), otherwise BF16.
   */
  nvfp4,

  /** `fp4`: alias of `nvfp4`. */
  fp4: nvfp4,

  /**
   * `mxfp4`: OCP MXFP4 expert weights with everything else in BF16 — the layout OpenAI shipped
   * gpt-oss in (openai/gpt-oss-120b config.json quantization_config: mxfp4 for MoE weights only;
   * vLLM gpt-oss recipe https://docs.vllm.ai/projects/recipes/en/latest/OpenAI/GPT-OSS.html).
   * On accelerators with an FP4 rate (Blackwell, MI355X) engines may run the MoE GEMMs at FP4 or
   * FP8 activations; aifactory assumes FP8 activations, the conservative choice. Elsewhere
   * (Hopper, CDNA3) the weights are dequantised and activations are BF16 (W4A16). For a dense
   * model (no experts) the dense MLP takes the MXFP4 weights instead.
   */
  mxfp4: ({ accelerator, hasMoe }) => ({
    attention: 'bf16',
    denseMlp: hasMoe ? 'bf16' : 'mxfp4',
    experts: 'mxfp4',
    lmHead: 'bf16',
    kvCache: 'bf16',
    activations: hasFp4(accelerator) ? fp8OrBf16(accelerator) : 'bf16',
  }),

  /**
   * `int4-wo`: AWQ/GPTQ-style INT4 weight-only quantisation (group size 128) of attention,
   * dense MLP and experts; BF16 activations and KV cache; BF16 LM head (vLLM AWQ/GPTQ Marlin
   * kernels https://docs.vllm.ai/en/latest/features/quantization/ ; TensorRT-LLM W4A16).
   */
  'int4-wo': () => int4WeightOnly('bf16'),

  /**
   * `w4a8`: INT4 weight-only weights with FP8 activations (TensorRT-LLM `W4A8_AWQ`,
   * https://nvidia.github.io/TensorRT-LLM/reference/precision.html); KV cache BF16 unless the
   * scenario overrides it. Without an FP8 rate this degrades to `int4-wo`.
   */
  w4a8,

  /** `int4-fp8`: alias of `w4a8`. */
  'int4-fp8': w4a8,
} satisfies Record<string, PrecisionPreset>;

export type PrecisionPresetName = keyof typeof PRECISION_PRESETS;

const PRESETS: Readonly<Record<string, PrecisionPreset>> = PRECISION_PRESETS;

export const isPrecisionPresetName = (name: string): name is PrecisionPresetName =>
  Object.prototype.hasOwnProperty.call(PRESETS, name);

/**
 * Resolve a preset name to a per-tensor-group plan on an accelerator.
 * @throws AifError E_PRECISION_UNSUPPORTED for an unknown name, listing the known presets.
 */
export function resolvePrecision(
  name: string,
  accelerator: Accelerator,
  hasMoe: boolean,
): PrecisionPlan {
  const preset = isPrecisionPresetName(name) ? PRESETS[name] : undefined;
  if (!preset) {
    const known = Object.keys(PRESETS).sort().join(', ');
    throw new AifError(
      ERROR_CODES.PRECISION_UNSUPPORTED,
      `resolvePrecision: unknown precision preset '${name}' (known: ${known})`,
      [
        {
          path: 'precision',
          message: `unknown precision preset '${name}'`,
          value: name,
          expected: `one of: ${known}`,
        },
      ],
    );
  }
  return preset({ accelerator, hasMoe });
}
