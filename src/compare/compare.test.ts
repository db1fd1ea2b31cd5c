import { describe, expect, it } from 'vitest';
import type { Basis, Metric } from '../core/basis.js';
import { AifError } from '../core/errors.js';
import { compareResults, uniqueMetricNames } from './compare.js';

const basis = (over: Partial<Basis> = {}): Basis => ({
  model: 'deepseek-r1',
  precision: 'fp8',
  workload: 'ISL 8192/OSL 1024, conc 64',
  slo: { tpotP99Seconds: 0.05 },
  utilization: 'busy 100%',
  boundary: 'gpu',
  currencyYear: 'n/a',
  provenance: 'modeled',
  source: 'catalog 2026.11.0',
  ...over,
});
const m = (name: string, value: number, unit: string, over: Partial<Basis> = {}): Metric => ({
  name,
  value,
  unit,
  basis: basis(over),
});
const side = (name: string, ...metrics: Metric[]) => ({ name, metrics });

describe('compareResults', () => {
  it('refuses a verdict between an FP4 and an FP8 result, naming the field and both values', () => {
    const r = compareResults(
      side('gb300', m('output tok/s per GPU', 1000, 'tok/s', { precision: 'nvfp4' })),
      side('h200', m('output tok/s per GPU', 400, 'tok/s')),
    );
    const p = r.pairs[0]!;
    expect(p.verdict).toBeUndefined();
    expect(p.refusal).toContain('precision (a: nvfp4, b: fp8)');
    expect(p.refusal).toContain('cannot be normalised');
  });

  it('refuses a verdict between chip- and facility-boundary tokens per joule', () => {
    const r = compareResults(
      side('a', m('output tokens per joule', 5, 'tok/J', { boundary: 'chip', powerKind: 'drawn' })),
      side(
        'b',
        m('output tokens per joule', 3, 'tok/J', { boundary: 'facility', powerKind: 'drawn' }),
      ),
    );
    expect(r.pairs[0]!.verdict).toBeUndefined();
    expect(r.pairs[0]!.refusal).toContain('boundary (a: chip, b: facility)');
  });

  it('will not let precision or boundary be ignored or assumed equal', () => {
    expect(() => compareResults(side('a'), side('b'), { ignore: ['precision' as never] })).toThrow(
      AifError,
    );
    expect(() =>
      compareResults(side('a'), side('b'), { assumeEqual: ['boundary' as never] }),
    ).toThrow(/cannot be ignored or assumed equal/);
  });

  it('gives a verdict on equal bases, with the direction of each metric', () => {
    const r = compareResults(
      side(
        'a',
        m('output tok/s per GPU', 500, 'tok/s'),
        m('TPOT (steady-state mean)', 0.02, 's'),
        m('cost per 1M output tokens', 0.9, 'USD/M tokens', { currencyYear: 'USD-2026' }),
      ),
      side(
        'b',
        m('output tok/s per GPU', 400, 'tok/s'),
        m('TPOT (steady-state mean)', 0.025, 's'),
        m('cost per 1M output tokens', 1.2, 'USD/M tokens', { currencyYear: 'USD-2026' }),
      ),
    );
    const [tput, tpot, cost] = r.pairs;
    expect(tput!.verdict).toMatchObject({ better: 'a', direction: 'higher-is-better' });
    expect(tput!.verdict!.percent).toBeCloseTo(25, 10);
    expect(tput!.verdict!.text).toContain('a is faster by 25.0%');
    expect(tpot!.verdict).toMatchObject({ better: 'a', direction: 'lower-is-better' });
    expect(tpot!.verdict!.percent).toBeCloseTo(20, 10);
    expect(cost!.verdict!.text).toContain('a is cheaper by 25.0%');
    expect(cost!.verdict!.text).toContain('bases equal');
  });

  it('refuses a verdict across utilization until it is assumed equal, and echoes the assumption', () => {
    const a = side('a', m('output tok/s per GPU', 500, 'tok/s', { utilization: 'busy 80%' }));
    const b = side('b', m('output tok/s per GPU', 400, 'tok/s', { utilization: 'busy 100%' }));
    const refused = compareResults(a, b);
    expect(refused.pairs[0]!.refusal).toContain('utilization (a: busy 80%, b: busy 100%)');
    const r = compareResults(a, b, { assumeEqual: ['utilization'] });
    expect(r.optionsApplied).toEqual(['assume equal: utilization']);
    expect(r.pairs[0]!.verdict!.text).toContain(
      'utilization assumed equal (a: busy 80%, b: busy 100%)',
    );
  });

  it('ignores provenance only when told, and says so with the verdict', () => {
    const a = side('a', m('output tok/s per GPU', 500, 'tok/s', { provenance: 'measured' }));
    const b = side('b', m('output tok/s per GPU', 500, 'tok/s'));
    expect(compareResults(a, b).pairs[0]!.refusal).toContain(
      'provenance (a: measured, b: modeled)',
    );
    const r = compareResults(a, b, { ignore: ['provenance'] });
    expect(r.pairs[0]!.verdict!.better).toBe('equal');
    expect(r.pairs[0]!.verdict!.text).toContain('provenance ignored (a: measured, b: modeled)');
  });

  it('converts money between currency-years with a stated factor and prints it', () => {
    const r = compareResults(
      side('a', m('cost per 1M output tokens', 1.0, 'USD/M tokens', { currencyYear: 'USD-2024' })),
      side('b', m('cost per 1M output tokens', 1.2, 'USD/M tokens', { currencyYear: 'USD-2026' })),
      { currencyConversion: { from: 'USD-2024', to: 'USD-2026', factor: 1.1, source: 'test CPI' } },
    );
    const v = r.pairs[0]!.verdict!;
    expect(v.ratioAOverB).toBeCloseTo(1.1 / 1.2, 12);
    expect(v.text).toContain('USD-2024 × 1.1 → USD-2026 (test CPI)');
    expect(r.optionsApplied[0]).toContain('currency-year conversion');
  });

  it('refuses across energy prices, naming both prices', () => {
    const r = compareResults(
      side('a', m('cost per 1M output tokens', 1, 'USD/M tokens', { energyPriceUsdPerKwh: 0.05 })),
      side('b', m('cost per 1M output tokens', 2, 'USD/M tokens', { energyPriceUsdPerKwh: 0.12 })),
    );
    expect(r.pairs[0]!.refusal).toContain('energyPriceUsdPerKwh (a: 0.05, b: 0.12)');
  });

  it('lists a source difference without letting it block the verdict', () => {
    const r = compareResults(
      side('a', m('output tok/s per GPU', 2, 'tok/s', { source: 'x' })),
      side('b', m('output tok/s per GPU', 1, 'tok/s', { source: 'y' })),
    );
    expect(r.pairs[0]!.differences.map((d) => d.field)).toEqual(['source']);
    expect(r.pairs[0]!.verdict!.better).toBe('a');
  });

  it('gives no verdict for a metric with no known direction (utilization is not a goal)', () => {
    const r = compareResults(
      side('a', m('MFU', 0.4, 'fraction')),
      side('b', m('MFU', 0.3, 'fraction')),
    );
    expect(r.pairs[0]!.refusal).toContain('no rule says whether higher or lower');
  });

  it('pairs repeated names by boundary and lists unpaired metrics', () => {
    const chip = m('tokens per joule', 5, 'tok/J', { boundary: 'chip', powerKind: 'drawn' });
    const fac = m('tokens per joule', 3, 'tok/J', { boundary: 'facility', powerKind: 'drawn' });
    expect([...uniqueMetricNames([chip, fac]).keys()]).toEqual([
      'tokens per joule [chip]',
      'tokens per joule [facility]',
    ]);
    const r = compareResults(side('a', chip, fac), side('b', fac, m('x', 1, 'tok/s')));
    expect(r.pairs.map((p) => p.name)).toEqual(['tokens per joule [facility]']);
    expect(r.onlyInA).toEqual(['tokens per joule [chip]']);
    expect(r.onlyInB).toEqual(['x']);
  });
});
