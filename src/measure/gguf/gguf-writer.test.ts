import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readGgufHeader } from './gguf-reader.js';
import { GGML_TYPE, ggufHeader, tensorBytes, writeGguf } from './gguf-writer.js';
import {
  dequantizeQ8_0,
  float16BitsToNumber,
  float32ToFloat16Bits,
  LLAMA_1GB_Q8_0_SHAPE,
  LLAMA_1GB_SHAPE,
  LLAMA_TINY_SHAPE,
  llamaParams,
  minimalVocab,
  quantizeQ8_0,
  randomLlamaGguf,
  writeRandomLlamaGguf,
} from './random-llama.js';

const dir = mkdtempSync(join(tmpdir(), 'aif-gguf-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('GGUF v3 writer', () => {
  it('writes the magic, version 3, the counts and every metadata value so a reader gets them back', () => {
    const path = join(dir, 'kv.gguf');
    writeGguf(path, {
      metadata: [
        ['general.architecture', { type: 'string', value: 'llama' }],
        ['a.u32', { type: 'uint32', value: 7 }],
        ['a.f32', { type: 'float32', value: 0.5 }],
        ['a.bool', { type: 'bool', value: true }],
        ['a.strs', { type: 'array', itemType: 'string', values: ['x', 'yz'] }],
        ['a.i32s', { type: 'array', itemType: 'int32', values: [-1, 2] }],
      ],
      tensors: [
        {
          name: 't',
          dims: [3],
          type: 'f32',
          writeData: (sink) => sink(new Uint8Array(new Float32Array([1, 2, 3]).buffer)),
        },
      ],
    });
    const buf = readFileSync(path);
    expect(buf.subarray(0, 4).toString('latin1')).toBe('GGUF');
    const h = readGgufHeader(buf);
    expect(h.version).toBe(3);
    expect([...h.metadata.entries()]).toEqual([
      ['general.architecture', 'llama'],
      ['a.u32', 7],
      ['a.f32', 0.5],
      ['a.bool', true],
      ['a.strs', ['x', 'yz']],
      ['a.i32s', [-1, 2]],
    ]);
    expect(h.tensors).toEqual([{ name: 't', dims: [3], type: GGML_TYPE.f32, offset: 0 }]);
    expect(h.dataStart % 32).toBe(0);
    expect([
      ...new Float32Array(
        buf.buffer.slice(buf.byteOffset + h.dataStart, buf.byteOffset + h.dataStart + 12),
      ),
    ]).toEqual([1, 2, 3]);
  });

  it('starts every tensor at an offset that is a multiple of the alignment', () => {
    const { offsets } = ggufHeader({
      metadata: [],
      tensors: [
        { name: 'a', dims: [3], type: 'f16' },
        { name: 'b', dims: [5], type: 'f32' },
        { name: 'c', dims: [1], type: 'f32' },
      ],
    });
    expect(offsets).toEqual([0, 32, 64]);
  });

  it('refuses a tensor that writes the wrong number of bytes', () => {
    expect(() =>
      writeGguf(join(dir, 'bad.gguf'), {
        metadata: [],
        tensors: [
          { name: 't', dims: [4], type: 'f32', writeData: (sink) => sink(new Uint8Array(8)) },
        ],
      }),
    ).toThrow(/wrote 8 bytes, expected 16/);
  });
});

