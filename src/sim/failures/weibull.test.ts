import { describe, expect, it } from 'vitest';
import {
  gammaFunction,
  minOfIidWeibullScale,
  weibullFromUniform,
  weibullScaleForMean,
} from './weibull.js';

// Reference values: Abramowitz & Stegun 6.1; Γ(0.1) = 9.513507698668732 (A&S table 6.1).
describe('weibull helpers', () => {
  it('computes Γ at integers, half-integers and below 0.5 to 1e-13 relative', () => {
    expect(gammaFunction(5)).toBeCloseTo(24, 11);
    expect(gammaFunction(0.5) / Math.sqrt(Math.PI)).toBeCloseTo(1, 13);
    expect(gammaFunction(1.5) / (Math.sqrt(Math.PI) / 2)).toBeCloseTo(1, 13);
    expect(gammaFunction(0.1) / 9.513507698668732).toBeCloseTo(1, 13);
  });

  it('refuses Γ of a non-positive argument', () => {
    expect(() => gammaFunction(0)).toThrow(/gammaFunction: requires a finite x > 0/);
  });

  it('picks the scale whose mean is the MTBF: λ = mean / Γ(1 + 1/k)', () => {
    expect(weibullScaleForMean(100, 1)).toBeCloseTo(100, 12);
    // Γ(1 + 1/2) = √π / 2
    expect(weibullScaleForMean(100, 2)).toBeCloseTo(100 / (Math.sqrt(Math.PI) / 2), 10);
  });

  it('gives the minimum of n iid Weibulls the scale λ·n^(−1/k)', () => {
    expect(minOfIidWeibullScale(100, 1, 4)).toBe(25);
    expect(minOfIidWeibullScale(100, 0.5, 4)).toBeCloseTo(6.25, 12);
  });

  it('inverts the Weibull CDF: u = 1 − e^(−1) maps to the scale', () => {
    expect(weibullFromUniform(1 - Math.exp(-1), 7, 0.6)).toBeCloseTo(7, 12);
  });
});
