import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  AMORTIZATION_METHODS,
  annuityUsdPerHour,
  capitalRecoveryFactor,
  straightLineUsdPerHour,
} from './depreciation.js';

describe('depreciation', () => {
  it('spreads the purchase evenly over the life in hours (straight-line)', () => {
    // 270,000 USD / (4 years × 8760 h) = 270000 / 35040 = 7.705479 USD/hour
    expect(straightLineUsdPerHour(270_000, 4)).toBeCloseTo(7.705479, 6);
  });

  it('gives the textbook capital recovery factor at 8% over 5 years', () => {
    // r/(1−(1+r)^−n): 1.08^−5 = 0.6805832; 0.08 / 0.3194168 = 0.2504565 (standard annuity tables: 0.25046)
    expect(capitalRecoveryFactor(0.08, 5)).toBeCloseTo(0.2504565, 7);
  });

  it('charges an annuity above straight-line at a positive rate', () => {
    // CRF(0.08, 4) = 0.08 / (1 − 1.08^−4) = 0.08 / 0.2649698 = 0.3019208; × 270000 / 8760 = 9.305781
    expect(annuityUsdPerHour(270_000, 4, 0.08)).toBeCloseTo(9.305781, 5);
  });

  it('is exactly straight-line at a zero rate', () => {
    expect(annuityUsdPerHour(1e6, 5, 0)).toBe(straightLineUsdPerHour(1e6, 5));
  });

  it('tends to straight-line as the rate tends to zero', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 1e3, max: 1e9, noNaN: true }),
        fc.double({ min: 0.5, max: 30, noNaN: true }),
        fc.double({ min: 1e-12, max: 1e-4, noNaN: true }),
        (capex, life, rate) => {
          const sl = straightLineUsdPerHour(capex, life);
          const an = annuityUsdPerHour(capex, life, rate);
          // CRF = 1/n + r/2 + O(r²) ⇒ relative excess ≈ r(n+1)/2 < r(n+1)
          expect(an).toBeGreaterThanOrEqual(sl * (1 - 1e-12));
          expect((an - sl) / sl).toBeLessThanOrEqual(rate * (life + 1));
        },
      ),
    );
  });

  it('rises with the cost of capital', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 0.5, noNaN: true }),
        fc.double({ min: 0.001, max: 0.5, noNaN: true }),
        (r, dr) => {
          expect(annuityUsdPerHour(1e6, 5, r + dr)).toBeGreaterThan(annuityUsdPerHour(1e6, 5, r));
        },
      ),
    );
  });

  it('refuses a non-positive life', () => {
    expect(() => straightLineUsdPerHour(1, 0)).toThrow(/lifeYears must be > 0/);
    expect(() => capitalRecoveryFactor(0.05, -1)).toThrow(/years must be > 0/);
  });

  it('exposes both methods through the registry under their own names', () => {
    for (const [name, m] of Object.entries(AMORTIZATION_METHODS)) expect(m.name).toBe(name);
    expect(AMORTIZATION_METHODS.annuity.usdPerHour(270_000, 4, 0.08)).toBe(
      annuityUsdPerHour(270_000, 4, 0.08),
    );
    expect(AMORTIZATION_METHODS['straight-line'].usdPerHour(270_000, 4, 0.08)).toBe(
      straightLineUsdPerHour(270_000, 4),
    );
  });
});
