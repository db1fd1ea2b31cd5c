/**
 * A Llama-architecture GGUF with deterministic random weights and a minimal SentencePiece-style
 * vocabulary, generated at run time so the project can drive a real llama.cpp engine without
 * downloading a model (issue 5 item 4). Tensor names and shapes are llama.cpp's `LLM_ARCH_LLAMA`
 * ones (`token_embd.weight`, `blk.N.attn_{norm,q,k,v,output}.weight`,
 * `blk.N.ffn_{norm,gate,up,down}.weight`, `output_norm.weight`, `output.weight`), dimensions
 * innermost first as ggml stores them (a `[out, in]` PyTorch weight is `ne = [in, out]`).
 *
 * Weights: F16 (or F32 for norms, which are all 1), uniform in (−a, a) with a = 0.035
 * (σ = a/√3 ≈ 0.02, GPT-2-style init) so activations stay near unit scale through the layers.
 * Values come from xoshiro128** seeded per tensor from `core/rng` (`${seed}/gguf/${name}`), so
 * the same seed and shape give the same bytes.
 *
 * Vocabulary (`tokenizer.ggml.model = "llama"`, SPM): 0 `<unk>` (type 2, unknown), 1 `<s>` and
 * 2 `</s>` (type 3, control), the 256 byte tokens `<0x00>`…`<0xFF>` (type 6, byte — SPM byte
 * fallback, so any text tokenizes), then normal tokens (type 1): `▁` + a letter or a letter pair,
 * with decreasing scores, up to `vocabSize`.
 */
import { createRng, xoshiro128ss } from '../../core/rng.js';
import {
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

/** Elements per chunk handed to the writer (4 MiB of F16). */
const CHUNK_ELEMENTS = 1 << 21;

function randomF16Tensor(name: string, dims: number[], seed: number): GgufTensor {
  return {
    name,
    dims,
    type: 'f16',
    writeData(sink) {
      const table = uniformF16Table();
      const rng = createRng(seed, `gguf/${name}`);
      const state = new Uint32Array(4);
      for (let i = 0; i < 4; i++) state[i] = Math.floor(rng.next() * 4294967296);
      if (state.every((w) => w === 0)) state[0] = 1;
      const nextU32 = xoshiro128ss(state);
      let left = dims.reduce((a, d) => a * d, 1);
      const chunk = new Uint16Array(Math.min(CHUNK_ELEMENTS, left + (left % 2)));
      while (left > 0) {
        const n = Math.min(chunk.length, left);
        for (let i = 0; i < n; i += 2) {
          const r = nextU32();
          chunk[i] = table[r & 0xffff]!;
          chunk[i + 1] = table[r >>> 16]!;
        }
        sink(new Uint8Array(chunk.buffer, 0, n * 2));
        left -= n;
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
): GgufFile {
  const s = shape;
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
    ['general.file_type', u32(1)], // LLAMA_FTYPE_MOSTLY_F16
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
  const tensors: GgufTensor[] = [randomF16Tensor('token_embd.weight', [h, s.vocabSize], seed)];
  for (let l = 0; l < s.numLayers; l++) {
    const p = `blk.${l}`;
    tensors.push(
      onesF32Tensor(`${p}.attn_norm.weight`, h),
      randomF16Tensor(`${p}.attn_q.weight`, [h, h], seed),
      randomF16Tensor(`${p}.attn_k.weight`, [h, kvDim], seed),
      randomF16Tensor(`${p}.attn_v.weight`, [h, kvDim], seed),
      randomF16Tensor(`${p}.attn_output.weight`, [h, h], seed),
      onesF32Tensor(`${p}.ffn_norm.weight`, h),
      randomF16Tensor(`${p}.ffn_gate.weight`, [h, s.intermediateSize], seed),
      randomF16Tensor(`${p}.ffn_up.weight`, [h, s.intermediateSize], seed),
      randomF16Tensor(`${p}.ffn_down.weight`, [s.intermediateSize, h], seed),
    );
  }
  tensors.push(
    onesF32Tensor('output_norm.weight', h),
    randomF16Tensor('output.weight', [h, s.vocabSize], seed),
  );
  return { metadata, tensors, alignment: 32 };
}

export interface WrittenModel {
  path: string;
  shape: LlamaShape;
  seed: number;
  fileBytes: number;
  /** Bytes of all tensors (weights), without header and padding. */
  weightBytes: number;
  params: number;
}

/** Write a random Llama GGUF of `shape` to `path`. Deterministic in (shape, seed). */
export function writeRandomLlamaGguf(path: string, shape: LlamaShape, seed: number): WrittenModel {
  const file = randomLlamaGguf(shape, seed);
  const fileBytes = writeGguf(path, file);
  return {
    path,
    shape,
    seed,
    fileBytes,
    weightBytes: file.tensors.reduce((a, t) => a + tensorBytes(t), 0),
    params: llamaParams(shape),
  };
}
