import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRng } from '../../core/rng.js';
import { createRouter, ROUTER_NAMES, ROUTERS } from './index.js';
import { runRouterConformance } from './router.case.js';
import { fixedFleet, makeRequest } from './test-support.js';

for (const name of ROUTER_NAMES) {
  runRouterConformance({ describe, it, expect }, { name, create: () => createRouter(name) });
}

describe('router registry', () => {
  it('lists every policy the twin offers', () => {
    expect(Object.keys(ROUTERS).sort()).toEqual([
      'kv-aware',
      'least-outstanding-requests',
      'least-outstanding-tokens',
      'power-of-two-choices',
      'prefix-affinity',
      'random',
      'round-robin',
      'session-affinity',
    ]);
  });

  it('builds a fresh router on every call, so state is not shared', () => {
    const a = createRouter('round-robin');
    const b = createRouter('round-robin');
    const fleet = fixedFleet([{}, {}, {}]);
    const ctx = { nowSeconds: 0, rng: createRng(1, 'router') };
    a.route(makeRequest(0), fleet, ctx);
    expect(b.route(makeRequest(1), fleet, ctx)).toBe(0);
  });

  it("returns the policy's own router type, with its extra methods", () => {
    const session = createRouter('session-affinity', { maxSessions: 10 });
    expect(session.forgetSession(1)).toBe(false);
    const prefix = createRouter('prefix-affinity', { keySegments: 2 });
    expect(prefix.preferredReplica(makeRequest(0), fixedFleet([{}]))).toBe(0);
    // @ts-expect-error kv-aware has no maxSessions option
    expect(createRouter('kv-aware', { maxSessions: 10 }).name).toBe('kv-aware');
  });

  it('passes options to the policy and rejects out-of-range ones', () => {
    expect(() => createRouter('kv-aware', { blockSizeTokens: 0 })).toThrow(/blockSizeTokens/);
    expect(() => createRouter('session-affinity', { maxSessions: 1.5 })).toThrow(/maxSessions/);
    expect(() => createRouter('prefix-affinity', { loadBoundEpsilon: -1 })).toThrow(/loadBound/);
  });
});

describe('every router, on arbitrary fleets (property)', () => {
  const loadArb = fc.record({
    up: fc.boolean(),
    numOutstandingRequests: fc.nat(50),
    numOutstandingTokens: fc.nat(100_000),
    numFreeKvBlocks: fc.nat(2000),
  });
  const requestArb = fc.record({
    promptTokens: fc.integer({ min: 1, max: 32_000 }),
    sessionId: fc.option(fc.nat(20), { nil: undefined }),
    contentId: fc.nat(1_000_000),
  });

  it('returns an up replica exactly when one is up, and -1 otherwise', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...ROUTER_NAMES),
        fc.array(loadArb, { minLength: 0, maxLength: 12 }),
        fc.array(requestArb, { minLength: 1, maxLength: 20 }),
        fc.nat(),
        (name, loads, requests, seed) => {
          const fleet = fixedFleet(loads.map((l) => ({ ...l, numTotalKvBlocks: 2000 })));
          const anyUp = loads.some((l) => l.up);
          const router = createRouter(name);
          const rng = createRng(seed, 'router');
          requests.forEach((r, id) => {
            const request = makeRequest(id, {
              promptTokens: r.promptTokens,
              sessionId: r.sessionId,
              segments: [{ contentId: r.contentId, tokens: r.promptTokens }],
            });
            const choice = router.route(request, fleet, { nowSeconds: id, rng });
            if (anyUp) expect(choice >= 0 && fleet.load(choice).up).toBe(true);
            else expect(choice).toBe(-1);
          });
        },
      ),
      { numRuns: 300 },
    );
  });
});
