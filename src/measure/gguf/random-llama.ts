/**
 * A Llama-architecture GGUF with deterministic random weights and a minimal SentencePiece-style
 * vocabulary, generated at run time so the project can drive a real llama.cpp engine without
 * downloading a model (issue 5 item 4). Tensor names and shapes are llama.cpp's `LLM_ARCH_LLAMA`
 * ones (`token_embd.weight`, `blk.N.attn_{norm,q,k,v,output}.weight`,
 * `blk.N.ffn_{norm,gate,up,down}.weight`, `output_norm.weight`, `output.weight`), dimensions
 * innermost first as ggml stores them (a `[out, in]` PyTorch weight is `ne = [in, out]`).
 *
 * Weights: F16 or Q8_0 (F32 for norms, which are all 1), uniform in (−a, a) with a = 0.035
 * (σ = a/√3 ≈ 0.02, GPT-2-style init) so activations stay near unit scale through the layers.
 * Values come from xoshiro128** seeded per tensor from `core/rng` (`${seed}/gguf/${name}`), so
 * the same seed, shape and format give the same bytes. Q8_0 tensors hold the same kind of
 * uniform values quantized block by block exactly as ggml's reference quantizer does
 * (`quantize_row_q8_0_ref`: d = max|x| / 127, q = round(x / d) half away from zero): the format
 * llama.cpp's CPU backend runs with int8 dot products (activations quantized to Q8_0 too).
 *
 * Vocabulary (`tokenizer.ggml.model = "llama"`, SPM): 0 `<unk>` (type 2, unknown), 1 `<s>` and
 * 2 `</s>` (type 3, control), the 256 byte tokens `<0x00>`…`<0xFF>` (type 6, byte — SPM byte
 * fallback, so any text tokenizes), then normal tokens (type 1): `▁` + a letter or a letter pair,
 * with decreasing scores, up to `vocabSize`.
 */
import { createRng, xoshiro128ss } from '../../core/rng.js';
import {
  QK8_0,
  Q8_0_BLOCK_BYTES,
  tensorBytes,
  writeGguf,
  type GgufFile,
  type GgufTensor,
  type GgufValue,
} from './gguf-writer.js';

export interface LlamaShape {
  numLayers: number;
  hiddenSize: number;
  numHeads: number;
  numKvHeads: number;
  intermediateSize: number;
  vocabSize: number;
  /** `llama.context_length` (training context) written to the file. */
  contextLength: number;
  ropeTheta: number;
  rmsNormEps: number;
}

/**
 * ~1 GB F16: TinyLlama-1.1B's layer shape (hidden 2048, 32 heads of 64, 4 KV heads, SwiGLU
 * 5632) with 12 layers instead of 22 and a 512-token vocabulary: 528.5 M parameters,
 * 1.057 GB of weights — decode at small batch on a CPU is memory-bound.
 */
export const LLAMA_1GB_SHAPE: LlamaShape = {
  numLayers: 12,
  hiddenSize: 2048,
  numHeads: 32,
  numKvHeads: 4,
  intermediateSize: 5632,
  vocabSize: 512,
  contextLength: 4096,
  ropeTheta: 10000,
  rmsNormEps: 1e-5,
};

/**
 * ~1 GB Q8_0: TinyLlama-1.1B's full 22 layers (hidden 2048, 32 heads of 64, 4 KV heads, SwiGLU
 * 5632) with a 512-token vocabulary: 971.0 M parameters, 1.032 GB of Q8_0 weights (8.5 bits
 * each) — as large as the F16 model, so decode at small batch reads ~1 GB per step.
 */
export const LLAMA_1GB_Q8_0_SHAPE: LlamaShape = { ...LLAMA_1GB_SHAPE, numLayers: 22 };

/** Weight formats the generator writes: GGUF F16 or Q8_0 (norms are F32 either way). */
export type RandomLlamaWeightFormat = 'f16' | 'q8_0';

/** `general.file_type` (llama.h `llama_ftype`): LLAMA_FTYPE_MOSTLY_F16 = 1, _Q8_0 = 7. */
export const LLAMA_FTYPE: Record<RandomLlamaWeightFormat, number> = { f16: 1, q8_0: 7 };