describe('Q8_0 (ggml block_q8_0: binary16 scale + 32 int8 quants)', () => {
  it('quantizes a block as quantize_row_q8_0_ref: d = max|x| / 127, q = round(x / d)', () => {
    const x = Array.from({ length: 32 }, (_, i) => (i - 12) * 0.01); // −0.12 … 0.19
    const out = new Uint8Array(34);
    quantizeQ8_0(x, out);
    const d = float16BitsToNumber(out[0]! | (out[1]! << 8));
    expect(out[0]! | (out[1]! << 8)).toBe(float32ToFloat16Bits(0.19 / 127));
    const q = [...new Int8Array(out.buffer, 2, 32)];
    expect(q[31]).toBe(127); // the largest magnitude maps to ±127
    expect(q[12]).toBe(0);
    expect(q[0]).toBe(Math.round((-0.12 * 127) / 0.19)); // −80.2 → −80
    // Dequantized values are within half a step of the input (plus the binary16 scale's error).
    const y = dequantizeQ8_0(out, 32);
    for (let i = 0; i < 32; i++) expect(Math.abs(y[i]! - x[i]!)).toBeLessThanOrEqual(d * 0.51);
  });

  it('rounds halves away from zero like C roundf and writes an all-zero block as zeros', () => {
    // amax = 127 → d = 1: quants are round(x) exactly.
    const x = [127, 2.5, -2.5, 0.5, -0.5, 1.4999, ...new Array<number>(26).fill(0)];
    const out = new Uint8Array(34);
    quantizeQ8_0(x, out);
    expect([...new Int8Array(out.buffer, 2, 6)]).toEqual([127, 3, -3, 1, -1, 1]);
    const zeros = new Uint8Array(34).fill(0xff);
    quantizeQ8_0(new Array<number>(32).fill(0), zeros);
    expect([...zeros]).toEqual(new Array<number>(34).fill(0));
  });

  it('sizes a Q8_0 tensor as 34 bytes per 32 weights and refuses rows that are not whole blocks', () => {
    expect(tensorBytes({ dims: [64, 3], type: 'q8_0' })).toBe(2 * 3 * 34);
    expect(() => tensorBytes({ name: 'w', dims: [48, 2], type: 'q8_0' })).toThrow(
      /w of type q8_0 needs its innermost dimension \(48\) to be a multiple of 32/,
    );
  });

  it('round-trips a Q8_0 tensor through the file: type 8, aligned offsets, values back', () => {
    const path = join(dir, 'q8.gguf');
    const values = Float32Array.from({ length: 64 * 2 }, (_, i) => Math.sin(i) * 0.03);
    const blocks = new Uint8Array((values.length / 32) * 34);
    quantizeQ8_0(values, blocks);
    writeGguf(path, {
      metadata: [],
      tensors: [
        { name: 'n', dims: [3], type: 'f32', writeData: (sink) => sink(new Uint8Array(12)) },
        { name: 'w', dims: [64, 2], type: 'q8_0', writeData: (sink) => sink(blocks) },
      ],
    });
    const buf = readFileSync(path);
    const h = readGgufHeader(buf);
    expect(h.tensors[1]).toEqual({ name: 'w', dims: [64, 2], type: 8, offset: 32 });
    expect(statSync(path).size).toBe(h.dataStart + 32 + 4 * 34 + 24); // 168 → padded to 192
    const y = dequantizeQ8_0(buf, 128, h.dataStart + 32);
    for (let i = 0; i < 128; i++) expect(Math.abs(y[i]! - values[i]!)).toBeLessThan(0.03 / 127);
  });
});

