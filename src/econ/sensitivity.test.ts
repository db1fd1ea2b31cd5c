import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { tornado, type ModelInputs } from './sensitivity.js';

// f = 100 + 3a − 2b + 0·c (c is ignored): the swing of xᵢ is |bᵢ|·|highᵢ − lowᵢ|.
const linear = (x: ModelInputs): number => 100 + 3 * x.a! - 2 * x.b!;
const base = { a: 10, b: 40, c: 7 };

describe('tornado', () => {
  it('on a linear model the swings equal |coefficient|·|high − low|', () => {
    const r = tornado(linear, base, [
      { input: 'a', pct: 10 },
      { input: 'b', low: 30, high: 45 },
    ]);
    expect(r.baseOutput).toBe(100 + 30 - 80);
    const a = r.bars.find((bar) => bar.input === 'a')!;
    const b = r.bars.find((bar) => bar.input === 'b')!;
    expect(a.lowInput).toBeCloseTo(9, 12);
    expect(a.highInput).toBeCloseTo(11, 12);
    expect(a.lowOutput).toBeCloseTo(47, 12);
    expect(a.highOutput).toBeCloseTo(53, 12);
    expect(a.swing).toBeCloseTo(3 * 2, 12);
    expect(b).toEqual({
      input: 'b',
      lowInput: 30,
      highInput: 45,
      lowOutput: 70,
      highOutput: 40,
      swing: 2 * 15,
    });
  });

  it('sorts the bars by descending swing', () => {
    const r = tornado(linear, base, [
      { input: 'c', pct: 50 },
      { input: 'a', pct: 10 },
      { input: 'b', pct: 10 },
    ]);
    expect(r.bars.map((bar) => bar.input)).toEqual(['b', 'a', 'c']); // swings 16, 6, 0
  });

  it('gives an input the model ignores a swing of 0', () => {
    const r = tornado(linear, base, [{ input: 'c', low: -1e6, high: 1e6 }]);
    expect(r.bars[0]!.swing).toBe(0);
    expect(r.bars[0]!.lowOutput).toBe(r.baseOutput);
  });

  it('takes the P10 and P90 of an uncertain range as low and high', () => {
    const r = tornado(linear, base, [{ input: 'a', range: { dist: 'uniform', min: 0, max: 20 } }]);
    expect(r.bars[0]!.lowInput).toBe(2);
    expect(r.bars[0]!.highInput).toBe(18);
    expect(r.bars[0]!.swing).toBeCloseTo(3 * 16, 12);
  });

  it('keeps the spec order for equal swings', () => {
    const r = tornado((x) => x.p! + x.q!, { p: 1, q: 1 }, [
      { input: 'q', pct: 20 },
      { input: 'p', pct: 20 },
    ]);
    expect(r.bars.map((bar) => bar.input)).toEqual(['q', 'p']);
  });

  it('varies one input at a time, the others held at base', () => {
    const seen: ModelInputs[] = [];
    tornado(
      (x) => {
        seen.push(x);
        return 0;
      },
      { a: 1, b: 2 },
      [{ input: 'a', low: 0, high: 5 }],
    );
    expect(seen).toEqual([
      { a: 1, b: 2 },
      { a: 0, b: 2 },
      { a: 5, b: 2 },
    ]);
  });

  it('on any linear model, swings equal the closed form and are sorted (property)', () => {
    const coef = fc.double({ min: -100, max: 100, noNaN: true });
    const value = fc.double({ min: -1e3, max: 1e3, noNaN: true });
    fc.assert(
      fc.property(
        fc.array(fc.tuple(coef, value, fc.double({ min: 0, max: 90, noNaN: true })), {
          minLength: 1,
          maxLength: 6,
        }),
        (terms) => {
          const names = terms.map((_, i) => `x${i}`);
          const baseInputs = Object.fromEntries(terms.map(([, v], i) => [names[i]!, v]));
          const model = (x: ModelInputs) => terms.reduce((s, [c], i) => s + c * x[names[i]!]!, 0);
          const r = tornado(
            model,
            baseInputs,
            terms.map(([, , pct], i) => ({ input: names[i]!, pct })),
          );
          // Float rounding of the sums: relative to the largest term magnitude.
          const scale = 1 + terms.reduce((s, [c, v]) => s + Math.abs(c * v) * 2, 0);
          for (const bar of r.bars) {
            const i = names.indexOf(bar.input);
            const [c, v, pct] = terms[i]!;
            const expected = (Math.abs(c) * Math.abs(v) * (2 * pct)) / 100;
            expect(Math.abs(bar.swing - expected)).toBeLessThanOrEqual(1e-12 * scale);
          }
          for (let i = 1; i < r.bars.length; i++)
            expect(r.bars[i - 1]!.swing).toBeGreaterThanOrEqual(r.bars[i]!.swing);
        },
      ),
    );
  });

  it('rejects unknown or repeated inputs, negative pct and non-finite model outputs', () => {
    expect(() => tornado(linear, base, [{ input: 'z', pct: 10 }])).toThrow(
      /tornado: input 'z' is not among the base inputs/,
    );
    expect(() =>
      tornado(linear, base, [
        { input: 'a', pct: 10 },
        { input: 'a', pct: 5 },
      ]),
    ).toThrow(/listed twice/);
    expect(() => tornado(linear, base, [{ input: 'a', pct: -1 }])).toThrow(/≥ 0/);
    expect(() => tornado((x) => 1 / x.a!, { a: 0 }, [{ input: 'a', pct: 10 }])).toThrow(
      /finite number/,
    );
  });
});