/** A few MB, for tests: 2 layers, hidden 256, 4 heads of 64, 2 KV heads, MLP 512. */
export const LLAMA_TINY_SHAPE: LlamaShape = {
  numLayers: 2,
  hiddenSize: 256,
  numHeads: 4,
  numKvHeads: 2,
  intermediateSize: 512,
  vocabSize: 512,
  contextLength: 2048,
  ropeTheta: 10000,
  rmsNormEps: 1e-5,
};

/** Half-width of the uniform weight distribution (σ = a/√3 ≈ 0.02). */
export const WEIGHT_HALF_RANGE = 0.035;

const TOKEN_TYPE = { normal: 1, unknown: 2, control: 3, byte: 6 } as const;

export interface MinimalVocab {
  tokens: string[];
  scores: Float32Array;
  tokenTypes: Int32Array;
  unkId: number;
  bosId: number;
  eosId: number;
}

/** The vocabulary described in the module comment; `vocabSize` ≥ 259 + 26. */
export function minimalVocab(vocabSize: number): MinimalVocab {
  if (!Number.isInteger(vocabSize) || vocabSize < 259 + 26)
    throw new RangeError(`minimalVocab: vocabSize must be an integer ≥ 285, got ${vocabSize}`);
  const tokens: string[] = ['<unk>', '<s>', '</s>'];
  const types: number[] = [TOKEN_TYPE.unknown, TOKEN_TYPE.control, TOKEN_TYPE.control];
  for (let b = 0; b < 256; b++) {
    tokens.push(`<0x${b.toString(16).toUpperCase().padStart(2, '0')}>`);
    types.push(TOKEN_TYPE.byte);
  }
  const letters = 'abcdefghijklmnopqrstuvwxyz';
  const pieces: string[] = ['▁'];
  for (const a of letters) pieces.push(`▁${a}`, a);
  for (const a of letters) for (const b of letters) pieces.push(`${a}${b}`);
  for (const p of pieces) {
    if (tokens.length >= vocabSize) break;
    tokens.push(p);
    types.push(TOKEN_TYPE.normal);
  }
  const scores = new Float32Array(tokens.length);
  // SPM merges prefer higher scores; normal pieces score −(rank), specials and bytes 0.
  for (let i = 259; i < tokens.length; i++) scores[i] = -(i - 259);
  return {
    tokens,
    scores,
    tokenTypes: Int32Array.from(types),
    unkId: 0,
    bosId: 1,
    eosId: 2,
  };
}

/** Parameters of the shape (embedding and untied LM head included). */
export function llamaParams(s: LlamaShape): number {
  const headDim = s.hiddenSize / s.numHeads;
  const kv = s.numKvHeads * headDim;
  const perLayer =
    2 * s.hiddenSize * s.hiddenSize + // q, o
    2 * s.hiddenSize * kv + // k, v
    3 * s.hiddenSize * s.intermediateSize + // gate, up, down
    2 * s.hiddenSize; // norms
  return s.numLayers * perLayer + 2 * s.vocabSize * s.hiddenSize + s.hiddenSize;
}

const f32Buffer = new Float32Array(1);
const u32View = new Uint32Array(f32Buffer.buffer);

/** IEEE 754 binary16 bits of `v` (round to nearest even; overflow → ±∞; subnormals kept). */
export function float32ToFloat16Bits(v: number): number {
  f32Buffer[0] = v;
  const x = u32View[0]!;
  const sign = (x >>> 16) & 0x8000;
  const exp = (x >>> 23) & 0xff;
  let mant = x & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 : 0);
  const e = exp - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign;
    mant |= 0x800000;
    const shift = 14 - e;
    let half = mant >>> shift;
    const rem = mant & ((1 << shift) - 1);
    const mid = 1 << (shift - 1);
    if (rem > mid || (rem === mid && (half & 1) === 1)) half++;
    return sign | half;
  }
  let half = (e << 10) | (mant >>> 13);
  const rem = mant & 0x1fff;
  // A carry out of the mantissa correctly bumps the exponent (and reaches ∞ at the top).
  if (rem > 0x1000 || (rem === 0x1000 && (half & 1) === 1)) half++;
  return sign | half;
}

