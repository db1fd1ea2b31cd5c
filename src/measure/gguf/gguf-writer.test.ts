import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readGgufHeader } from './gguf-reader.js';
import { GGML_TYPE, ggufHeader, writeGguf } from './gguf-writer.js';
import {
  float16BitsToNumber,
  float32ToFloat16Bits,
  LLAMA_1GB_SHAPE,
  LLAMA_TINY_SHAPE,
  llamaParams,
  minimalVocab,
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
