import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dominates, paretoIndices, type ParetoObjective } from './pareto.js';

type P = readonly [number, number, number];

/** cost ↓, goodput ↑, p99 latency ↓ — the sweep's default Pareto objectives. */
const OBJECTIVES: ParetoObjective<P>[] = [
  { sense: 'minimize', value: (p) => p[0] },
  { sense: 'maximize', value: (p) => p[1] },
  { sense: 'minimize', value: (p) => p[2] },
];

/** Dominance written out from the definition, independently of the implementation. */
const bruteDominates = (a: P, b: P): boolean =>
  a[0] <= b[0] && a[1] >= b[1] && a[2] <= b[2] && (a[0] < b[0] || a[1] > b[1] || a[2] < b[2]);

// Small integer ranges: many ties and equal points, where dominance is easiest to get wrong.
const points = fc.array(
  fc.tuple(
    fc.integer({ min: 0, max: 5 }),
    fc.integer({ min: 0, max: 5 }),
    fc.integer({ min: 0, max: 5 }),
  ),
  { maxLength: 40 },
);

describe('Pareto set', () => {
  it('finds the non-dominated points of a small example', () => {
    const ps: P[] = [
      [1, 10, 5], // cheap, good goodput
      [2, 10, 5], // dominated by 0
      [3, 20, 5], // more goodput
      [1, 10, 5], // equal to 0: kept
      [5, 5, 1], // lowest latency
    ];
    expect(paretoIndices(ps, OBJECTIVES)).toEqual([0, 2, 3, 4]);
    expect(dominates(ps[0]!, ps[1]!, OBJECTIVES)).toBe(true);
    expect(dominates(ps[0]!, ps[3]!, OBJECTIVES)).toBe(false);
  });

  it('equals the brute-force set: nothing inside is dominated, everything outside is', () => {
    fc.assert(
      fc.property(points, (ps) => {
        const set = paretoIndices(ps, OBJECTIVES);
        const inside = new Set(set);
        const brute = ps.flatMap((p, i) => (ps.some((q) => bruteDominates(q, p)) ? [] : [i]));
        expect(set).toEqual(brute);
        for (const i of set) for (const q of ps) expect(bruteDominates(q, ps[i]!)).toBe(false);
        ps.forEach((p, i) => {
          if (!inside.has(i)) expect(set.some((j) => bruteDominates(ps[j]!, p))).toBe(true);
        });
      }),
    );
  });

  it('does not depend on the order of the points', () => {
    fc.assert(
      fc.property(points, (ps) => {
        const reversed = [...ps].reverse();
        const a = paretoIndices(ps, OBJECTIVES).map((i) => ps[i]!.join(','));
        const b = paretoIndices(reversed, OBJECTIVES).map((i) => reversed[i]!.join(','));
        expect([...a].sort()).toEqual([...b].sort());
      }),
    );
  });
});