/** binary16 bits → number (for tests and the reader). */
export function float16BitsToNumber(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >>> 10) & 0x1f;
  const mant = h & 0x3ff;
  if (exp === 0) return sign * mant * 2 ** -24;
  if (exp === 0x1f) return mant ? NaN : sign * Infinity;
  return sign * (1 + mant / 1024) * 2 ** (exp - 15);
}

/** 65,536 F16 values evenly spread over (−a, a): a random uint16 indexes it. */
let uniformTable: Uint16Array | undefined;
function uniformF16Table(): Uint16Array {
  if (uniformTable) return uniformTable;
  const t = new Uint16Array(65536);
  for (let i = 0; i < 65536; i++)
    t[i] = float32ToFloat16Bits((((i + 0.5) / 65536) * 2 - 1) * WEIGHT_HALF_RANGE);
  uniformTable = t;
  return t;
}

/**
 * A tensor's raw 32-bit stream: xoshiro128** seeded from the tensor's named stream (the named
 * stream picks the state, the fast generator fills gigabytes); an all-zero state is nudged, as
 * xoshiro requires.
 */
function tensorU32Stream(seed: number, name: string): () => number {
  const rng = createRng(seed, `gguf/${name}`);
  const state = new Uint32Array(4);
  for (let i = 0; i < 4; i++) state[i] = Math.floor(rng.next() * 4294967296);
  if (state.every((w) => w === 0)) state[0] = 1;
  return xoshiro128ss(state);
}

/** The first `n` elements of `out` (n even) from `table`, two 16-bit indices per 32-bit draw. */
function fillFromTable<T extends Uint16Array | Float32Array>(
  out: T,
  n: number,
  table: T,
  nextU32: () => number,
): void {
  for (let i = 0; i < n; i += 2) {
    const r = nextU32();
    out[i] = table[r & 0xffff]!;
    out[i + 1] = table[r >>> 16]!;
  }
}

/** Elements per chunk handed to the writer (4 MiB of F16). */
const CHUNK_ELEMENTS = 1 << 21;

function randomF16Tensor(name: string, dims: number[], seed: number): GgufTensor {
  return {
    name,
    dims,
    type: 'f16',
    writeData(sink) {
      const table = uniformF16Table();
      const nextU32 = tensorU32Stream(seed, name);
      let left = dims.reduce((a, d) => a * d, 1);
      const chunk = new Uint16Array(Math.min(CHUNK_ELEMENTS, left + (left % 2)));
      while (left > 0) {
        const n = Math.min(chunk.length, left);
        fillFromTable(chunk, n, table, nextU32);
        sink(new Uint8Array(chunk.buffer, 0, n * 2));
        left -= n;
      }
    },
  };
}

/** 65,536 float32 values evenly spread over (−a, a): a random uint16 indexes it. */
let uniformF32: Float32Array | undefined;
function uniformF32Table(): Float32Array {
  if (uniformF32) return uniformF32;
  const t = new Float32Array(65536);
  for (let i = 0; i < 65536; i++) t[i] = (((i + 0.5) / 65536) * 2 - 1) * WEIGHT_HALF_RANGE;
  uniformF32 = t;
  return t;
}

/** C `roundf`: to nearest, halves away from zero (Math.round sends −2.5 to −2). */
const roundHalfAway = (x: number): number => (x < 0 ? -Math.round(-x) : Math.round(x));

/**
 * Quantize `x` (length a multiple of 32) to Q8_0 blocks written into `out` at `offset`, as
 * ggml's `quantize_row_q8_0_ref` does: per block of 32, d = max|x| / 127 stored as binary16
 * (little-endian), then the 32 quants round(x · (1/d)) as int8 (0 when the block is all zero).
 */
