import { describe, expect, it } from 'vitest';
import { countParams } from '../catalog/model-params.js';
import { causalPairs, decodeBatch, expectedDistinctExperts, stepTime } from './step-time.js';
import { IDEAL, deployment, prepared } from './test-support.js';

describe('causal attention pairs', () => {
  it('equals the brute-force sum Σᵢ (c + i) for a chunk after cached tokens', () => {
    for (const [n, c] of [
      [1, 0],
      [7, 0],
      [5, 11],
      [128, 4096],
    ] as const) {
      let brute = 0;
      for (let i = 1; i <= n; i++) brute += c + i;
      expect(causalPairs(n, c)).toBe(brute);
    }
  });
});

describe('expected distinct experts', () => {
  it('is k for one token and tends to all experts for many tokens', () => {
    expect(expectedDistinctExperts(8, 2, 1)).toBeCloseTo(2, 12);
    expect(expectedDistinctExperts(256, 8, 100_000)).toBeCloseTo(256, 6);
    expect(expectedDistinctExperts(256, 8, 0)).toBe(0);
  });

  it('matches brute-force enumeration for 4 experts, top-1, 2 tokens', () => {
    // Outcomes (4×4 equally likely): distinct = 1 in 4 cases, 2 in 12 → mean 1.75.
    expect(expectedDistinctExperts(4, 1, 2)).toBeCloseTo(1.75, 12);
  });
});

describe('iteration time', () => {
  it('is the weight-streaming time for a single decode token under the ideal roofline', () => {
    const d = deployment('llama-3.1-8b', 'h100-sxm', 'bf16');
    const p = prepared(d);
    const t = stepTime(p, IDEAL, decodeBatch(1, 0));
    const weightsSeconds =
      (p.weightBytesPerGpu - countParams(d.model).embedding * 2) /
      d.accelerator.memoryBandwidthBytesPerSecond.value;
    // Weights dominate: everything else (elementwise, 1 token) is < 0.1% here.
    expect(t.seconds).toBeGreaterThanOrEqual(weightsSeconds * 0.999);
    expect(t.seconds).toBeLessThan(weightsSeconds * 1.01);
  });

  it('costs a mixed batch at least each part alone and at most their sum (per-class rooflines)', () => {
    const p = prepared(deployment('llama-3.1-70b', 'h200-sxm', 'fp8'));
    const dec = decodeBatch(64, 2000);
    const pre = {
      numDecodeSeqs: 0,
      decodeContextTokens: 0,
      numPrefillTokens: 4096,
      prefillAttentionPairs: causalPairs(4096, 0),
      numPrefillSamples: 1,
      numPrefillSeqs: 1,
    };
    const mixed = stepTime(p, IDEAL, {
      ...dec,
      numPrefillTokens: 4096,
      prefillAttentionPairs: pre.prefillAttentionPairs,
      numPrefillSamples: 1,
      numPrefillSeqs: 1,
    });
    const a = stepTime(p, IDEAL, dec).seconds;
    const b = stepTime(p, IDEAL, pre).seconds;
    expect(mixed.seconds).toBeGreaterThanOrEqual(Math.max(a, b));
    expect(mixed.seconds).toBeLessThanOrEqual(a + b);
  });

  it('grows with batch size and with context length', () => {
    const p = prepared(deployment('llama-3.1-8b', 'h100-sxm', 'bf16'));
    const t = (b: number, ctx: number) => stepTime(p, IDEAL, decodeBatch(b, ctx)).seconds;
    expect(t(64, 1000)).toBeGreaterThan(t(8, 1000));
    expect(t(64, 8000)).toBeGreaterThan(t(64, 1000));
  });

  it('halves weight traffic per GPU with tensor parallelism 2 and adds communication', () => {
    const p1 = prepared(deployment('llama-3.1-70b', 'h100-sxm', 'fp8', { tp: 2 }));
    const p2 = prepared(deployment('llama-3.1-70b', 'h100-sxm', 'fp8', { tp: 4 }));
    expect(p2.attentionProjection.weightBytesPerGpu).toBeCloseTo(
      p1.attentionProjection.weightBytesPerGpu / 2,
      0,
    );
    expect(
      stepTime(p2, IDEAL, decodeBatch(8, 1000)).breakdownSeconds.communication,
    ).toBeGreaterThan(0);
  });

  it('overlaps host overhead with device time when the engine schedules asynchronously', () => {
    const d = deployment('llama-3.1-8b', 'h100-sxm', 'bf16');
    const c = { ...IDEAL, hostOverheadSeconds: 0.002 };
    const sync = stepTime(prepared(d), c, decodeBatch(4, 500));
    const asyncD = { ...d, engine: { ...d.engine, asyncScheduling: true } };
    const overlapped = stepTime(prepared(asyncD), c, decodeBatch(4, 500));
    expect(sync.seconds).toBeCloseTo(sync.deviceSeconds + 0.002, 12);
    expect(overlapped.seconds).toBeCloseTo(Math.max(overlapped.deviceSeconds, 0.002), 12);
  });

  it("adds the unhidden share of each class's shorter roofline side: max + (1 − ω)·min", () => {
    // Batch 64 on an 8B model: GEMMs near their compute/memory balance point, so both sides count.
    const p = prepared(deployment('llama-3.1-8b', 'h100-sxm', 'bf16'));
    const at = (omega: number) =>
      stepTime(p, { ...IDEAL, computeMemoryOverlap: omega }, decodeBatch(64, 2000));
    const [none, half, full] = [at(0), at(0.5), at(1)];
    // ω absent is the roofline max of DESIGN §4.
    expect(stepTime(p, IDEAL, decodeBatch(64, 2000)).deviceSeconds).toBe(full.deviceSeconds);
    // Linear in ω (each class adds (1 − ω)·min), never more than the sum of both sides.
    expect(half.deviceSeconds).toBeCloseTo((none.deviceSeconds + full.deviceSeconds) / 2, 12);
    expect(none.deviceSeconds).toBeGreaterThan(full.deviceSeconds);
    expect(none.deviceSeconds).toBeLessThanOrEqual(2 * full.deviceSeconds);
    // The bound split still accounts for all roofline time.
    for (const s of [none, half, full])
      expect(s.computeBoundSeconds + s.memoryBoundSeconds).toBeLessThanOrEqual(
        s.deviceSeconds + 1e-15,
      );
  });

  it('reads only the KV of a sliding window on window layers', () => {
    const p = prepared(deployment('gpt-oss-120b', 'b200', 'mxfp4'));
    const short = stepTime(p, IDEAL, decodeBatch(1, 100)).breakdownSeconds.decodeAttention;
    const long = stepTime(p, IDEAL, decodeBatch(1, 100_000)).breakdownSeconds.decodeAttention;
    // Half the layers are capped at 128 tokens, so 1000× the context costs well under 1000×.
    expect(long / short).toBeLessThan(1000);
    expect(long).toBeGreaterThan(short);
  });
});
