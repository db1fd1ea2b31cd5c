/**
 * Number formats: storage bits per element (scale factors included) and the tensor-core rate a
 * format computes at when it is the activation format. Weight-only formats (`int4-wo`,
 * `int8-wo`) have no rate of their own: their GEMMs run at the activation format's rate after
 * dequantisation (DESIGN §4).
 *
 * Scale overhead is `scaleBits / elementsPerScale`; a per-tensor fp32 scale is negligible and
 * left out.
 */
import type { SourceRef } from '../core/source.js';
import type { NumberFormat } from './types.js';

/** Storage bits of a block-scaled format: element bits plus one scale amortised over its block. */
const blockScaled = (elementBits: number, scaleBits: number, elementsPerScale: number): number =>
  elementBits + scaleBits / elementsPerScale;

const IEEE_754: SourceRef = {
  source:
    'IEEE 754-2019 (binary32, binary16); bfloat16 as defined in Google Cloud TPU docs https://cloud.google.com/tpu/docs/bfloat16',
  date: '2019',
  provenance: 'vendor-spec',
};

const FP8_FORMATS: SourceRef = {
  source:
    'Micikevicius et al., "FP8 Formats for Deep Learning", arXiv:2209.05433 (E4M3/E5M2); NVIDIA Transformer Engine docs https://docs.nvidia.com/deeplearning/transformer-engine/user-guide/examples/fp8_primer.html',
  date: '2022-09',
  provenance: 'vendor-spec',
};

export const NUMBER_FORMATS: NumberFormat[] = [
  {
    id: 'fp32',
    bitsPerElement: 32,
    computeRate: 'bf16',
    weightOnly: false,
    ref: {
      ...IEEE_754,
      note: 'aifactory never runs fp32 GEMMs on tensor cores; fp32 tensors (e.g. router logits, norms) are mapped to the bf16 rate so a plan that names fp32 still resolves. Catalogued accelerators publish no dense fp32 tensor rate we model.',
    },
  },
  { id: 'bf16', bitsPerElement: 16, computeRate: 'bf16', weightOnly: false, ref: IEEE_754 },
  {
    id: 'fp16',
    bitsPerElement: 16,
    computeRate: 'bf16',
    weightOnly: false,
    ref: {
      ...IEEE_754,
      note: 'fp16 and bf16 share the same dense tensor-core rate on every catalogued accelerator.',
    },
  },
  { id: 'fp8', bitsPerElement: 8, computeRate: 'fp8', weightOnly: false, ref: FP8_FORMATS },
  {
    id: 'fp8-block',
    bitsPerElement: blockScaled(8, 32, 128 * 128),
    computeRate: 'fp8',
    weightOnly: false,
    ref: {
      source:
        'DeepSeek-V3 Technical Report, arXiv:2412.19437 §3.3.2 (weights scaled per 128x128 block, activations per 1x128 tile); deepseek-ai/DeepSeek-V3 config.json quantization_config weight_block_size [128, 128]',
      date: '2024-12',
      provenance: 'published-config',
      note: 'Weights: 8 bits + one fp32 scale per 128x128 block = 8 + 32/16384 ≈ 8.002 bits.',
    },
  },
  {
    id: 'int8',
    bitsPerElement: 8,
    computeRate: 'int8',
    weightOnly: false,
    ref: {
      source:
        'Xiao et al., "SmoothQuant", arXiv:2211.10438 (W8A8 int8 with per-channel/per-token scales)',
      date: '2022-11',
      provenance: 'third-party',
      note: 'Per-channel and per-token scales are negligible in storage.',
    },
  },
  {
    id: 'nvfp4',
    bitsPerElement: blockScaled(4, 8, 16),
    computeRate: 'fp4',
    weightOnly: false,
    ref: {
      source:
        'NVIDIA Technical Blog, "Introducing NVFP4 for Efficient and Accurate Low-Precision Inference" https://developer.nvidia.com/blog/introducing-nvfp4-for-efficient-and-accurate-low-precision-inference/',
      date: '2025-06',
      provenance: 'vendor-spec',
      note: 'E2M1 elements + one FP8 (E4M3) scale per 16 elements = 4 + 8/16 = 4.5 bits; plus one fp32 per-tensor scale (negligible).',
    },
  },
  {
    id: 'mxfp4',
    bitsPerElement: blockScaled(4, 8, 32),
    computeRate: 'fp4',
    weightOnly: false,
    ref: {
      source:
        'Open Compute Project, "OCP Microscaling Formats (MX) Specification v1.0" https://www.opencompute.org/documents/ocp-microscaling-formats-mx-v1-0-spec-final-pdf',
      date: '2023-09',
      provenance: 'vendor-spec',
      note: 'E2M1 elements + one E8M0 shared scale per block of 32 = 4 + 8/32 = 4.25 bits.',
    },
  },
  {
    id: 'int4-wo',
    bitsPerElement: blockScaled(4, 16, 128),
    computeRate: null,
    weightOnly: true,
    ref: {
      source:
        'Lin et al., "AWQ", arXiv:2306.00978 and Frantar et al., "GPTQ", arXiv:2210.17323 (group size 128 is the default of both reference implementations)',
      date: '2023-06',
      provenance: 'third-party',
      note: 'int4 weights + one 16-bit scale per group of 128 = 4 + 16/128 = 4.125 bits (symmetric; asymmetric checkpoints add a 4-bit zero point per group, +0.03 bits, ignored). Dequantised to the activation format before the GEMM.',
    },
  },
  {
    id: 'int8-wo',
    bitsPerElement: blockScaled(8, 16, 128),
    computeRate: null,
    weightOnly: true,
    ref: {
      source:
        'TensorRT-LLM quantization docs (INT8 weight-only, W8A16) https://nvidia.github.io/TensorRT-LLM/reference/precision.html; group-128 scale convention as for AWQ/GPTQ',
      date: '2024',
      provenance: 'assumption',
      note: 'int8 weights + one 16-bit scale per group of 128 = 8.125 bits; per-channel scaling (also common) would be ≈ 8.0 bits. Dequantised to the activation format before the GEMM.',
    },
  },
  {
    id: 'q8_0',
    bitsPerElement: blockScaled(8, 16, 32),
    computeRate: 'int8',
    weightOnly: false,
    ref: {
      source:
        'ggml GGML_TYPE_Q8_0 (id 8): block_q8_0 in ggml/src/ggml-common.h (QK8_0 = 32; one ggml_half scale d + int8 qs[32], value = d·q); CPU vec_dot_q8_0_q8_0 in ggml/src/ggml-cpu (activations quantized to Q8_0, int8 dot products)',
      date: '2023-2025',
      provenance: 'vendor-spec',
      note: 'int8 elements + one binary16 scale per block of 32 = 8 + 16/32 = 8.5 bits (34 bytes per 32 weights). llama.cpp quantizes the activations to Q8_0 as well and multiplies with integer dot products (AVX-512 VNNI / AVX2), so a Q8_0 GEMM runs at the int8 rate.',
    },
  },
];
