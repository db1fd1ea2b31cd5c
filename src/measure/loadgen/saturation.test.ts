import { describe, expect, it } from 'vitest';
import { saturationVerdict } from './saturation.js';

const p = (tokenGoodputPerSecond: number, sloAttainment: number | null = 1) => ({
  label: `x${tokenGoodputPerSecond}`,
  tokenGoodputPerSecond,
  sloAttainment,
});

describe('saturation rule', () => {
  it('keeps going while goodput grows by at least 5 %', () => {
    expect(saturationVerdict([p(100), p(190), p(300)]).saturated).toBe(false);
  });

  it('stops when goodput grows less than 5 % over the best earlier stage', () => {
    const v = saturationVerdict([p(100), p(200), p(205)]);
    expect(v.saturated).toBe(true);
    expect(v.reason).toMatch(/goodput stopped growing/);
  });

  it('stops when SLO attainment collapses below one half', () => {
    const v = saturationVerdict([p(100), p(300, 0.4)]);
    expect(v.reason).toMatch(/SLO attainment collapsed/);
  });

  it('with patience 2 waits for two flat stages', () => {
    const rule = { minSloAttainment: 0.5, minGoodputGrowth: 0.05, patience: 2 };
    expect(saturationVerdict([p(100), p(101)], rule).saturated).toBe(false);
    expect(saturationVerdict([p(100), p(101), p(102)], rule).saturated).toBe(true);
  });
});
