import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createSparePool } from './spares.js';

describe('createSparePool', () => {
  it('swaps in a free spare after the swap time', () => {
    const pool = createSparePool({ numReplicas: 4, numSpares: 1, spareSwapSeconds: 300 });
    expect(pool.replicaFailed(2, 1000)).toEqual({
      unitInRepair: 2,
      restoration: { replicaIndex: 2, unitId: 4, readyAtSeconds: 1300, swapped: true },
    });
    expect([pool.numSparesAvailable(), pool.numUnitsInRepair(), pool.unitOf(2)]).toEqual([0, 1, 4]);
  });

  it('returns a repaired unit to the spare pool when nobody waits', () => {
    const pool = createSparePool({ numReplicas: 4, numSpares: 1, spareSwapSeconds: 300 });
    pool.replicaFailed(2, 1000);
    expect(pool.unitRepaired(2, 5000)).toBeUndefined();
    expect(pool.numSparesAvailable()).toBe(1);
  });

  it('makes a replica wait when no spare is free and restores it in place when its own unit is repaired', () => {
    const pool = createSparePool({ numReplicas: 2, numSpares: 0, spareSwapSeconds: 300 });
    expect(pool.replicaFailed(1, 100)).toEqual({ unitInRepair: 1 });
    expect(pool.waitingReplicas()).toEqual([1]);
    expect(pool.unitRepaired(1, 900)).toEqual({
      replicaIndex: 1,
      unitId: 1,
      readyAtSeconds: 900,
      swapped: false,
    });
    expect(pool.waitingReplicas()).toEqual([]);
  });

  it('gives a repaired unit whose replica is already served to the first waiting replica', () => {
    const pool = createSparePool({ numReplicas: 3, numSpares: 1, spareSwapSeconds: 60 });
    pool.replicaFailed(0, 10); // takes spare 3
    pool.replicaFailed(1, 20); // waits
    pool.replicaFailed(2, 30); // waits
    expect(pool.unitRepaired(0, 100)).toEqual({
      replicaIndex: 1,
      unitId: 0,
      readyAtSeconds: 160,
      swapped: true,
    });
    expect(pool.waitingReplicas()).toEqual([2]);
  });

  it('refuses a failure of a waiting replica and a repair of a unit not in repair', () => {
    const pool = createSparePool({ numReplicas: 1, numSpares: 0, spareSwapSeconds: 0 });
    pool.replicaFailed(0, 0);
    expect(() => pool.replicaFailed(0, 1)).toThrow(/holds no unit/);
    expect(() => pool.unitRepaired(5, 1)).toThrow(/unit 5 is not in repair/);
  });

  it('conserves units and never restores a replica before now (random failure/repair sequences)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 0, max: 3 }),
        fc.array(fc.tuple(fc.boolean(), fc.nat(20)), { maxLength: 60 }),
        (numReplicas, numSpares, ops) => {
          const pool = createSparePool({ numReplicas, numSpares, spareSwapSeconds: 5 });
          const inRepair: number[] = [];
          let now = 0;
          for (const [fail, pick] of ops) {
            now += 1;
            if (fail) {
              const holding = [...Array(numReplicas).keys()].filter(
                (i) => pool.unitOf(i) !== undefined,
              );
              if (holding.length === 0) continue;
              const out = pool.replicaFailed(holding[pick % holding.length]!, now);
              inRepair.push(out.unitInRepair);
              if (out.restoration) expect(out.restoration.readyAtSeconds).toBe(now + 5);
            } else {
              if (inRepair.length === 0) continue;
              const [unit] = inRepair.splice(pick % inRepair.length, 1);
              const r = pool.unitRepaired(unit!, now);
              if (r) expect(r.readyAtSeconds).toBeGreaterThanOrEqual(now);
            }
            const installed = [...Array(numReplicas).keys()]
              .map((i) => pool.unitOf(i))
              .filter((u) => u !== undefined);
            expect(new Set(installed).size).toBe(installed.length);
            expect(installed.length + pool.numUnitsInRepair() + pool.numSparesAvailable()).toBe(
              numReplicas + numSpares,
            );
            expect(pool.waitingReplicas().length).toBe(numReplicas - installed.length);
            // a replica only waits while no spare is free
            if (pool.waitingReplicas().length > 0) expect(pool.numSparesAvailable()).toBe(0);
          }
        },
      ),
      { seed: 20240723, numRuns: 300 },
    );
  });
});