describe('random Llama GGUF', () => {
  it('converts to IEEE binary16 with round-to-nearest-even (1 → 0x3C00, 65504 max, 2^-24 smallest)', () => {
    expect(float32ToFloat16Bits(1)).toBe(0x3c00);
    expect(float32ToFloat16Bits(-2)).toBe(0xc000);
    expect(float32ToFloat16Bits(65504)).toBe(0x7bff);
    expect(float32ToFloat16Bits(1e6)).toBe(0x7c00);
    expect(float32ToFloat16Bits(2 ** -24)).toBe(0x0001);
    expect(float32ToFloat16Bits(1 + 2 ** -11)).toBe(0x3c00); // tie → even
    expect(float16BitsToNumber(float32ToFloat16Bits(0.0312))).toBeCloseTo(0.0312, 4);
  });

  it('has the 1 GB shape it promises: 530.6 M parameters, 12 layers of TinyLlama width', () => {
    expect(llamaParams(LLAMA_1GB_SHAPE)).toBe(530_630_656);
    const bytes = randomLlamaGguf(LLAMA_1GB_SHAPE, 1).tensors.reduce(
      (a, t) => a + t.dims.reduce((x, d) => x * d, 1) * (t.type === 'f16' ? 2 : 4),
      0,
    );
    expect(bytes).toBeGreaterThan(1.0e9);
    expect(bytes).toBeLessThan(1.1e9);
  });

  it('has a 1 GB Q8_0 shape: 22 layers, 971.1 M parameters at 8.5 bits ≈ 1.03 GB', () => {
    expect(llamaParams(LLAMA_1GB_Q8_0_SHAPE)).toBe(971_073_536);
    const bytes = randomLlamaGguf(LLAMA_1GB_Q8_0_SHAPE, 1, 'x', 'q8_0').tensors.reduce(
      (a, t) => a + tensorBytes(t),
      0,
    );
    expect(bytes).toBeGreaterThan(1.0e9);
    expect(bytes).toBeLessThan(1.1e9);
  });

  it('writes a Q8_0 model: file type 7, Q8_0 matrices, F32 norms, weights in (−a, a)', () => {
    const path = join(dir, 'tiny-q8.gguf');
    const written = writeRandomLlamaGguf(path, LLAMA_TINY_SHAPE, 42, 'q8_0');
    const buf = readFileSync(path);
    const h = readGgufHeader(buf);
    expect(h.metadata.get('general.file_type')).toBe(7);
    const byName = new Map(h.tensors.map((t) => [t.name, t]));
    expect(byName.get('blk.0.ffn_down.weight')?.type).toBe(GGML_TYPE.q8_0);
    expect(byName.get('output.weight')?.type).toBe(GGML_TYPE.q8_0);
    expect(byName.get('blk.0.attn_norm.weight')?.type).toBe(GGML_TYPE.f32);
    for (const t of h.tensors) expect(t.offset % h.alignment).toBe(0);
    const last = h.tensors[h.tensors.length - 1]!;
    expect(statSync(path).size).toBe(h.dataStart + last.offset + ((256 * 512) / 32) * 34);
    expect(written.weightFormat).toBe('q8_0');
    expect(written.fileBytes).toBe(statSync(path).size);
    const emb = dequantizeQ8_0(buf, 256 * 512, h.dataStart);
    const maxAbs = emb.reduce((a, v) => Math.max(a, Math.abs(v)), 0);
    expect(maxAbs).toBeLessThanOrEqual(0.0351);
    expect(maxAbs).toBeGreaterThan(0.03);
    // Same values as the F16 model of the same seed, quantized (same RNG stream per tensor).
    writeRandomLlamaGguf(join(dir, 'tiny-f16-42.gguf'), LLAMA_TINY_SHAPE, 42);
    const f16 = readFileSync(join(dir, 'tiny-f16-42.gguf'));
    const hf = readGgufHeader(f16);
    for (let i = 0; i < 64; i++) {
      const v = float16BitsToNumber(f16.readUInt16LE(hf.dataStart + 2 * i));
      expect(Math.abs(emb[i]! - v)).toBeLessThan(0.0351 / 127);
    }
  });

  it('builds an SPM vocabulary of unk, bos, eos, 256 byte tokens and normal pieces', () => {
    const v = minimalVocab(512);
    expect(v.tokens.length).toBe(512);
    expect(v.tokens.slice(0, 4)).toEqual(['<unk>', '<s>', '</s>', '<0x00>']);
    expect(v.tokens[258]).toBe('<0xFF>');
    expect([...v.tokenTypes.slice(0, 4)]).toEqual([2, 3, 3, 6]);
    expect(v.tokenTypes[259]).toBe(1);
    expect(new Set(v.tokens).size).toBe(512);
  });

  it('writes llama.cpp tensor names and ggml shapes and reads back its hyper-parameters', () => {
    const path = join(dir, 'tiny.gguf');
    const written = writeRandomLlamaGguf(path, LLAMA_TINY_SHAPE, 42);
    const buf = readFileSync(path);
    const h = readGgufHeader(buf);
    const md = h.metadata;
    expect(md.get('general.architecture')).toBe('llama');
    expect(md.get('llama.block_count')).toBe(2);
    expect(md.get('llama.embedding_length')).toBe(256);
    expect(md.get('llama.attention.head_count_kv')).toBe(2);
    expect(md.get('tokenizer.ggml.model')).toBe('llama');
    expect((md.get('tokenizer.ggml.tokens') as string[]).length).toBe(512);
    const byName = new Map(h.tensors.map((t) => [t.name, t]));
    expect(h.tensors.length).toBe(1 + 9 * 2 + 2);
    expect(byName.get('token_embd.weight')?.dims).toEqual([256, 512]);
    expect(byName.get('blk.1.attn_k.weight')?.dims).toEqual([256, 128]);
    expect(byName.get('blk.0.ffn_down.weight')?.dims).toEqual([512, 256]);
    expect(byName.get('output_norm.weight')?.type).toBe(GGML_TYPE.f32);
    expect(byName.get('output.weight')?.type).toBe(GGML_TYPE.f16);
    for (const t of h.tensors) expect(t.offset % h.alignment).toBe(0);
    const last = h.tensors[h.tensors.length - 1]!;
    expect(statSync(path).size).toBe(h.dataStart + last.offset + 256 * 512 * 2);
    expect(written.fileBytes).toBe(statSync(path).size);
    // Weights are small: every F16 value of the embedding lies in (−a, a), a = 0.035.
    const emb = buf.subarray(h.dataStart, h.dataStart + 256 * 512 * 2);
    let maxAbs = 0;
    for (let i = 0; i < emb.length; i += 2)
      maxAbs = Math.max(maxAbs, Math.abs(float16BitsToNumber(emb.readUInt16LE(i))));
    expect(maxAbs).toBeLessThanOrEqual(0.0351); // a rounded to F16
    expect(maxAbs).toBeGreaterThan(0.03);
  });

  it('writes identical bytes for the same seed and different bytes for another', () => {
    writeRandomLlamaGguf(join(dir, 'a.gguf'), LLAMA_TINY_SHAPE, 7);
    writeRandomLlamaGguf(join(dir, 'b.gguf'), LLAMA_TINY_SHAPE, 7);
    writeRandomLlamaGguf(join(dir, 'c.gguf'), LLAMA_TINY_SHAPE, 8);
    const a = readFileSync(join(dir, 'a.gguf'));
    expect(a.equals(readFileSync(join(dir, 'b.gguf')))).toBe(true);
    expect(a.equals(readFileSync(join(dir, 'c.gguf')))).toBe(false);
  });
});
