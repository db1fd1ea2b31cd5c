import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TimeSeriesSampler } from './timeseries.js';

describe('TimeSeriesSampler', () => {
  it('reports a gauge as its time-weighted mean per interval', () => {
    // Δ = 1 s; g = 0 on [0, 0.5), 2 on [0.5, 1.5), 4 from 1.5 on.
    // I₀: 2·0.5 = 1; I₁: 2·0.5 + 4·0.5 = 3; I₂: 4.
    const s = new TimeSeriesSampler({ intervalSeconds: 1 });
    s.set('queue', 2, 0.5);
    s.set('queue', 4, 1.5);
    expect(s.finish(3).series.queue).toStrictEqual([1, 3, 4]);
  });

  it('reports a counter as sums and rates per interval, a short last interval at its own length', () => {
    const s = new TimeSeriesSampler({ intervalSeconds: 1 });
    s.add('done', 1, 0);
    s.add('done', 2, 0.999);
    s.add('done', 5, 2.25);
    const out = s.finish(2.5);
    expect(out.series.done).toStrictEqual([3, 0, 5]);
    expect(out.ratesPerSecond.done).toStrictEqual([3, 0, 10]);
    expect(out.kinds).toStrictEqual({ done: 'counter' });
  });

  it('averages a partial last interval over the time it covers', () => {
    const s = new TimeSeriesSampler({ intervalSeconds: 2 });
    s.set('kv', 0.5, 0);
    s.set('kv', 1, 2.5);
    // I₁ = [2, 3): 0.5·0.5 + 1·0.5 over 1 s.
    expect(s.finish(3).series.kv).toStrictEqual([0.5, 0.75]);
  });

  it('puts a time computed as start + k·Δ into interval k despite rounding (0.7/0.1 < 7)', () => {
    expect(0.7 / 0.1).toBeLessThan(7);
    const s = new TimeSeriesSampler({ intervalSeconds: 0.1 });
    s.add('x', 1, 0.7);
    const series = s.finish(1).series.x!;
    expect(series).toHaveLength(10);
    expect(series[7]).toBe(1);
  });

  it('counts an amount at the end time in the last interval', () => {
    const s = new TimeSeriesSampler({ intervalSeconds: 1 });
    s.add('done', 1, 2);
    expect(s.finish(2).series.done).toStrictEqual([0, 1]);
  });

  it('starts at startSeconds: earlier counter amounts are left out, an earlier gauge value holds', () => {
    const s = new TimeSeriesSampler({ intervalSeconds: 1, startSeconds: 10 });
    s.add('done', 7, 9);
    s.set('power', 300, 5);
    s.add('done', 1, 10.5);
    const out = s.finish(12);
    expect(out.startSeconds).toBe(10);
    expect(out.series.done).toStrictEqual([1, 0]);
    expect(out.series.power).toStrictEqual([300, 300]);
  });

  it('sorts series names and can be finished again later', () => {
    const s = new TimeSeriesSampler({ intervalSeconds: 1 });
    s.set('b', 1, 0);
    s.add('a', 1, 0);
    const first = s.finish(1);
    expect(Object.keys(first.series)).toStrictEqual(['a', 'b']);
    expect(s.finish(1)).toStrictEqual(first);
    s.set('b', 3, 1.5);
    expect(s.finish(2).series.b).toStrictEqual([1, 2]);
  });

  it('rejects a name used as both kinds, time running backwards, and an end before the last event', () => {
    const s = new TimeSeriesSampler({ intervalSeconds: 1 });
    s.set('g', 1, 5);
    expect(() => s.add('g', 1, 6)).toThrow(/series g is a gauge, not a counter/);
    expect(() => s.set('g', 1, 4)).toThrow(/must not decrease/);
    expect(() => s.finish(4)).toThrow(/must not precede the last recorded time/);
    expect(() => new TimeSeriesSampler({ intervalSeconds: 0 })).toThrow(/intervalSeconds/);
  });

  it('integrates a random step function exactly: Σ mean·length = Σ rectangles', () => {
    const steps = fc.array(
      fc.record({
        dt: fc.double({ min: 0, max: 3, noNaN: true }),
        value: fc.double({ min: -100, max: 100, noNaN: true }),
      }),
      { minLength: 1, maxLength: 50 },
    );
    fc.assert(
      fc.property(steps, fc.double({ min: 0.05, max: 2, noNaN: true }), (ss, interval) => {
        const sampler = new TimeSeriesSampler({ intervalSeconds: interval });
        let t = 0;
        let rectangles = 0;
        let last: { value: number; t: number } | undefined;
        for (const { dt, value } of ss) {
          t += dt;
          if (last) rectangles += last.value * (t - last.t);
          sampler.set('g', value, t);
          last = { value, t };
        }
        const end = t + 1;
        rectangles += last!.value * (end - last!.t);
        const out = sampler.finish(end);
        const means = out.series.g!;
        let integral = 0;
        means.forEach(
          (m, k) => (integral += m * (Math.min(end, (k + 1) * interval) - k * interval)),
        );
        expect(integral).toBeCloseTo(rectangles, 6);
        expect(means).toHaveLength(Math.ceil(end / interval - 1e-9));
      }),
      { seed: 11, numRuns: 200 },
    );
  });
});
