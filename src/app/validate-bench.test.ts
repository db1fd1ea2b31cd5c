import { describe, expect, it } from 'vitest';
import { defaultCatalog } from '../catalog/catalog.js';
import { prepareDeployment } from '../perf/costs.js';
import { BENCH_RESULT_KIND, BenchResultSchema, type BenchResult } from './validate-bench-result.js';
import {
  benchModelArch,
  CPU_LLAMACPP_ASSUMED_CALIBRATION,
  validateBench,
} from './validate-bench.js';

const load = { loadAverage: [0.1, 0.1, 0.1] as [number, number, number] };
const run = (tps: number) => ({
  decodeTokensPerSecond: tps,
  windowSeconds: 1,
  tokensInWindow: Math.round(tps),
  meanItlSeconds: 0.05,
  ttftSeconds: [0.1],
  lastTokenSeconds: [1.1],
  completionTokens: [48],
  usageCompletionTokens: [48],
});
const result = (points: { b: number; tps: number }[]): BenchResult => ({
  kind: BENCH_RESULT_KIND,
  version: 1,
  date: '2026-11-27T10:00:00.000Z',
  machine: {
    cpuModel: 'AMD EPYC',
    cores: 2,
    memoryBytes: 24e9,
    nodeVersion: 'v20.20.2',
    platform: 'linux-x64',
    loadBefore: load,
    loadAfter: load,
  },
  engine: {
    name: 'llama.cpp',
    binding: 'node-llama-cpp@3.21.1',
    threads: 2,
    sequences: 8,
    contextTokensPerSequence: 512,
    buildType: 'prebuilt',
    sampling: 'greedy',
  },
  model: {
    name: 'aifactory-random-llama-1gb',
    shape: {
      numLayers: 12,
      hiddenSize: 2048,
      numHeads: 32,
      numKvHeads: 4,
      intermediateSize: 5632,
      vocabSize: 512,
    },
    weightFormat: 'fp16',
    kvCacheFormat: 'fp16',
    params: 530_630_656,
    weightBytes: 1_061_257_216,
    fileBytes: 1_061_381_504,
    seed: 1,
    generatedBy: 'test',
  },
  workload: { promptTokens: 41, maxTokens: 48, runsPerBatchSize: 1, endpoint: 'x', method: 'x' },
  points: points.map((p) => ({
    batchSize: p.b,
    decodeTokensPerSecond: p.tps,
    medianTokensPerSecond: p.tps,
    meanContextTokens: 65,
    runs: [run(p.tps)],
  })),
});

describe('validate bench', () => {
  const catalog = defaultCatalog();

  it('accepts its own result schema', () => {
    expect(BenchResultSchema.safeParse(result([{ b: 1, tps: 10 }])).success).toBe(true);
  });

  it('counts the generated model as 530.6 M parameters, like the GGUF writer', () => {
    const dep = prepareDeployment(
      {
        model: benchModelArch(result([{ b: 1, tps: 1 }])),
        accelerator: catalog.accelerators.get('cpu-host')!,
        precision: {
          attention: 'fp16',
          denseMlp: 'fp16',
          experts: 'fp16',
          lmHead: 'fp16',
          kvCache: 'fp16',
          activations: 'fp16',
        },
        precisionLabel: 'fp16',
        parallel: { tp: 1, pp: 1, ep: 1, attnDp: 1 },
        engine: {
          name: 'llamacpp',
          maxNumSeqs: 8,
          maxNumBatchedTokens: 512,
          blockSizeTokens: 16,
          gpuMemoryUtilization: 0.9,
          chunkedPrefill: false,
          prefixCaching: false,
          asyncScheduling: false,
        },
      },
      catalog.formats,
    );
    // Norms (F32 in the file) are counted at fp16 by the model: 2·12·2048 + 2048 params × 2 bytes less.
    expect(dep.weightBytesPerGpu).toBe((530_630_656 - (2 * 12 * 2048 + 2048)) * 2);
  });

  it('predicts B / stepTime(B) and flags each batch size against the tolerance', () => {
    const v = validateBench({
      result: result([
        { b: 4, tps: 1 },
        { b: 1, tps: 1 },
      ]),
      catalog,
    });
    expect(v.points.map((p) => p.batchSize)).toEqual([1, 4]);
    const p1 = v.points[0]!;
    expect(p1.predictedTokensPerSecond).toBeCloseTo(1 / p1.predictedStepSeconds, 9);
    expect(p1.relativeError).toBeCloseTo(p1.predictedTokensPerSecond - 1, 9);
    expect(p1.withinTolerance).toBe(false);
    expect(v.calibration.key).toBe(CPU_LLAMACPP_ASSUMED_CALIBRATION.key);

    const exact = validateBench({
      result: result([{ b: 1, tps: p1.predictedTokensPerSecond * 1.2 }]),
      catalog,
    });
    expect(exact.points[0]!.withinTolerance).toBe(true);
    expect(exact.allWithinTolerance).toBe(true);
  });

  it('is memory-bound at batch 1 on cpu-host: 1.06 GB of weights per token', () => {
    const v = validateBench({ result: result([{ b: 1, tps: 20 }]), catalog });
    expect(v.points[0]!.boundBy).toBe('memory');
    const bw = catalog.accelerators.get('cpu-host')!.memoryBandwidthBytesPerSecond.value;
    expect(v.points[0]!.predictedDeviceSeconds).toBeGreaterThan(1.06e9 / bw);
  });
});
