import { describe, expect, it } from 'vitest';
import { createRng } from '../../core/rng.js';
import type { FleetView, SimRequest } from '../types.js';
import { createPrefixAffinityRouter } from './prefix-affinity.js';
import { fixedFleet, makeRequest, TrackingFleet } from './test-support.js';

const ctx = { nowSeconds: 0, rng: createRng(1, 'router') };

/** A request whose prompt is `contentIds` in order, 100 tokens each. */
const withPrefix = (id: number, contentIds: number[], sessionId?: number): SimRequest =>
  makeRequest(id, {
    promptTokens: 100 * contentIds.length,
    sessionId,
    segments: contentIds.map((contentId) => ({ contentId, tokens: 100 })),
  });

const idleFleet = (numReplicas: number, down: number[] = []): FleetView =>
  fixedFleet(Array.from({ length: numReplicas }, (_, i) => ({ up: !down.includes(i) })));

describe('prefix-affinity router', () => {
  it('sends requests with the same first segment to the same replica', () => {
    const router = createPrefixAffinityRouter();
    const fleet = idleFleet(16);
    for (const system of [1, 2, 3, 4, 5]) {
      const choices = [10, 20, 30, 40].map((tail, k) =>
        router.route(withPrefix(k, [system, tail], k), fleet, ctx),
      );
      expect(new Set(choices).size).toBe(1);
    }
  });

  it('with keySegments 2, keys sessions that share a system prompt apart', () => {
    const router = createPrefixAffinityRouter({ keySegments: 2 });
    const fleet = idleFleet(64);
    // Calls of one session share segments [system, first input]; different sessions differ.
    const sessionReplica = (first: number) =>
      new Set([0, 1, 2].map((k) => router.route(withPrefix(k, [7, first, 100 + k]), fleet, ctx)));
    const perSession = [11, 12, 13, 14, 15, 16, 17, 18].map(sessionReplica);
    for (const replicas of perSession) expect(replicas.size).toBe(1);
    expect(new Set(perSession.map((s) => [...s][0])).size).toBeGreaterThan(1);
  });

  it('spreads distinct keys evenly over the replicas', () => {
    const router = createPrefixAffinityRouter();
    const fleet = idleFleet(10);
    const counts = new Array<number>(10).fill(0);
    for (let key = 0; key < 20_000; key++) {
      const r = router.preferredReplica(withPrefix(key, [key]), fleet);
      counts[r] = (counts[r] ?? 0) + 1;
    }
    // 2,000 expected per replica (binomial sd ≈ 42): allow ±200.
    for (const c of counts) expect(Math.abs(c - 2000)).toBeLessThan(200);
  });

  it('moves only the keys of a replica that goes down (≈ 1/n), and moves them back when it returns', () => {
    const router = createPrefixAffinityRouter();
    const numKeys = 20_000;
    const placeAll = (fleet: FleetView) =>
      Array.from({ length: numKeys }, (_, key) =>
        router.preferredReplica(withPrefix(key, [key]), fleet),
      );
    const before = placeAll(idleFleet(10));
    const during = placeAll(idleFleet(10, [3]));
    const after = placeAll(idleFleet(10));
    let moved = 0;
    for (let key = 0; key < numKeys; key++) {
      if (before[key] !== during[key]) {
        moved++;
        expect(before[key]).toBe(3);
      }
      expect(during[key]).not.toBe(3);
    }
    expect(moved).toBe(before.filter((r) => r === 3).length);
    expect(Math.abs(moved / numKeys - 1 / 10)).toBeLessThan(0.01);
    expect(after).toEqual(before);
    // The moved keys spread over the 9 survivors rather than piling onto one.
    const landing = new Set(during.filter((_, key) => before[key] === 3));
    expect(landing.size).toBe(9);
  });

  it('falls back to the least outstanding tokens when the key replica exceeds (1+ε) × the mean', () => {
    const request = withPrefix(0, [12345]);
    const home = createPrefixAffinityRouter().preferredReplica(request, idleFleet(4));
    // Mean over 4 up replicas = 1000 tokens; the bound with ε = 0.25 is 1250. The replica after
    // home is the least loaded of the others.
    const fleetWithHomeAt = (homeTokens: number, others: [number, number, number]) =>
      fixedFleet(
        [0, 1, 2, 3].map((i) => ({
          numOutstandingTokens: i === home ? homeTokens : others[(i - home + 3) % 4]!,
        })),
      );
    const atBound = fleetWithHomeAt(1250, [900, 925, 925]);
    const overBound = fleetWithHomeAt(1251, [899, 925, 925]);
    expect(createPrefixAffinityRouter().route(request, atBound, ctx)).toBe(home);
    expect(createPrefixAffinityRouter().route(request, overBound, ctx)).toBe((home + 1) % 4);
    expect(
      createPrefixAffinityRouter({ loadBoundEpsilon: Infinity }).route(request, overBound, ctx),
    ).toBe(home);
  });

  it('keeps a hot key on its replica until that replica passes the bound, then spills', () => {
    const router = createPrefixAffinityRouter({ meanRefreshRoutes: 1 });
    const fleet = new TrackingFleet(4);
    const choices: number[] = [];
    for (let id = 0; id < 40; id++) {
      const request = withPrefix(id, [777, id]);
      const c = router.route(request, fleet, ctx);
      fleet.assign(c, request);
      choices.push(c);
    }
    const home = choices[0]!;
    // With equal request sizes, home stays within (1+ε)·mean + one request of the others.
    const tokens = [0, 1, 2, 3].map((i) => fleet.load(i).numOutstandingTokens);
    const mean = tokens.reduce((a, b) => a + b, 0) / 4;
    expect(tokens[home]!).toBeLessThanOrEqual(1.25 * mean + 300);
    expect(choices.filter((c) => c === home).length).toBeGreaterThan(10);
    expect(new Set(choices).size).toBe(4);
  });

  it('routes a request without segments to the least outstanding tokens', () => {
    const fleet = fixedFleet([{ numOutstandingTokens: 5 }, { numOutstandingTokens: 1 }, {}]);
    const request = makeRequest(0, { segments: [] });
    const router = createPrefixAffinityRouter();
    expect(router.preferredReplica(request, fleet)).toBe(-1);
    expect(router.route(request, fleet, ctx)).toBe(2);
  });

  it('still finds up replicas, deterministically, when almost the whole fleet is down', () => {
    const down = Array.from({ length: 1000 }, (_, i) => i).filter((i) => i !== 5 && i !== 900);
    const fleet = idleFleet(1000, down);
    const router = createPrefixAffinityRouter();
    const placements = Array.from({ length: 200 }, (_, key) =>
      router.route(withPrefix(key, [key]), fleet, ctx),
    );
    expect(new Set(placements)).toEqual(new Set([5, 900]));
    const again = createPrefixAffinityRouter();
    expect(placements.map((_, key) => again.route(withPrefix(key, [key]), fleet, ctx))).toEqual(
      placements,
    );
  });

  it('reads O(1) replicas per route on average when keys stay on their replicas', () => {
    const numReplicas = 1000;
    let numReads = 0;
    const inner = idleFleet(numReplicas);
    const counting: FleetView = { numReplicas, load: (i) => (numReads++, inner.load(i)) };
    const router = createPrefixAffinityRouter();
    const numRoutes = 10_000;
    for (let id = 0; id < numRoutes; id++) router.route(withPrefix(id, [id % 300]), counting, ctx);
    // One probe + one bound check per route, plus a 1,000-read scan every 1,000 routes.
    expect(numReads / numRoutes).toBeLessThan(4);
  });

  it('rejects out-of-range options', () => {
    expect(() => createPrefixAffinityRouter({ loadBoundEpsilon: Number.NaN })).toThrow(
      /loadBoundEpsilon/,
    );
    expect(() => createPrefixAffinityRouter({ keySegments: 0 })).toThrow(/keySegments/);
    expect(() => createPrefixAffinityRouter({ hashSeed: -1 })).toThrow(/hashSeed/);
    expect(() => createPrefixAffinityRouter({ meanRefreshRoutes: 0 })).toThrow(/meanRefreshRoutes/);
  });
});
