import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AifError } from '../core/errors.js';
import { parseGpuProbeDataset, parseGpuProbeDatasetJson } from './probe-dataset.js';

const text = readFileSync(
  new URL('../../test/fixtures/measure/gpu-probe-sample.json', import.meta.url),
  'utf8',
);
const sample = (): Record<string, unknown> => JSON.parse(text) as Record<string, unknown>;

const thrown = (f: () => unknown): AifError => {
  try {
    f();
  } catch (e) {
    return e as AifError;
  }
  throw new Error('expected a throw');
};

describe('parseGpuProbeDataset', () => {
  it('accepts the synthetic sample and keeps every measurement with its shape and units', () => {
    const d = parseGpuProbeDatasetJson(text, 'gpu-probe-sample.json');
    expect(d.synthetic).toBe(true);
    expect(d.machine.gpuName).toBe('NVIDIA H100 80GB HBM3');
    expect(d.matmul.map((m) => m.dtype)).toEqual(['bf16', 'bf16', 'fp16', 'fp8-e4m3']);
    expect(d.decode[0]!.power).toBeNull();
    expect(d.decode[3]).toMatchObject({ batchSize: 64, contextLength: 4096 });
  });

  it('names the field, the value and the expectation of a wrong type', () => {
    const d = sample();
    (d.machine as Record<string, unknown>).gpuMemoryBytes = '80 GB';
    const e = thrown(() => parseGpuProbeDataset(d));
    expect(e.code).toBe('E_INPUT_FORMAT');
    expect(e.issues).toEqual([
      expect.objectContaining({
        path: 'machine.gpuMemoryBytes',
        value: '80 GB',
        expected: 'number',
      }),
    ]);
    expect(e.message).toContain('machine.gpuMemoryBytes');
  });

  it('rejects an unknown field (a unit missing from a name, say)', () => {
    const d = sample();
    (d.decode as Record<string, unknown>[])[1]!.median = 0.0015;
    const e = thrown(() => parseGpuProbeDataset(d));
    expect(e.issues[0]).toMatchObject({ path: 'decode.1.median' });
  });

  it('rejects a dtype outside the documented set', () => {
    const d = sample();
    (d.matmul as Record<string, unknown>[])[0]!.dtype = 'tf32';
    const e = thrown(() => parseGpuProbeDataset(d));
    expect(e.issues[0]).toMatchObject({ path: 'matmul.0.dtype', value: 'tf32' });
    expect(e.issues[0]!.expected).toContain('"bf16"');
  });

  it('rejects a throughput that does not follow from the shape and the median', () => {
    const d = sample();
    (d.prefill as Record<string, unknown>[])[2]!.tokensPerSecond = 1000;
    const e = thrown(() => parseGpuProbeDataset(d));
    expect(e.issues).toEqual([
      expect.objectContaining({
        path: 'prefill.2.tokensPerSecond',
        value: 1000,
        expected: expect.stringContaining('batchSize·contextLength / medianSeconds'),
      }),
    ]);
  });

  it('reports invalid JSON as an input-format error', () => {
    expect(thrown(() => parseGpuProbeDatasetJson('{"schema":', 'x.json')).issues[0]).toMatchObject({
      path: '(root)',
      expected: 'valid JSON',
    });
  });
});
