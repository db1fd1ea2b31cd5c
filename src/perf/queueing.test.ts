import { describe, expect, it } from 'vitest';
import { createRng } from '../core/rng.js';
import {
  exponentialTailWaitQuantile,
  mdOneMeanWaitSeconds,
  normalQuantile,
  poissonQuantile,
} from './queueing.js';

describe('M/D/1 mean wait', () => {
  it('matches a seeded simulation of the queue within 5% (Lindley recursion)', () => {
    const rng = createRng(7, 'md1');
    const service = 1;
    for (const rho of [0.3, 0.7]) {
      const rate = rho / service;
      let wait = 0;
      let sum = 0;
      const n = 200_000;
      for (let i = 0; i < n; i++) {
        sum += wait;
        const gap = rng.nextExponential(rate);
        wait = Math.max(0, wait + service - gap); // Lindley: W(k+1) = max(0, W(k) + S − A)
      }
      expect(sum / n).toBeGreaterThan(mdOneMeanWaitSeconds(rho, service) * 0.95);
      expect(sum / n).toBeLessThan(mdOneMeanWaitSeconds(rho, service) * 1.05);
    }
  });

  it('refuses a saturated queue', () => {
    expect(() => mdOneMeanWaitSeconds(1, 1)).toThrow(/rho must be in/);
  });
});

describe('M/M/1 waiting-time quantile', () => {
  it('reproduces the exact M/M/1 tail: P(W > t₉₉) = 1%', () => {
    // M/M/1 with ρ = 0.8, S = 1: W̄ = ρS/(1−ρ) = 4, P(W > t) = ρ·e^{−t(1−ρ)/S}.
    const t = exponentialTailWaitQuantile(4, 0.8, 0.99);
    expect(0.8 * Math.exp(-t * 0.2)).toBeCloseTo(0.01, 10);
  });
});

describe('Poisson and normal quantiles', () => {
  it('gives the exact Poisson 99th percentile for small means', () => {
    // P(Poisson(4) ≤ 9) = 0.99187, P(≤ 8) = 0.97864 (tables).
    expect(poissonQuantile(4, 0.99)).toBe(9);
  });

  it('agrees with the normal approximation at large means', () => {
    const k = poissonQuantile(10_000, 0.99);
    expect(k).toBeGreaterThan(10_000 + 2.3 * 100);
    expect(k).toBeLessThan(10_000 + 2.4 * 100);
  });

  it('inverts the normal CDF at known points', () => {
    expect(normalQuantile(0.5)).toBeCloseTo(0, 9);
    expect(normalQuantile(0.99)).toBeCloseTo(2.326347874, 6);
    expect(normalQuantile(0.01)).toBeCloseTo(-2.326347874, 6);
  });
});
