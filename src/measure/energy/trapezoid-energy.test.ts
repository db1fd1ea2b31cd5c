import { describe, expect, it } from 'vitest';
import { integratePowerTrapezoid, type PowerPoint } from './trapezoid-energy.js';

/** Samples every `step` seconds from t0 to t1 inclusive, with power p(t). */
const series = (t0: number, t1: number, step: number, p: (t: number) => number): PowerPoint[] => {
  const out: PowerPoint[] = [];
  for (let i = 0; t0 + i * step <= t1 + 1e-9; i++) {
    const t = t0 + i * step;
    out.push({ timestampSeconds: t, powerWatts: p(t) });
  }
  return out;
};

describe('integratePowerTrapezoid', () => {
  it('gives P × t for constant power (100 W over 10 s = 1000 J)', () => {
    const r = integratePowerTrapezoid(
      series(0, 20, 0.5, () => 100),
      { startSeconds: 5, endSeconds: 15 },
      { sourcePeriodSeconds: 1 },
    );
    expect(r.ok && r.value.energyJoules).toBeCloseTo(1000, 9);
  });

  it('is exact for a linear ramp and interpolates power at the window edges', () => {
    // P(t) = 10 t; ∫_{2.25}^{12.25} 10 t dt = 5 (12.25² − 2.25²) = 5 × 145 = 725 J (hand-computed).
    const r = integratePowerTrapezoid(
      series(0, 20, 0.5, (t) => 10 * t),
      { startSeconds: 2.25, endSeconds: 12.25 },
      { sourcePeriodSeconds: 1 },
    );
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.value.energyJoules).toBeCloseTo(725, 9);
      expect(r.value.samplesInWindow).toBe(20);
      expect(r.value.minWindowSeconds).toBe(10);
    }
  });

  it('refuses a window shorter than 10 × the 1 s averaging period', () => {
    const r = integratePowerTrapezoid(
      series(0, 20, 0.1, () => 100),
      { startSeconds: 5, endSeconds: 14 },
      { sourcePeriodSeconds: 1 },
    );
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.refusal.code).toBe('window-too-short');
      expect(r.refusal.details).toEqual({ windowSeconds: 9, minWindowSeconds: 10 });
    }
  });

  it('raises the minimum window with the sampling gap (2 s gaps → 20 s)', () => {
    const r = integratePowerTrapezoid(
      series(0, 40, 2, () => 100),
      { startSeconds: 5, endSeconds: 30 },
      { sourcePeriodSeconds: 1, minSamplesInWindow: 5 },
    );
    expect(r.ok && r.value.minWindowSeconds).toBe(20);
    const short = integratePowerTrapezoid(
      series(0, 40, 2, () => 100),
      { startSeconds: 5, endSeconds: 24 },
      { sourcePeriodSeconds: 1, minSamplesInWindow: 5 },
    );
    expect(!short.ok && short.refusal.code).toBe('window-too-short');
  });

  it('refuses too few samples inside the window', () => {
    // Samples at 6, 8, …, 20 s: 8 inside the window, 10 required.
    const r = integratePowerTrapezoid(
      series(0, 40, 2, () => 100),
      { startSeconds: 5, endSeconds: 21 },
      { sourcePeriodSeconds: 1 },
    );
    expect(!r.ok && r.refusal).toMatchObject({
      code: 'too-few-samples',
      details: { samplesInWindow: 8 },
    });
  });

  it('refuses a gap longer than 3 s between samples', () => {
    const pts = [...series(0, 10, 0.5, () => 100), ...series(14, 30, 0.5, () => 100)];
    const r = integratePowerTrapezoid(
      pts,
      { startSeconds: 5, endSeconds: 25 },
      { sourcePeriodSeconds: 1 },
    );
    expect(!r.ok && r.refusal.code).toBe('sample-gap');
  });

  it('refuses a window the samples do not bracket, and an inverted window', () => {
    const pts = series(10, 30, 0.5, () => 100);
    expect(
      integratePowerTrapezoid(pts, { startSeconds: 5, endSeconds: 25 }, { sourcePeriodSeconds: 1 }),
    ).toMatchObject({
      ok: false,
      refusal: { code: 'window-not-covered' },
    });
    expect(
      integratePowerTrapezoid(
        pts,
        { startSeconds: 25, endSeconds: 15 },
        { sourcePeriodSeconds: 1 },
      ),
    ).toMatchObject({
      ok: false,
      refusal: { code: 'invalid-window' },
    });
  });
});
