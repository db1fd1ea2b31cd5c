/**
 * Conformance suite every routing policy must pass (STYLE.md: hono's `*.case.ts`).
 * `router.test.ts` runs it once per entry of `ROUTERS`.
 *
 * The suite takes the test framework as an argument instead of importing it: this file is not a
 * `*.test.ts`, so the layering rules (.dependency-cruiser.cjs) treat it as part of the pure
 * `sim` layer, where a test framework may not be imported.
 */
import { createRng } from '../../core/rng.js';
import type { Router, SimRequest } from '../types.js';
import { fixedFleet, makeRequest, TrackingFleet } from './test-support.js';

interface Matchers {
  toBe(expected: unknown): void;
  toEqual(expected: unknown): void;
  toBeGreaterThanOrEqual(expected: number): void;
  not: Matchers;
}

/** The slice of vitest (or any jest-like framework) the suite uses. */
export interface ConformanceTestApi {
  describe(name: string, body: () => void): void;
  it(name: string, body: () => void): void;
  expect(actual: unknown, message?: string): Matchers;
}

export interface RouterUnderTest {
  /** The registry key; the router's `name` must equal it. */
  name: string;
  /** A fresh router (state is not shared between tests). */
  create(): Router;
}

/** A mixed workload: half the calls in 40 sessions, 5 shared system prompts, varied sizes. */
export function mixedRequests(count: number, seed: number): SimRequest[] {
  const rng = createRng(seed, 'router-case-workload');
  return Array.from({ length: count }, (_, id) => {
    const promptTokens = 32 + rng.nextInt(4000);
    const systemTokens = 16 + rng.nextInt(16);
    const sessionId = rng.next() < 0.5 ? rng.nextInt(40) : undefined;
    return makeRequest(id, {
      promptTokens,
      outputTokens: 1 + rng.nextInt(500),
      sessionId,
      segments: [
        { contentId: rng.nextInt(5), tokens: systemTokens },
        { contentId: 1000 + id, tokens: promptTokens - systemTokens },
      ],
    });
  });
}

interface RouteRecord {
  step: number;
  choice: number;
  /** The chosen replica was up when chosen (false for -1). */
  choseUp: boolean;
  /** Some replica was up. */
  anyUp: boolean;
}

/**
 * Route `requests` in order on `fleet`, assigning each to its replica and completing the oldest
 * in-flight request every third step; `events[step]` flips replicas up/down before that step.
 */
function drive(
  router: Router,
  fleet: TrackingFleet,
  requests: readonly SimRequest[],
  seed: number,
  events: Readonly<Record<number, readonly [index: number, up: boolean][]>> = {},
): RouteRecord[] {
  const rng = createRng(seed, 'router');
  const inFlight: { request: SimRequest; replica: number }[] = [];
  const records: RouteRecord[] = [];
  requests.forEach((request, step) => {
    for (const [index, up] of events[step] ?? []) fleet.setUp(index, up);
    const choice = router.route(request, fleet, { nowSeconds: request.arrivalSeconds, rng });
    let anyUp = false;
    for (let i = 0; i < fleet.numReplicas; i++) anyUp ||= fleet.load(i).up;
    const choseUp = choice >= 0 && choice < fleet.numReplicas && fleet.load(choice).up;
    records.push({ step, choice, choseUp, anyUp });
    if (choice >= 0) {
      fleet.assign(choice, request);
      inFlight.push({ request, replica: choice });
    }
    if (step % 3 === 2) {
      const done = inFlight.shift();
      if (done !== undefined) {
        fleet.complete(done.replica, done.request);
        router.onComplete?.(done.request, done.replica);
      }
    }
  });
  return records;
}

/** Failures and repairs during a 600-request run on 8 replicas. */
const FAILURE_EVENTS: Record<number, [number, boolean][]> = {
  50: [[3, false]],
  120: [
    [0, false],
    [5, false],
  ],
  200: [[3, true]],
  300: [
    [1, false],
    [2, false],
    [4, false],
    [6, false],
    [7, false],
  ],
  380: [[3, false]], // the last up replica fails: the whole fleet is down until step 420
  420: [
    [2, true],
    [6, true],
  ],
  500: [
    [0, true],
    [5, true],
  ],
};

