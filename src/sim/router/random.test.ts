import { describe, expect, it } from 'vitest';
import { createRng } from '../../core/rng.js';
import { createRandomRouter } from './random.js';
import { fixedFleet, makeRequest } from './test-support.js';

describe('random router', () => {
  it('draws uniformly over the up replicas', () => {
    const fleet = fixedFleet([{}, { up: false }, {}, {}, { up: false }, {}, {}, {}]);
    const router = createRandomRouter();
    const rng = createRng(3, 'router');
    const counts = new Array<number>(8).fill(0);
    const numRoutes = 60_000;
    for (let id = 0; id < numRoutes; id++) {
      const c = router.route(makeRequest(id), fleet, { nowSeconds: 0, rng });
      counts[c] = (counts[c] ?? 0) + 1;
    }
    expect(counts[1]).toBe(0);
    expect(counts[4]).toBe(0);
    // Each of the 6 up replicas expects 10,000 (binomial sd ≈ 91): allow ±500.
    for (const i of [0, 2, 3, 5, 6, 7]) {
      expect(Math.abs(counts[i]! - numRoutes / 6)).toBeLessThan(500);
    }
  });

  it('gives the same sequence for the same seed and a different one for another seed', () => {
    const fleet = fixedFleet(Array.from({ length: 16 }, () => ({})));
    const run = (seed: number) => {
      const router = createRandomRouter();
      const rng = createRng(seed, 'router');
      return Array.from({ length: 20 }, (_, id) =>
        router.route(makeRequest(id), fleet, { nowSeconds: 0, rng }),
      );
    };
    expect(run(1)).toEqual(run(1));
    expect(run(1)).not.toEqual(run(2));
  });

  it('finds the only up replica of a large, mostly failed fleet (scan fallback)', () => {
    const loads = Array.from({ length: 1000 }, (_, i) => ({ up: i === 777 || i === 123 }));
    const fleet = fixedFleet(loads);
    const router = createRandomRouter();
    const rng = createRng(4, 'router');
    const counts = new Map<number, number>();
    for (let id = 0; id < 2000; id++) {
      const c = router.route(makeRequest(id), fleet, { nowSeconds: 0, rng });
      counts.set(c, (counts.get(c) ?? 0) + 1);
    }
    expect([...counts.keys()].sort((a, b) => a - b)).toEqual([123, 777]);
    // Still uniform between the two (binomial sd ≈ 22): allow ±150.
    expect(Math.abs(counts.get(123)! - 1000)).toBeLessThan(150);
  });
});
