import { describe, expect, it } from 'vitest';
import { createRng } from '../../core/rng.js';
import { createLeastOutstandingTokensRouter } from './least-outstanding.js';
import { createPowerOfTwoRouter } from './power-of-two.js';
import { staleFleetView } from './stale.js';
import { makeRequest, TrackingFleet } from './test-support.js';
import type { Router } from '../types.js';

describe('stale fleet view', () => {
  it('returns the loads of the last refresh until nowSeconds reaches the next boundary', () => {
    const live = new TrackingFleet(2);
    const stale = staleFleetView(live, { refreshSeconds: 1 });
    expect(stale.at(0.2).load(0).numOutstandingTokens).toBe(0);
    live.assign(0, makeRequest(0)); // +150 tokens
    expect(stale.at(0.5).load(0).numOutstandingTokens).toBe(0);
    expect(stale.at(0.999).load(0).numOutstandingTokens).toBe(0);
    expect(stale.at(1).load(0).numOutstandingTokens).toBe(150);
    expect(stale.snapshotSeconds).toBe(1);
  });

  it('places boundaries at whole multiples of refreshSeconds, not relative to the first call', () => {
    const live = new TrackingFleet(1);
    const stale = staleFleetView(live, { refreshSeconds: 2 });
    stale.at(1.5); // snapshot of epoch 0
    live.assign(0, makeRequest(0));
    expect(stale.at(1.99).load(0).numOutstandingRequests).toBe(0);
    expect(stale.at(2).load(0).numOutstandingRequests).toBe(1);
  });

  it('skips missed boundaries and refreshes once on the next call', () => {
    const live = new TrackingFleet(1);
    const stale = staleFleetView(live, { refreshSeconds: 1 });
    stale.at(0);
    live.assign(0, makeRequest(0));
    expect(stale.at(7.5).load(0).numOutstandingRequests).toBe(1);
    live.assign(0, makeRequest(1));
    expect(stale.at(7.9).load(0).numOutstandingRequests).toBe(1);
  });

  it('reads health live by default, so a failed replica is never offered as up', () => {
    const live = new TrackingFleet(2);
    const stale = staleFleetView(live, { refreshSeconds: 10 });
    stale.at(0);
    live.assign(1, makeRequest(0));
    live.setUp(1, false);
    const seen = stale.at(1).load(1);
    expect(seen.up).toBe(false);
    expect(seen.numOutstandingRequests).toBe(0); // load still stale
  });

  it('with staleHealth, snapshots up as well', () => {
    const live = new TrackingFleet(2);
    const stale = staleFleetView(live, { refreshSeconds: 10, staleHealth: true });
    stale.at(0);
    live.setUp(1, false);
    expect(stale.at(1).load(1).up).toBe(true);
    expect(stale.at(10).load(1).up).toBe(false);
  });

  it('makes least-outstanding herd onto one replica between reports, while two choices spread', () => {
    // Mitzenmacher, "How useful is old information?" (2000).
    const spread = (router: Router) => {
      const live = new TrackingFleet(8);
      const stale = staleFleetView(live, { refreshSeconds: 10 });
      const rng = createRng(2, 'router');
      for (let id = 0; id < 80; id++) {
        const request = makeRequest(id);
        const nowSeconds = id * 0.1; // all within one 10-second report interval
        live.assign(router.route(request, stale.at(nowSeconds), { nowSeconds, rng }), request);
      }
      return Array.from({ length: 8 }, (_, i) => live.load(i).numOutstandingRequests);
    };
    expect(spread(createLeastOutstandingTokensRouter())).toEqual([80, 0, 0, 0, 0, 0, 0, 0]);
    expect(Math.max(...spread(createPowerOfTwoRouter()))).toBeLessThan(25);
  });

  it('rejects time that goes backwards, and a non-positive refresh interval', () => {
    const stale = staleFleetView(new TrackingFleet(1), { refreshSeconds: 1 });
    stale.at(5);
    expect(() => stale.at(4)).toThrow(
      /staleFleetView.at: nowSeconds must be finite and non-decreasing/,
    );
    expect(() => staleFleetView(new TrackingFleet(1), { refreshSeconds: 0 })).toThrow(
      /refreshSeconds must be a positive finite number/,
    );
  });

  it('rejects a replica index outside the snapshot', () => {
    const view = staleFleetView(new TrackingFleet(2), { refreshSeconds: 1 }).at(0);
    expect(view.numReplicas).toBe(2);
    expect(() => view.load(2)).toThrow(/index must be in \[0, 2\)/);
  });
});
