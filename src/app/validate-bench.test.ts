import { describe, expect, it } from 'vitest';
import { defaultCatalog } from '../catalog/catalog.js';
import { prepareDeployment } from '../perf/costs.js';
import type { NumberFormatId } from '../catalog/types.js';
import { BENCH_RESULT_KIND, BenchResultSchema, type BenchResult } from './validate-bench-result.js';
import {
  benchModelArch,
  CPU_LLAMACPP_ASSUMED_CALIBRATION,
  prefillBatch,
  validateBench,
  type BenchValidation,
} from './validate-bench.js';
import { stepTime } from '../perf/step-time.js';

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
  /** The deployment validateBench builds for a result whose tensors are all in `format`. */
  const preparedFor = (r: BenchResult, format: NumberFormatId = 'q8_0') =>
    prepareDeployment(
      {
        model: benchModelArch(r),
        accelerator: catalog.accelerators.get('cpu-host')!,
        precision: {
          attention: format,
          denseMlp: format,
          experts: format,
          lmHead: format,
          kvCache: 'fp16',
          activations: format,
        },
        precisionLabel: format,
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

  it('accepts its own result schema', () => {
    expect(BenchResultSchema.safeParse(result([{ b: 1, tps: 10 }])).success).toBe(true);
  });

  it('counts the generated model as 530.6 M parameters, like the GGUF writer', () => {
    const dep = preparedFor(result([{ b: 1, tps: 1 }]), 'fp16');
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
      fitOverlap: false,
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

  it('reads a Q8_0 model as 8.5-bit weights with GEMMs at the int8 rate', () => {
    const r = result([{ b: 1, tps: 20 }]);
    r.model.weightFormat = 'q8_0';
    const v = validateBench({ result: r, catalog });
    expect(v.gemmPeakFlopsPerSecond.rate).toBe('int8');
    const f16 = validateBench({ result: result([{ b: 1, tps: 20 }]), catalog });
    // Weight traffic per step scales by 8.5 / 16 (norms and KV cache unchanged, at B = 1 tiny).
    const ratio = v.points[0]!.predictedDeviceSeconds / f16.points[0]!.predictedDeviceSeconds;
    expect(ratio).toBeGreaterThan(0.5);
    expect(ratio).toBeLessThan(0.56);
  });

  it('fits the GEMM efficiency to prefill runs only and predicts the decode points with it', () => {
    const r = result([
      { b: 1, tps: 30 },
      { b: 8, tps: 60 },
    ]);
    r.model.weightFormat = 'q8_0';
    // Prefill times the model itself gives at η = 0.2: the fit must find 0.2 back.
    const truth = validateBench({
      result: r,
      catalog,
      calibration: {
        ...CPU_LLAMACPP_ASSUMED_CALIBRATION,
        params: { ...CPU_LLAMACPP_ASSUMED_CALIBRATION.params, gemmComputeEfficiency: 0.2 },
      },
    });
    const base = validateBench({ result: r, catalog });
    expect(base.calibration.prefillFit).toBeUndefined();
    const prepared = (tokens: number): number => {
      // Device seconds of a prefill at η = 0.2 via a second validation's own prepared model.
      const step = stepTime(
        preparedFor(r),
        { ...CPU_LLAMACPP_ASSUMED_CALIBRATION.params, gemmComputeEfficiency: 0.2 },
        prefillBatch(tokens),
      );
      return step.deviceSeconds;
    };
    r.prefill = {
      method: 'test',
      runs: [128, 256].map((promptTokens) => ({ promptTokens, seconds: prepared(promptTokens) })),
    };
    const fitted = validateBench({ result: r, catalog, fitOverlap: false });
    expect(fitted.calibration.key).toBe('cpu/llamacpp-prefill-fit');
    expect(fitted.calibration.gemmComputeEfficiency).toBeCloseTo(0.2, 6);
    for (const run of fitted.calibration.prefillFit!.runs)
      expect(run.predictedSeconds).toBeCloseTo(run.measuredSeconds, 6);
    // Decode predictions equal those made with η = 0.2 stated up front; the measured decode
    // rates (30 and 60 tok/s here) play no part in the fit.
    fitted.points.forEach((p, i) =>
      expect(p.predictedTokensPerSecond).toBeCloseTo(truth.points[i]!.predictedTokensPerSecond, 6),
    );
    r.points[1]!.decodeTokensPerSecond = 6000;
    expect(validateBench({ result: r, catalog }).calibration.gemmComputeEfficiency).toBeCloseTo(
      0.2,
      6,
    );
  });

  it('fits the compute–memory overlap to the smallest batch, holds the others out, and stops at its bounds', () => {
    const r = result([
      { b: 1, tps: 1 },
      { b: 2, tps: 1 },
      { b: 8, tps: 1 },
    ]);
    // Decode rates the model itself gives at ω = 0.4: the fit must find 0.4 back from batch 1.
    const at = (omega: number): BenchValidation =>
      validateBench({
        result: r,
        catalog,
        calibration: {
          ...CPU_LLAMACPP_ASSUMED_CALIBRATION,
          params: { ...CPU_LLAMACPP_ASSUMED_CALIBRATION.params, computeMemoryOverlap: omega },
        },
      });
    const truth = at(0.4);
    // Less overlap, more time: ω = 0 (the sum) is slower than ω = 1 (the roofline max).
    expect(at(0).points[0]!.predictedTokensPerSecond).toBeLessThan(
      at(1).points[0]!.predictedTokensPerSecond,
    );
    r.points[0]!.decodeTokensPerSecond = truth.points[0]!.predictedTokensPerSecond;
    r.points[1]!.decodeTokensPerSecond = truth.points[1]!.predictedTokensPerSecond * 1.1;
    r.points[2]!.decodeTokensPerSecond = truth.points[2]!.predictedTokensPerSecond * 2;
    const v = validateBench({ result: r, catalog });
    expect(v.calibration.overlapFit!.computeMemoryOverlap).toBeCloseTo(0.4, 6);
    expect(v.calibration.overlapFit!.atBound).toBeUndefined();
    expect(v.calibration.key).toBe('cpu/llamacpp+overlap');
    expect(v.points.map((p) => p.fitted ?? false)).toEqual([true, false, false]);
    v.points.forEach((p, i) =>
      expect(p.predictedTokensPerSecond).toBeCloseTo(truth.points[i]!.predictedTokensPerSecond, 6),
    );
    // Only held-out points decide: batch 8 is 2× off, so not all within; batch 1 is not counted.
    expect(v.points[1]!.withinTolerance).toBe(true);
    expect(v.allWithinTolerance).toBe(false);
    r.points[2]!.decodeTokensPerSecond = truth.points[2]!.predictedTokensPerSecond;
    expect(validateBench({ result: r, catalog }).allWithinTolerance).toBe(true);
    // A batch-1 rate beyond what full overlap gives, or below the sum's, stops at the bound.
    r.points[0]!.decodeTokensPerSecond = at(1).points[0]!.predictedTokensPerSecond * 1.5;
    expect(validateBench({ result: r, catalog }).calibration.overlapFit).toMatchObject({
      computeMemoryOverlap: 1,
      atBound: 'full overlap (max)',
    });
    r.points[0]!.decodeTokensPerSecond = at(0).points[0]!.predictedTokensPerSecond / 1.5;
    expect(validateBench({ result: r, catalog }).calibration.overlapFit).toMatchObject({
      computeMemoryOverlap: 0,
      atBound: 'no overlap (sum)',
    });
  });

  it('compares the prediction with the engine-side rates when the runs carry their step log', () => {
    const r = result([{ b: 4, tps: 10 }]);
    r.points[0]!.runs[0]!.engineSteps = {
      steps: 33,
      fullBatchSteps: 31,
      meanFullBatchStepSeconds: 0.3,
      medianFullBatchStepSeconds: 0.198,
      minFullBatchStepSeconds: 0.098,
      medianGapSeconds: 0.002,
      meanDecodeStepTokens: 4,
    };
    const p = validateBench({ result: r, catalog }).points[0]!;
    expect(p.engineMedianTokensPerSecond).toBeCloseTo(4 / 0.2, 9);
    expect(p.engineBestTokensPerSecond).toBeCloseTo(4 / 0.1, 9);
    expect(p.relativeErrorVsEngineMedian).toBeCloseTo((p.predictedTokensPerSecond - 20) / 20, 9);
    // The verdict stays on the client-side rate the file records.
    expect(p.relativeError).toBeCloseTo((p.predictedTokensPerSecond - 10) / 10, 9);
  });

  it('is memory-bound at batch 1 on cpu-host: 1.06 GB of weights per token', () => {
    const v = validateBench({ result: result([{ b: 1, tps: 20 }]), catalog });
    expect(v.points[0]!.boundBy).toBe('memory');
    const bw = catalog.accelerators.get('cpu-host')!.memoryBandwidthBytesPerSecond.value;
    expect(v.points[0]!.predictedDeviceSeconds).toBeGreaterThan(1.06e9 / bw);
  });
});
