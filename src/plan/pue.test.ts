import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { designDayPue, pueAt, pueCurve, type PueInput } from './pue.js';

const model = (cooling: PueInput['cooling'], climate: PueInput['climate']): PueInput => ({
  spec: { kind: 'model' },
  cooling,
  climate,
});

describe('pue', () => {
  // Hand-computed from PUE_ANCHORS: air O = 0.40; liquid O = 0.40 − 0.25 = 0.15; hot adds
  // 0.33 (air) or 0.33 · 0.15/0.40 = 0.12375 (liquid); fixed share 0.3; k = 1.2 / 1.35 / 1.5.
  it('gives 1.40 at full load for air cooling in a temperate climate', () => {
    expect(pueAt(model('air', 'temperate'), 1)).toBeCloseTo(1.4, 12);
  });

  it('rises at half load by the fixed overhead: 1 + 0.28 + 0.12/0.5 = 1.52', () => {
    expect(pueAt(model('air', 'temperate'), 0.5)).toBeCloseTo(1.52, 12);
  });

  it('is 0.25 lower with direct liquid cooling: 1.15 at full load', () => {
    expect(pueAt(model('direct-liquid', 'temperate'), 1)).toBeCloseTo(1.15, 12);
  });

  it('adds the Uptime hot-climate gap: air 1.73, liquid 1.27375', () => {
    expect(pueAt(model('air', 'hot'), 1)).toBeCloseTo(1.73, 12);
    expect(pueAt(model('direct-liquid', 'hot'), 1)).toBeCloseTo(1.27375, 12);
  });

  it('gives design-day PUE 1 + k·O: air temperate 1.54, liquid temperate 1.2025, air hot 2.095', () => {
    expect(designDayPue(model('air', 'temperate')).value).toBeCloseTo(1.54, 12);
    expect(designDayPue(model('direct-liquid', 'temperate')).value).toBeCloseTo(1.2025, 12);
    expect(designDayPue(model('air', 'hot')).value).toBeCloseTo(2.095, 12);
    expect(designDayPue(model('air', 'cold')).value).toBeCloseTo(1.48, 12);
  });

  it('splits the overhead 30% fixed, 70% proportional', () => {
    const c = pueCurve('air', 'temperate');
    expect(c.fixedOverhead).toBeCloseTo(0.12, 12);
    expect(c.proportionalOverhead).toBeCloseTo(0.28, 12);
  });

  it('uses a constant override as given, design day defaulting to it', () => {
    const input: PueInput = {
      spec: { kind: 'constant', pue: 1.3 },
      cooling: 'air',
      climate: 'hot',
    };
    expect(pueAt(input, 0.2)).toBe(1.3);
    expect(designDayPue(input).value).toBe(1.3);
    expect(
      designDayPue({ ...input, spec: { kind: 'constant', pue: 1.2, designDayPue: 1.35 } }).value,
    ).toBe(1.35);
  });

  it('rejects a load fraction outside (0, 1] and a PUE below 1', () => {
    expect(() => pueAt(model('air', 'temperate'), 0)).toThrow(/loadFraction/);
    expect(() =>
      pueAt({ ...model('air', 'cold'), spec: { kind: 'constant', pue: 0.9 } }, 1),
    ).toThrow(/≥ 1/);
  });

  it('never falls as load falls, and design day is never below full-load PUE', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('air' as const, 'direct-liquid' as const),
        fc.constantFrom('cold' as const, 'temperate' as const, 'hot' as const),
        fc.double({ min: 0.01, max: 1, noNaN: true }),
        fc.double({ min: 0.01, max: 1, noNaN: true }),
        (cooling, climate, l1, l2) => {
          const m = model(cooling, climate);
          const [lo, hi] = l1 < l2 ? [l1, l2] : [l2, l1];
          expect(pueAt(m, lo)).toBeGreaterThanOrEqual(pueAt(m, hi));
          expect(designDayPue(m).value).toBeGreaterThanOrEqual(pueAt(m, 1));
        },
      ),
    );
  });
});
