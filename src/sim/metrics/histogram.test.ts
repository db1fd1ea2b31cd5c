import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AifError } from '../../core/errors.js';
import { HISTOGRAM_RELATIVE_PRECISION, LatencyHistogram } from './histogram.js';

/** Exact nearest-rank percentile x₍⌈p·n⌉₎ (Hyndman & Fan type 1), the oracle for hdr. */
function nearestRank(values: readonly number[], percent: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((percent / 100) * sorted.length - 1e-9));
  return sorted[rank - 1]!;
}

describe('LatencyHistogram', () => {
  it('reports count 0 and null statistics when empty', () => {
    expect(new LatencyHistogram().summary()).toStrictEqual({
      count: 0,
      meanSeconds: null,
      p50Seconds: null,
      p90Seconds: null,
      p95Seconds: null,
      p99Seconds: null,
      p999Seconds: null,
      maxSeconds: null,
    });
  });

  it('gives exact nearest-rank percentiles below 2048 µs, where hdr has unit resolution', () => {
    // 10 µs, 20 µs, …, 1000 µs. Hand-computed: p50 = 50th value, p90 = 90th, p95 = 95th,
    // p99 = 99th, p99.9 = ⌈99.9⌉ = 100th; mean = 10 µs · 50.5.
    const h = new LatencyHistogram();
    for (let k = 1; k <= 100; k++) h.record(k * 1e-5);
    expect(h.summary()).toStrictEqual({
      count: 100,
      meanSeconds: 0.000505,
      p50Seconds: 0.0005,
      p90Seconds: 0.0009,
      p95Seconds: 0.00095,
      p99Seconds: 0.00099,
      p999Seconds: 0.001,
      maxSeconds: 0.001,
    });
  });

  it('computes the mean exactly from a running sum, not from buckets', () => {
    const h = new LatencyHistogram();
    h.record(1.0001);
    h.record(2.0003);
    // Bucket midpoints would be off by up to 0.05 %; the running sum is exact.
    expect(h.summary().meanSeconds).toBe((1.0001 + 2.0003) / 2);
    expect(h.summary().maxSeconds).toBe(2.0003);
  });

  it('reports percentiles within 0.1 % (+0.5 µs rounding) of the exact order statistic', () => {
    expect(HISTOGRAM_RELATIVE_PRECISION).toBeLessThan(0.001);
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 1e-5, max: 3600, noNaN: true }), {
          minLength: 1,
          maxLength: 400,
        }),
        (values) => {
          const h = new LatencyHistogram();
          for (const v of values) h.record(v);
          for (const p of [50, 90, 95, 99, 99.9]) {
            const exact = nearestRank(values, p);
            const got = h.percentileSeconds(p)!;
            expect(Math.abs(got - exact)).toBeLessThanOrEqual(0.001 * exact + 0.5e-6);
            expect(got).toBeLessThanOrEqual(Math.max(...values));
          }
        },
      ),
      { seed: 20260101, numRuns: 200 },
    );
  });

  it('never reports a percentile above the exact maximum', () => {
    const h = new LatencyHistogram();
    h.record(1.2345678);
    expect(h.percentileSeconds(99.9)).toBe(1.2345678);
    expect(h.summary().maxSeconds).toBe(1.2345678);
  });

  it('records a count of equal values as that many single records', () => {
    const a = new LatencyHistogram();
    const b = new LatencyHistogram();
    a.record(0.02, 3);
    a.record(0.5);
    for (let i = 0; i < 3; i++) b.record(0.02);
    b.record(0.5);
    expect(a.summary()).toStrictEqual(b.summary());
    expect(a.summary().p50Seconds).toBeCloseTo(0.02, 4);
  });

  it('records repeated rounds of values bit for bit as the single records would', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 2000, noNaN: true }), { maxLength: 5 }),
        fc.array(fc.double({ min: 0, max: 2000, noNaN: true }), { minLength: 1, maxLength: 4 }),
        fc.array(fc.nat(5), { minLength: 4, maxLength: 4 }),
        fc.nat(40),
        (before, values, counts, repeats) => {
          const a = new LatencyHistogram();
          const b = new LatencyHistogram();
          for (const v of before) {
            a.record(v);
            b.record(v);
          }
          const n = counts.slice(0, values.length);
          a.recordRepeated(values, n, repeats);
          for (let r = 0; r < repeats; r++) values.forEach((v, p) => b.record(v, n[p]));
          expect(a.summary()).toStrictEqual(b.summary());
        },
      ),
    );
  });

  it('rejects repeated records with mismatched lists or a bad repeat count', () => {
    const h = new LatencyHistogram();
    expect(() => h.recordRepeated([0.1], [1, 2], 1)).toThrow(/recordRepeated: 1 values but 2/);
    expect(() => h.recordRepeated([0.1], [1], -1)).toThrow(/repeats must be/);
    expect(() => h.recordRepeated([-0.1], [1], 1)).toThrow(/seconds must be finite/);
  });

  it('counts beyond 2³² without overflow (a fleet-hour of pooled gaps)', () => {
    const h = new LatencyHistogram();
    h.record(0.02, 5e9);
    h.record(0.04, 5e9);
    const s = h.summary();
    expect(s.count).toBe(1e10);
    expect(s.meanSeconds).toBeCloseTo(0.03, 12);
    expect(s.p50Seconds).toBeCloseTo(0.02, 4);
    expect(s.p90Seconds).toBeCloseTo(0.04, 4);
  });

  it('merges another histogram as if its values had been recorded here', () => {
    const a = new LatencyHistogram();
    const b = new LatencyHistogram();
    const all = new LatencyHistogram();
    [0.1, 0.2, 3].forEach((v) => (a.record(v), all.record(v)));
    [0.05, 40, 0.3].forEach((v) => (b.record(v), all.record(v)));
    a.add(b);
    expect(a.summary()).toStrictEqual(all.summary());
  });

  it('gives identical summaries for identical inputs', () => {
    const run = () => {
      const h = new LatencyHistogram();
      for (let i = 1; i <= 1000; i++) h.record(((i * 7919) % 1009) / 97, 1 + (i % 3));
      return h.summary();
    };
    expect(run()).toStrictEqual(run());
  });

  it('rejects negative or non-finite seconds and non-integer counts, naming the function', () => {
    const h = new LatencyHistogram();
    expect(() => h.record(-1)).toThrow(AifError);
    expect(() => h.record(Number.NaN)).toThrow(/LatencyHistogram.record: seconds/);
    expect(() => h.record(1, 1.5)).toThrow(/count must be a non-negative integer/);
    expect(() => h.percentileSeconds(0)).toThrow(/percent must be in \(0, 100\]/);
  });
});
