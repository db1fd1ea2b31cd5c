import { describe, expect, it } from 'vitest';
import { bisectIncreasing } from './roots.js';

describe('bisectIncreasing', () => {
  it('finds the crossing of an increasing function to the bracket width 2^-steps', () => {
    // √2 as the root of x² − 2 on [0, 2].
    expect(bisectIncreasing((x) => x * x - 2, 0, 2)).toBeCloseTo(Math.SQRT2, 15);
    // 10 halvings of a width-2 bracket: within 2·2⁻¹⁰ / 2 of the root, and not closer by luck.
    const coarse = bisectIncreasing((x) => x * x - 2, 0, 2, { steps: 10 });
    expect(Math.abs(coarse - Math.SQRT2)).toBeLessThanOrEqual(2 ** -10);
    expect(Math.abs(coarse - Math.SQRT2)).toBeGreaterThan(1e-6);
  });

  it('stops at the tolerance and reads a decreasing function through its negation', () => {
    let calls = 0;
    const x = bisectIncreasing(
      (v) => {
        calls++;
        return -(1 / v - 4); // 1/v is decreasing; crosses 4 at v = 0.25
      },
      0.01,
      10,
      { steps: 200, tolerance: 1e-6 },
    );
    expect(x).toBeCloseTo(0.25, 6);
    expect(calls).toBe(Math.ceil(Math.log2((10 - 0.01) / 1e-6)));
  });

  it('ends at an end of the bracket when f does not cross zero inside it', () => {
    expect(bisectIncreasing(() => -1, 0, 1)).toBeCloseTo(1, 12);
    expect(bisectIncreasing(() => 1, 0, 1)).toBeCloseTo(0, 12);
  });
});