export function runRouterConformance(t: ConformanceTestApi, subject: RouterUnderTest): void {
  const { describe, it, expect } = t;

  describe(`router conformance: ${subject.name}`, () => {
    it('is named by its registry key', () => {
      expect(subject.create().name).toBe(subject.name);
    });

    it('always returns an up replica while one is up, through failures and repairs', () => {
      const records = drive(
        subject.create(),
        new TrackingFleet(8),
        mixedRequests(600, 1),
        7,
        FAILURE_EVENTS,
      );
      const wrong = records.filter((r) => r.anyUp && !r.choseUp);
      expect(wrong).toEqual([]);
      // The run does pass through an all-down stretch, and the router answers -1 there.
      const allDown = records.filter((r) => !r.anyUp);
      expect(allDown.length).toBeGreaterThanOrEqual(1);
      expect(allDown.filter((r) => r.choice !== -1)).toEqual([]);
    });

    it('returns -1 when no replica is up', () => {
      const router = subject.create();
      const fleet = fixedFleet([{ up: false }, { up: false }, { up: false }, { up: false }]);
      const rng = createRng(1, 'router');
      const choices = mixedRequests(50, 2).map((r) =>
        router.route(r, fleet, { nowSeconds: 0, rng }),
      );
      expect(choices).toEqual(choices.map(() => -1));
    });

    it('returns -1 for an empty fleet', () => {
      const router = subject.create();
      const rng = createRng(1, 'router');
      expect(router.route(makeRequest(0), fixedFleet([]), { nowSeconds: 0, rng })).toBe(-1);
    });

    it('never returns a down replica even when its load is the lowest', () => {
      const router = subject.create();
      const fleet = new TrackingFleet(4);
      const requests = mixedRequests(400, 3);
      // Warm up with every replica up, so sessions and prefixes map to replica 0 as well.
      drive(router, fleet, requests.slice(0, 200), 11);
      // Replica 0 goes down, and looks idle with an empty KV cache; the others look busy.
      fleet.setUp(0, false);
      const idle = fleet.load(0);
      idle.numOutstandingRequests = 0;
      idle.numOutstandingTokens = 0;
      idle.numFreeKvBlocks = idle.numTotalKvBlocks;
      const rng = createRng(12, 'router');
      const choices = requests
        .slice(200)
        .map((r) => router.route(r, fleet, { nowSeconds: r.arrivalSeconds, rng }));
      expect(choices.filter((c) => c === 0 || c < 0)).toEqual([]);
    });

    it('makes the same choices for the same seed and inputs', () => {
      const run = (): number[] =>
        drive(
          subject.create(),
          new TrackingFleet(8),
          mixedRequests(600, 4),
          21,
          FAILURE_EVENTS,
        ).map((r) => r.choice);
      expect(run()).toEqual(run());
    });

    it('spreads requests without sessions over every replica when loads start equal', () => {
      const requests = Array.from({ length: 800 }, (_, id) => makeRequest(id));
      const records = drive(subject.create(), new TrackingFleet(8), requests, 5);
      const counts = new Array<number>(8).fill(0);
      for (const r of records) counts[r.choice] = (counts[r.choice] ?? 0) + 1;
      expect(counts.filter((c) => c === 0)).toEqual([]);
    });

    it('routes everything to the only replica of a single-replica fleet, and -1 when it is down', () => {
      const fleet = new TrackingFleet(1);
      const records = drive(subject.create(), fleet, mixedRequests(100, 6), 8, {
        60: [[0, false]],
        80: [[0, true]],
      });
      const expected = records.map((r) => (r.step >= 60 && r.step < 80 ? -1 : 0));
      expect(records.map((r) => r.choice)).toEqual(expected);
    });
  });
}
