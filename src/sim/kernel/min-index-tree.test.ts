import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MinIndexTree } from './min-index-tree.js';

/** The reference: a scan for the smallest value, ties to the lowest index, -1 when all absent. */
const scan = (values: readonly number[]): number => {
  let best = -1;
  for (let i = 0; i < values.length; i++)
    if (values[i]! !== Infinity && (best < 0 || values[i]! < values[best]!)) best = i;
  return best;
};

describe('MinIndexTree', () => {
  it('starts with every slot absent', () => {
    expect(new MinIndexTree(5).argmin).toBe(-1);
    expect(new MinIndexTree(0).argmin).toBe(-1);
  });

  it('breaks ties toward the lowest index', () => {
    const t = new MinIndexTree(6);
    for (const i of [5, 3, 1, 4]) t.set(i, 7);
    expect(t.argmin).toBe(1);
    t.set(1, Infinity);
    expect(t.argmin).toBe(3);
  });

  it('agrees with a scan after any sequence of updates', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 37 }),
        fc.array(
          fc.tuple(fc.nat(36), fc.oneof(fc.integer({ min: 0, max: 5 }), fc.constant(Infinity))),
          { maxLength: 200 },
        ),
        (n, updates) => {
          const t = new MinIndexTree(n);
          const values = new Array<number>(n).fill(Infinity);
          for (const [slot, value] of updates) {
            if (slot >= n) continue;
            t.set(slot, value);
            values[slot] = value;
            expect(t.argmin).toBe(scan(values));
            expect(t.get(slot)).toBe(value);
          }
        },
      ),
    );
  });

  it('rejects a slot out of range', () => {
    expect(() => new MinIndexTree(3).set(3, 1)).toThrow(/MinIndexTree.set: slot must be in/);
  });
});
