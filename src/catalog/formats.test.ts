import { describe, expect, it } from 'vitest';
import { NUMBER_FORMATS } from './formats.js';
import type { NumberFormat, NumberFormatId } from './types.js';

/** Every format id; a missing key here is a compile error when NumberFormatId grows. */
const ALL_IDS: Record<NumberFormatId, true> = {
  fp32: true,
  bf16: true,
  fp16: true,
  fp8: true,
  'fp8-block': true,
  int8: true,
  nvfp4: true,
  mxfp4: true,
  'int4-wo': true,
  'int8-wo': true,
  q8_0: true,
};

const fmt = (id: NumberFormatId): NumberFormat => {
  const f = NUMBER_FORMATS.find((x) => x.id === id);
  if (!f) throw new Error(`no format ${id}`);
  return f;
};

describe('number formats', () => {
  it('defines every NumberFormatId exactly once', () => {
    expect(NUMBER_FORMATS.map((f) => f.id).sort()).toEqual(Object.keys(ALL_IDS).sort());
  });

  it('cites a source for every format', () => {
    for (const f of NUMBER_FORMATS) expect(f.ref.source.length, f.id).toBeGreaterThan(0);
  });

  it('counts block scales in the bits per element', () => {
    expect(fmt('nvfp4').bitsPerElement).toBe(4.5);
    expect(fmt('mxfp4').bitsPerElement).toBe(4.25);
    expect(fmt('int4-wo').bitsPerElement).toBe(4.125);
    expect(fmt('int8-wo').bitsPerElement).toBe(8.125);
    expect(fmt('q8_0').bitsPerElement).toBe(8.5); // ggml block_q8_0: 34 bytes per 32 weights
    expect(fmt('fp8-block').bitsPerElement).toBeCloseTo(8.002, 3);
    expect(fmt('bf16').bitsPerElement).toBe(16);
    expect(fmt('fp32').bitsPerElement).toBe(32);
  });

  it('gives weight-only formats no compute rate and every other format one', () => {
    for (const f of NUMBER_FORMATS) expect(f.computeRate === null, f.id).toBe(f.weightOnly);
    expect(fmt('int4-wo').weightOnly).toBe(true);
    expect(fmt('int8-wo').weightOnly).toBe(true);
  });

  it('maps 4-bit float formats to the fp4 rate and 8-bit floats to fp8', () => {
    expect(fmt('nvfp4').computeRate).toBe('fp4');
    expect(fmt('mxfp4').computeRate).toBe('fp4');
    expect(fmt('fp8').computeRate).toBe('fp8');
    expect(fmt('fp8-block').computeRate).toBe('fp8');
    expect(fmt('int8').computeRate).toBe('int8');
    expect(fmt('q8_0').computeRate).toBe('int8');
    expect(fmt('fp16').computeRate).toBe('bf16');
  });
});
