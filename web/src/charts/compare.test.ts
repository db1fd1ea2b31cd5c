import { describe, expect, it } from 'vitest';
import { compareEstimates, compareRunWithItself } from '../test-fixtures.js';
import {
  basisFieldRows,
  compareRatioOption,
  ratioColor,
  ratioRows,
  VERDICT_COLORS,
} from './compare.js';

describe('compare (POST /api/compare)', () => {
  it('greys pairs refused for a basis difference and names the blocking fields', () => {
    const r = compareEstimates();
    const rows = ratioRows(r);
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      const pair = r.pairs.find((p) => p.name === row.name)!;
      expect(row.comparable).toBe(!!pair.verdict);
      expect(row.blocking).toEqual(pair.blocking.map((d) => d.field));
      expect(row.ratio).toBeCloseTo(pair.a.value / pair.b.value, 9);
    }
    const o = compareRatioOption(r) as {
      series: { data: { value: number; itemStyle: { color: string } }[] }[];
    };
    expect(o.series[0]!.data.map((x) => x.value)).toEqual(rows.map((x) => (x.ratio - 1) * 100));
    const refused = rows.filter((x) => !x.comparable && x.blocking.length > 0).length;
    expect(refused).toBeGreaterThan(0);
    expect(
      o.series[0]!.data.filter((d) => d.itemStyle.color === VERDICT_COLORS.refused),
    ).toHaveLength(refused);
  });

  it('gives verdicts when the bases are equal, and says why where there is none', () => {
    const rows = ratioRows(compareRunWithItself());
    expect(rows.filter((x) => x.comparable).length).toBeGreaterThan(0);
    for (const x of rows) {
      expect(x.blocking).toEqual([]);
      expect(x.ratio).toBe(1);
      if (x.comparable) expect([x.better, ratioColor(x)]).toEqual(['equal', VERDICT_COLORS.equal]);
      else {
        expect(x.refusal).not.toMatch(/bases differ/);
        expect(ratioColor(x)).toBe(VERDICT_COLORS.undirected);
      }
    }
  });

  it('marks exactly the differing basis fields, blocking or not', () => {
    const r = compareEstimates({ assumeEqual: ['utilization'] });
    for (const pair of r.pairs) {
      const rows = basisFieldRows(pair);
      const differing = rows
        .filter((x) => x.differs)
        .map((x) => x.field)
        .sort();
      expect(differing).toEqual(pair.differences.map((d) => d.field as string).sort());
      const blocking = rows
        .filter((x) => x.blocking)
        .map((x) => x.field)
        .sort();
      expect(blocking).toEqual(pair.blocking.map((d) => d.field as string).sort());
      if (pair.differences.some((d) => d.field === 'utilization'))
        expect(rows.find((x) => x.field === 'utilization')).toMatchObject({
          differs: true,
          blocking: false,
        });
    }
  });
});
