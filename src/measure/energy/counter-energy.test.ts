import { describe, expect, it } from 'vitest';
import { differenceEnergyCounter, type CounterPoint } from './counter-energy.js';

/** Counter readings every 0.1 s from 0 to `t1`, starting at `c0` joules and rising `watts`. */
const readings = (t1: number, c0: number, watts: number, modulus = Infinity): CounterPoint[] => {
  const out: CounterPoint[] = [];
  for (let i = 0; i * 0.1 <= t1 + 1e-9; i++) {
    out.push({ timestampSeconds: i * 0.1, energyCounterJoules: (c0 + watts * i * 0.1) % modulus });
  }
  return out;
};

describe('differenceEnergyCounter', () => {
  it('is the counter difference, interpolated at the window edges (300 W over 1.5 s = 450 J)', () => {
    const r = differenceEnergyCounter(
      readings(3, 1e6, 300),
      { startSeconds: 0.25, endSeconds: 1.75 },
      { sourcePeriodSeconds: 0.1 },
    );
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.value.energyJoules).toBeCloseTo(450, 6);
      expect(r.value.minWindowSeconds).toBeCloseTo(1, 9);
      expect(r.value.wraps).toBe(0);
    }
  });

  it('unwraps a counter that wraps at a known modulus', () => {
    // 32-bit-style counter of 1000 J: starts at 900 J, wraps during the window.
    const r = differenceEnergyCounter(
      readings(3, 900, 300, 1000),
      { startSeconds: 0, endSeconds: 2 },
      { sourcePeriodSeconds: 0.1, wrapModulusJoules: 1000 },
    );
    expect(r.ok && r.value.energyJoules).toBeCloseTo(600, 6);
    expect(r.ok && r.value.wraps).toBe(1);
  });

  it('refuses a decrease without a known modulus as a reset (driver reload)', () => {
    const r = differenceEnergyCounter(
      readings(3, 900, 300, 1000),
      { startSeconds: 0, endSeconds: 2 },
      { sourcePeriodSeconds: 0.1 },
    );
    expect(!r.ok && r.refusal.code).toBe('counter-reset');
  });

  it('refuses a window under 10 counter periods (0.9 s < 1 s)', () => {
    const r = differenceEnergyCounter(
      readings(3, 0, 300),
      { startSeconds: 1, endSeconds: 1.9 },
      { sourcePeriodSeconds: 0.1 },
    );
    expect(!r.ok && r.refusal.code).toBe('window-too-short');
  });

  it('refuses a counter that did not advance (reads 0 J)', () => {
    const r = differenceEnergyCounter(
      readings(3, 5000, 0),
      { startSeconds: 0.5, endSeconds: 2.5 },
      { sourcePeriodSeconds: 0.1 },
    );
    expect(!r.ok && r.refusal.code).toBe('counter-not-advanced');
  });

  it('only looks at readings around the window: a reset after the window is harmless', () => {
    const pts = [...readings(3, 1000, 100), { timestampSeconds: 3.1, energyCounterJoules: 0 }];
    const r = differenceEnergyCounter(
      pts,
      { startSeconds: 0.5, endSeconds: 2.5 },
      { sourcePeriodSeconds: 0.1 },
    );
    expect(r.ok && r.value.energyJoules).toBeCloseTo(200, 6);
  });
});
