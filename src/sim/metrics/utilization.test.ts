import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { UtilizationMeter, combineUtilization } from './utilization.js';

// 2 GPUs, F = 1e15 FLOP/s, B = 2e12 B/s per GPU, window [10, 20): T·G = 20 GPU-s.
const meter = (o: Partial<ConstructorParameters<typeof UtilizationMeter>[0]> = {}) =>
  new UtilizationMeter({
    numGpus: 2,
    peakFlopsPerSecondPerGpu: 1e15,
    peakBytesPerSecondPerGpu: 2e12,
    windowStartSeconds: 10,
    windowEndSeconds: 20,
    ...o,
  });

function fixture(): UtilizationMeter {
  const m = meter();
  // Fully inside: busy 1 s × 2 GPUs = 2 GPU-s, 5e14 × 2 = 1e15 FLOPs, 1e12 × 2 = 2e12 B.
  m.onIteration({
    startSeconds: 10,
    durationSeconds: 1,
    flopsPerGpu: 5e14,
    bytesPerGpu: 1e12,
    numGpus: 2,
  });
  // Half inside [19.5, 20.5): busy 1 GPU-s, 4e14 FLOPs, 2e12 B.
  m.onIteration({
    startSeconds: 19.5,
    durationSeconds: 1,
    flopsPerGpu: 4e14,
    bytesPerGpu: 2e12,
    numGpus: 2,
  });
  // Warm-up: outside.
  m.onIteration({
    startSeconds: 5,
    durationSeconds: 2,
    flopsPerGpu: 1e15,
    bytesPerGpu: 1e12,
    numGpus: 2,
  });
  // KV: 0.5 from 5 (in effect at 10), 0.9 from 12, 0.2 from 15, 1.0 from 25 (after the window).
  m.setKvOccupancy(0.5, 5);
  m.setKvOccupancy(0.9, 12);
  m.setKvOccupancy(0.2, 15);
  m.setKvOccupancy(1, 25);
  return m;
}