export function quantizeQ8_0(x: ArrayLike<number>, out: Uint8Array, offset = 0): void {
  if (x.length % QK8_0 !== 0)
    throw new RangeError(`quantizeQ8_0: length ${x.length} is not a multiple of ${QK8_0}`);
  // Math.fround: ggml computes d, 1/d and x·(1/d) in float32.
  for (let b = 0, o = offset; b < x.length; b += QK8_0, o += Q8_0_BLOCK_BYTES) {
    let amax = 0;
    for (let j = 0; j < QK8_0; j++) {
      const a = Math.abs(x[b + j]!);
      if (a > amax) amax = a;
    }
    const d = Math.fround(amax / 127);
    const id = d ? Math.fround(1 / d) : 0;
    const h = float32ToFloat16Bits(d);
    out[o] = h & 0xff;
    out[o + 1] = h >>> 8;
    for (let j = 0; j < QK8_0; j++)
      out[o + 2 + j] = roundHalfAway(Math.fround(x[b + j]! * id)) & 0xff;
  }
}

/** Q8_0 blocks → values (`d · q`), as ggml's `dequantize_row_q8_0`. */
export function dequantizeQ8_0(bytes: Uint8Array, elements: number, offset = 0): Float32Array {
  if (elements % QK8_0 !== 0)
    throw new RangeError(`dequantizeQ8_0: ${elements} elements is not a multiple of ${QK8_0}`);
  const y = new Float32Array(elements);
  for (let b = 0, o = offset; b < elements; b += QK8_0, o += Q8_0_BLOCK_BYTES) {
    const d = float16BitsToNumber(bytes[o]! | (bytes[o + 1]! << 8));
    for (let j = 0; j < QK8_0; j++) y[b + j] = d * ((bytes[o + 2 + j]! << 24) >> 24);
  }
  return y;
}

/** Blocks per chunk handed to the writer (65,536 blocks of 34 bytes ≈ 2.2 MB). */
const CHUNK_BLOCKS = 1 << 16;

/** Random uniform values in (−a, a), quantized block by block to Q8_0. */
function randomQ8_0Tensor(name: string, dims: number[], seed: number): GgufTensor {
  return {
    name,
    dims,
    type: 'q8_0',
    writeData(sink) {
      const table = uniformF32Table();
      const nextU32 = tensorU32Stream(seed, name);
      let blocksLeft = tensorBytes({ name, dims, type: 'q8_0' }) / Q8_0_BLOCK_BYTES;
      const values = new Float32Array(Math.min(CHUNK_BLOCKS, blocksLeft) * QK8_0);
      const chunk = new Uint8Array((values.length / QK8_0) * Q8_0_BLOCK_BYTES);
      while (blocksLeft > 0) {
        const blocks = Math.min(CHUNK_BLOCKS, blocksLeft);
        const n = blocks * QK8_0;
        fillFromTable(values, n, table, nextU32);
        quantizeQ8_0(values.subarray(0, n), chunk);
        sink(chunk.subarray(0, blocks * Q8_0_BLOCK_BYTES));
        blocksLeft -= blocks;
      }
    },
  };
}

function onesF32Tensor(name: string, length: number): GgufTensor {
  return {
    name,
    dims: [length],
    type: 'f32',
    writeData(sink) {
      sink(new Uint8Array(new Float32Array(length).fill(1).buffer));
    },
  };
}

