import { describe, expect, it } from 'vitest';
import { createRng } from '../../core/rng.js';
import type { FleetView } from '../types.js';
import { createSessionAffinityRouter } from './session-affinity.js';
import { makeRequest, TrackingFleet } from './test-support.js';

const ctx = { nowSeconds: 0, rng: createRng(1, 'router') };

/** Route and assign, as the simulation would. */
function routeAndAssign(
  router: ReturnType<typeof createSessionAffinityRouter>,
  fleet: TrackingFleet,
  id: number,
  sessionId?: number,
): number {
  const request = makeRequest(id, { sessionId });
  const choice = router.route(request, fleet, ctx);
  if (choice >= 0) fleet.assign(choice, request);
  return choice;
}

describe('session-affinity router', () => {
  it('sends a new session to the least loaded replica and its later calls back there', () => {
    const router = createSessionAffinityRouter();
    const fleet = new TrackingFleet(3);
    fleet.load(0).numOutstandingTokens = 1000;
    fleet.load(2).numOutstandingTokens = 500;
    expect(routeAndAssign(router, fleet, 0, 42)).toBe(1);
    // Replica 1 is now the busiest, yet the session's calls stay on it.
    fleet.load(1).numOutstandingTokens = 10_000;
    expect([1, 2, 3].map((id) => routeAndAssign(router, fleet, id, 42))).toEqual([1, 1, 1]);
  });

  it('routes requests without a session to the least outstanding tokens and remembers nothing', () => {
    const router = createSessionAffinityRouter();
    const fleet = new TrackingFleet(3);
    expect([0, 1, 2, 3].map((id) => routeAndAssign(router, fleet, id))).toEqual([0, 1, 2, 0]);
    expect(router.numSessions).toBe(0);
  });

  it('re-routes a session when its replica goes down and stays on the new one after repair', () => {
    const router = createSessionAffinityRouter();
    const fleet = new TrackingFleet(3);
    expect(routeAndAssign(router, fleet, 0, 7)).toBe(0);
    fleet.setUp(0, false);
    fleet.load(1).numOutstandingTokens = 5000;
    expect(routeAndAssign(router, fleet, 1, 7)).toBe(2);
    expect(router.replicaOfSession(7)).toBe(2);
    fleet.setUp(0, true);
    expect(routeAndAssign(router, fleet, 2, 7)).toBe(2);
  });

  it('forgets the least recently routed session beyond maxSessions', () => {
    const router = createSessionAffinityRouter({ maxSessions: 2 });
    const fleet = new TrackingFleet(4);
    routeAndAssign(router, fleet, 0, 100); // → 0
    routeAndAssign(router, fleet, 1, 200); // → 1
    routeAndAssign(router, fleet, 2, 100); // hit: 100 is now the most recent
    routeAndAssign(router, fleet, 3, 300); // → 2, evicts 200
    expect(router.numSessions).toBe(2);
    expect(router.replicaOfSession(200)).toBeUndefined();
    expect(router.replicaOfSession(100)).toBe(0);
    expect(router.replicaOfSession(300)).toBe(2);
  });

  it('routes a forgotten session as a new one', () => {
    const router = createSessionAffinityRouter();
    const fleet = new TrackingFleet(2);
    expect(routeAndAssign(router, fleet, 0, 9)).toBe(0);
    fleet.load(0).numOutstandingTokens = 10_000;
    expect(router.forgetSession(9)).toBe(true);
    expect(router.forgetSession(9)).toBe(false);
    expect(routeAndAssign(router, fleet, 1, 9)).toBe(1);
  });

  it('reads one replica on a session hit, whatever the fleet size (O(1))', () => {
    const router = createSessionAffinityRouter();
    const fleet = new TrackingFleet(1000);
    routeAndAssign(router, fleet, 0, 5);
    let numReads = 0;
    const counting: FleetView = {
      numReplicas: fleet.numReplicas,
      load: (i) => (numReads++, fleet.load(i)),
    };
    for (let id = 1; id <= 100; id++)
      router.route(makeRequest(id, { sessionId: 5 }), counting, ctx);
    expect(numReads).toBe(100);
  });

  it('rejects a maxSessions that is not a positive integer', () => {
    expect(() => createSessionAffinityRouter({ maxSessions: 0 })).toThrow(
      /createSessionAffinityRouter: maxSessions must be a positive integer/,
    );
  });
});