describe('UtilizationMeter', () => {
  it('reports busy share as busy GPU-seconds over window GPU-seconds', () => {
    expect(fixture().finish()).toMatchObject({
      gpuSeconds: 20,
      busyGpuSeconds: 3,
      busyShare: 0.15,
    });
  });

  it('reports MFU as model FLOP/s over peak, over the window and over busy time', () => {
    const r = fixture().finish();
    // 1.4e15 FLOPs ÷ (20 GPU-s · 1e15) = 0.07; ÷ (3 GPU-s · 1e15) = 0.4666….
    expect(r.modelFlops).toBe(1.4e15);
    expect(r.mfu).toBeCloseTo(0.07, 15);
    expect(r.mfuWhileBusy).toBeCloseTo(1.4 / 3, 15);
  });

  it('reports MBU as bytes/s over peak bandwidth, over the window and over busy time', () => {
    const r = fixture().finish();
    // 4e12 B ÷ (20 · 2e12) = 0.1; ÷ (3 · 2e12) = 0.666….
    expect(r.bytesMoved).toBe(4e12);
    expect(r.mbu).toBeCloseTo(0.1, 15);
    expect(r.mbuWhileBusy).toBeCloseTo(2 / 3, 15);
  });

  it('reports KV occupancy as a time-weighted mean and max over the window', () => {
    // 0.5·2 + 0.9·3 + 0.2·5 = 4.7 over 10 s; 1.0 arrives after the window.
    const r = fixture().finish();
    expect(r.kvOccupancyMean).toBeCloseTo(0.47, 15);
    expect(r.kvOccupancyMax).toBe(0.9);
  });

  it('reports the allocation share of installed GPUs', () => {
    expect(meter({ numGpusInstalled: 8 }).finish().allocationShare).toBe(0.25);
  });

  it('reports nulls while busy, and zeros, for a meter that never saw work', () => {
    expect(meter().finish()).toMatchObject({
      busyShare: 0,
      mfu: 0,
      mfuWhileBusy: null,
      mbuWhileBusy: null,
      kvOccupancyMean: 0,
      kvOccupancyMax: 0,
    });
  });

  it('counts a zero-duration iteration wholly when it starts inside the window', () => {
    const m = meter();
    m.onIteration({
      startSeconds: 12,
      durationSeconds: 0,
      flopsPerGpu: 1e12,
      bytesPerGpu: 0,
      numGpus: 1,
    });
    m.onIteration({
      startSeconds: 20,
      durationSeconds: 0,
      flopsPerGpu: 1e12,
      bytesPerGpu: 0,
      numGpus: 1,
    });
    expect(m.finish().modelFlops).toBe(1e12);
  });

  it('pools replicas with different peaks as Σ FLOPs over Σ peak FLOPs', () => {
    const a = fixture().finish();
    const b = meter({ numGpus: 1, peakFlopsPerSecondPerGpu: 2e15 });
    b.onIteration({
      startSeconds: 10,
      durationSeconds: 10,
      flopsPerGpu: 2e15,
      bytesPerGpu: 0,
      numGpus: 1,
    });
    b.setKvOccupancy(0.1, 0);
    const fleet = combineUtilization([a, b.finish()]);
    // FLOPs 1.4e15 + 2e15 over peak 2e16 + 2e16; busy 3 + 10 over 20 + 10 GPU-s.
    expect(fleet.mfu).toBeCloseTo(3.4e15 / 4e16, 15);
    expect(fleet.busyShare).toBeCloseTo(13 / 30, 15);
    expect(fleet.numGpus).toBe(3);
    // KV mean weighted by GPU-seconds: (0.47·20 + 0.1·10) / 30.
    expect(fleet.kvOccupancyMean).toBeCloseTo((0.47 * 20 + 0.1 * 10) / 30, 15);
    expect(fleet.kvOccupancyMax).toBe(0.9);
  });

  it('rejects more GPUs than the meter covers, shares outside [0, 1] and backwards KV time', () => {
    const m = meter();
    expect(() =>
      m.onIteration({
        startSeconds: 0,
        durationSeconds: 1,
        flopsPerGpu: 0,
        bytesPerGpu: 0,
        numGpus: 3,
      }),
    ).toThrow(/numGpus must be an integer in \[1, 2\]/);
    expect(() => m.setKvOccupancy(1.5, 0)).toThrow(/usedShare must be in \[0, 1\]/);
    m.setKvOccupancy(0.5, 3);
    expect(() => m.setKvOccupancy(0.5, 2)).toThrow(/≥ the last update/);
    expect(() => combineUtilization([])).toThrow(/at least one result/);
  });

  it('keeps busy share in [0, 1] for back-to-back iterations and is unchanged by splitting one', () => {
    const its = fc.array(
      fc.record({
        durationSeconds: fc.double({ min: 0, max: 2, noNaN: true }),
        flopsPerGpu: fc.double({ min: 0, max: 1e15, noNaN: true }),
        split: fc.double({ min: 0, max: 1, noNaN: true }),
      }),
      { maxLength: 40 },
    );
    fc.assert(
      fc.property(its, (xs) => {
        const whole = meter();
        const halves = meter();
        let t = 8;
        for (const x of xs) {
          const it = {
            startSeconds: t,
            durationSeconds: x.durationSeconds,
            flopsPerGpu: x.flopsPerGpu,
            bytesPerGpu: 0,
            numGpus: 2,
          };
          whole.onIteration(it);
          const d1 = x.durationSeconds * x.split;
          const d2 = x.durationSeconds - d1;
          if (d1 > 0)
            halves.onIteration({
              ...it,
              durationSeconds: d1,
              flopsPerGpu: x.flopsPerGpu * (d1 / x.durationSeconds),
            });
          if (d2 > 0)
            halves.onIteration({
              ...it,
              startSeconds: t + d1,
              durationSeconds: d2,
              flopsPerGpu: x.flopsPerGpu * (d2 / x.durationSeconds),
            });
          t += x.durationSeconds;
        }
        const a = whole.finish();
        const b = halves.finish();
        expect(a.busyShare).toBeGreaterThanOrEqual(0);
        expect(a.busyShare).toBeLessThanOrEqual(1 + 1e-12);
        expect(b.busyShare).toBeCloseTo(a.busyShare, 9);
        expect(b.mfu).toBeCloseTo(a.mfu, 9);
      }),
      { seed: 13, numRuns: 200 },
    );
  });
});