/** The GGUF description (metadata and tensors) of a random Llama model of `shape`. */
export function randomLlamaGguf(
  shape: LlamaShape,
  seed: number,
  name = 'aifactory-random-llama',
  weightFormat: RandomLlamaWeightFormat = 'f16',
): GgufFile {
  const s = shape;
  const randomTensor = weightFormat === 'q8_0' ? randomQ8_0Tensor : randomF16Tensor;
  if (s.hiddenSize % s.numHeads !== 0 || s.numHeads % s.numKvHeads !== 0)
    throw new RangeError(
      'randomLlamaGguf: hiddenSize % numHeads and numHeads % numKvHeads must be 0',
    );
  const headDim = s.hiddenSize / s.numHeads;
  const kvDim = s.numKvHeads * headDim;
  const vocab = minimalVocab(s.vocabSize);
  const u32 = (value: number): GgufValue => ({ type: 'uint32', value });
  const metadata: [string, GgufValue][] = [
    ['general.architecture', { type: 'string', value: 'llama' }],
    ['general.name', { type: 'string', value: name }],
    ['general.file_type', u32(LLAMA_FTYPE[weightFormat])],
    ['general.alignment', u32(32)],
    ['llama.context_length', u32(s.contextLength)],
    ['llama.embedding_length', u32(s.hiddenSize)],
    ['llama.block_count', u32(s.numLayers)],
    ['llama.feed_forward_length', u32(s.intermediateSize)],
    ['llama.attention.head_count', u32(s.numHeads)],
    ['llama.attention.head_count_kv', u32(s.numKvHeads)],
    ['llama.rope.dimension_count', u32(headDim)],
    ['llama.rope.freq_base', { type: 'float32', value: s.ropeTheta }],
    ['llama.attention.layer_norm_rms_epsilon', { type: 'float32', value: s.rmsNormEps }],
    ['llama.vocab_size', u32(s.vocabSize)],
    ['tokenizer.ggml.model', { type: 'string', value: 'llama' }],
    ['tokenizer.ggml.tokens', { type: 'array', itemType: 'string', values: vocab.tokens }],
    ['tokenizer.ggml.scores', { type: 'array', itemType: 'float32', values: vocab.scores }],
    ['tokenizer.ggml.token_type', { type: 'array', itemType: 'int32', values: vocab.tokenTypes }],
    ['tokenizer.ggml.unknown_token_id', u32(vocab.unkId)],
    ['tokenizer.ggml.bos_token_id', u32(vocab.bosId)],
    ['tokenizer.ggml.eos_token_id', u32(vocab.eosId)],
    ['tokenizer.ggml.add_bos_token', { type: 'bool', value: true }],
    ['tokenizer.ggml.add_eos_token', { type: 'bool', value: false }],
  ];
  const h = s.hiddenSize;
  const tensors: GgufTensor[] = [randomTensor('token_embd.weight', [h, s.vocabSize], seed)];
  for (let l = 0; l < s.numLayers; l++) {
    const p = `blk.${l}`;
    tensors.push(
      onesF32Tensor(`${p}.attn_norm.weight`, h),
      randomTensor(`${p}.attn_q.weight`, [h, h], seed),
      randomTensor(`${p}.attn_k.weight`, [h, kvDim], seed),
      randomTensor(`${p}.attn_v.weight`, [h, kvDim], seed),
      randomTensor(`${p}.attn_output.weight`, [h, h], seed),
      onesF32Tensor(`${p}.ffn_norm.weight`, h),
      randomTensor(`${p}.ffn_gate.weight`, [h, s.intermediateSize], seed),
      randomTensor(`${p}.ffn_up.weight`, [h, s.intermediateSize], seed),
      randomTensor(`${p}.ffn_down.weight`, [s.intermediateSize, h], seed),
    );
  }
  tensors.push(
    onesF32Tensor('output_norm.weight', h),
    randomTensor('output.weight', [h, s.vocabSize], seed),
  );
  return { metadata, tensors, alignment: 32 };
}

export interface WrittenModel {
  path: string;
  shape: LlamaShape;
  seed: number;
  weightFormat: RandomLlamaWeightFormat;
  fileBytes: number;
  /** Bytes of all tensors (weights), without header and padding. */
  weightBytes: number;
  params: number;
}

/** Write a random Llama GGUF of `shape` to `path`. Deterministic in (shape, seed, format). */
export function writeRandomLlamaGguf(
  path: string,
  shape: LlamaShape,
  seed: number,
  weightFormat: RandomLlamaWeightFormat = 'f16',
): WrittenModel {
  const file = randomLlamaGguf(shape, seed, 'aifactory-random-llama', weightFormat);
  const fileBytes = writeGguf(path, file);
  return {
    path,
    shape,
    seed,
    weightFormat,
    fileBytes,
    weightBytes: file.tensors.reduce((a, t) => a + tensorBytes(t), 0),
    params: llamaParams(shape),
  };
}
