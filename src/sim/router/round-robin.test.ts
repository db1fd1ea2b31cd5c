import { describe, expect, it } from 'vitest';
import { createRng } from '../../core/rng.js';
import { createRoundRobinRouter } from './round-robin.js';
import { fixedFleet, makeRequest, TrackingFleet } from './test-support.js';

const ctx = { nowSeconds: 0, rng: createRng(1, 'router') };
const routeTimes = (
  router: ReturnType<typeof createRoundRobinRouter>,
  fleet: TrackingFleet,
  n: number,
) => Array.from({ length: n }, (_, id) => router.route(makeRequest(id), fleet, ctx));

describe('round-robin router', () => {
  it('visits the replicas in index order and wraps around', () => {
    const router = createRoundRobinRouter();
    expect(routeTimes(router, new TrackingFleet(3), 7)).toEqual([0, 1, 2, 0, 1, 2, 0]);
  });

  it('steps over a down replica without shifting the others', () => {
    const fleet = new TrackingFleet(4);
    fleet.setUp(1, false);
    expect(routeTimes(createRoundRobinRouter(), fleet, 6)).toEqual([0, 2, 3, 0, 2, 3]);
  });

  it('continues after the replica it chose last when replicas fail and return', () => {
    const router = createRoundRobinRouter();
    const fleet = new TrackingFleet(4);
    expect(routeTimes(router, fleet, 2)).toEqual([0, 1]);
    fleet.setUp(2, false);
    expect(routeTimes(router, fleet, 3)).toEqual([3, 0, 1]);
    fleet.setUp(2, true);
    expect(routeTimes(router, fleet, 3)).toEqual([2, 3, 0]);
  });

  it('reads one replica per route when every replica is up (O(1))', () => {
    let numReads = 0;
    const inner = fixedFleet(Array.from({ length: 1000 }, () => ({})));
    const counting = { numReplicas: 1000, load: (i: number) => (numReads++, inner.load(i)) };
    const router = createRoundRobinRouter();
    for (let id = 0; id < 5000; id++) router.route(makeRequest(id), counting, ctx);
    expect(numReads).toBe(5000);
  });
});
