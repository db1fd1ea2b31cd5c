import { describe, expect, it } from 'vitest';
import { createRng } from '../../core/rng.js';
import type { SimRequest } from '../types.js';
import { createArrivalProcess } from './arrivals.js';
import { IdAllocator } from './ids.js';
import { createRequestSource } from './request-source.js';
import { segmentTokens } from './segments.js';
import { workloadRngs } from './sources.js';
import type { RequestClassSpec } from './spec.js';

const POISSON_20 = { process: 'poisson', ratePerSecond: 20 } as const;
const CHAT: RequestClassSpec = {
  kind: 'request',
  arrivals: POISSON_20,
  inputTokens: { dist: 'lognormal', median: 1020, p90: 2734 },
  outputTokens: { dist: 'lognormal', median: 129, p90: 424 },
};

const source = (spec: RequestClassSpec, seed = 1, ids = new IdAllocator()) =>
  createRequestSource(spec, { classIndex: 3, ids, rng: workloadRngs(seed, 'chat') });

const pull = (s: ReturnType<typeof source>, n: number): SimRequest[] =>
  Array.from({ length: n }, () => s.next()!);

describe('request-class source, open loop', () => {
  it('emits requests at the arrival process’s times, peek before next', () => {
    const s = source(CHAT);
    const process = createArrivalProcess(POISSON_20, workloadRngs(1, 'chat').arrivals);
    for (let i = 0; i < 5; i++) {
      const expected = process.nextArrivalSeconds();
      expect(s.peekSeconds()).toBe(expected);
      expect(s.peekSeconds()).toBe(expected);
      expect(s.next()!.arrivalSeconds).toBe(expected);
    }
  });

  it('gives dense ids in creation order, its class index and positive integer lengths', () => {
    const requests = pull(source(CHAT), 1000);
    expect(requests.map((r) => r.id)).toEqual(Array.from({ length: 1000 }, (_, i) => i));
    for (const r of requests) {
      expect(r.classIndex).toBe(3);
      expect(r.priority).toBe(0);
      expect(Number.isInteger(r.promptTokens) && r.promptTokens >= 1).toBe(true);
      expect(Number.isInteger(r.outputTokens) && r.outputTokens >= 1).toBe(true);
      expect(segmentTokens(r.segments)).toBe(r.promptTokens);
      expect(r.sessionId).toBeUndefined();
    }
  });

  it('gives every prompt its own content when there is no shared prefix', () => {
    const requests = pull(source(CHAT), 100);
    const contentIds = requests.flatMap((r) => r.segments.map((s) => s.contentId));
    expect(new Set(contentIds).size).toBe(100);
  });

  it('repeats the same requests for the same seed', () => {
    expect(pull(source(CHAT, 4), 50)).toEqual(pull(source(CHAT, 4), 50));
    expect(pull(source(CHAT, 4), 50)).not.toEqual(pull(source(CHAT, 5), 50));
  });

  it('ends with the arrival process (a finite trace)', () => {
    const s = source({ ...CHAT, arrivals: { process: 'trace', arrivalSeconds: [1, 2] } });
    expect([s.next()?.arrivalSeconds, s.next()?.arrivalSeconds, s.next()]).toEqual([
      1,
      2,
      undefined,
    ]);
    expect(s.peekSeconds()).toBeUndefined();
  });

  it('releases nothing on completion and counts completions and drops', () => {
    const s = source(CHAT);
    const [a, b] = pull(s, 2);
    expect(s.onComplete(a!, 5, true)).toEqual([]);
    expect(s.onComplete(b!, 6, false)).toEqual([]);
    expect(s.counters()).toMatchObject({
      requestsCreated: 2,
      requestsCompleted: 1,
      requestsDropped: 1,
    });
  });

  it('streams a million requests lazily (speed is measured by npm run bench)', () => {
    const s = source({
      ...CHAT,
      arrivals: { process: 'gamma', ratePerSecond: 100, cv: 2 },
      cachedPrefixFraction: 0.3,
    });
    let tokens = 0;
    for (let i = 0; i < 1_000_000; i++) tokens += s.next()!.promptTokens;
    expect(tokens).toBeGreaterThan(1e9); // ~1.37k mean prompt
  });
});

describe('request-class source, shared prefix', () => {
  it('starts every prompt with the class’s shared segment of round(f·prompt) tokens', () => {
    const requests = pull(source({ ...CHAT, cachedPrefixFraction: 0.25 }), 500);
    const sharedIds = new Set(requests.map((r) => r.segments[0]!.contentId));
    expect(sharedIds.size).toBe(1);
    for (const r of requests) {
      expect(r.segments[0]!.tokens).toBe(Math.round(0.25 * r.promptTokens));
      expect(segmentTokens(r.segments)).toBe(r.promptTokens);
      if (r.segments.length > 1)
        expect(r.segments[1]!.contentId).not.toBe(r.segments[0]!.contentId);
    }
  });

  it('rejects a fraction outside [0, 1)', () => {
    expect(() => source({ ...CHAT, cachedPrefixFraction: 1 })).toThrow(/\[0, 1\)/);
  });
});

describe('request-class source, closed loop', () => {
  const CLOSED: RequestClassSpec = {
    ...CHAT,
    arrivals: { process: 'closed-loop', concurrency: 4 },
  };

  it('sends one request per client at t = 0, ids in order, then nothing open-loop', () => {
    const s = source(CLOSED);
    const first = pull(s, 4);
    expect(first.map((r) => [r.id, r.arrivalSeconds])).toEqual([
      [0, 0],
      [1, 0],
      [2, 0],
      [3, 0],
    ]);
    expect(s.peekSeconds()).toBeUndefined();
    expect(s.next()).toBeUndefined();
  });

  it('releases the client’s next request at the completion time, also after a drop', () => {
    const s = source(CLOSED);
    const first = pull(s, 4);
    const [done] = s.onComplete(first[2]!, 7.5, true);
    expect(done!.atSeconds).toBe(7.5);
    expect(done!.request).toMatchObject({ id: 4, arrivalSeconds: 7.5, classIndex: 3 });
    const [afterDrop] = s.onComplete(first[0]!, 8, false);
    expect(afterDrop!.request.id).toBe(5);
  });

  it('refuses to complete the same request twice', () => {
    const s = source(CLOSED);
    const [r] = pull(s, 1);
    s.onComplete(r!, 1, true);
    expect(() => s.onComplete(r!, 2, true)).toThrow(/not in flight/);
  });

  it('refuses a request of another class', () => {
    const s = source(CLOSED);
    const [r] = pull(s, 1);
    expect(() => s.onComplete({ ...r!, classIndex: 0 }, 1, true)).toThrow(/belongs to class 0/);
  });

  it('shares the run’s id allocator with other sources', () => {
    const ids = new IdAllocator();
    const a = source(CHAT, 1, ids);
    const b = createRequestSource(CHAT, {
      classIndex: 4,
      ids,
      rng: { arrivals: createRng(1, 'x'), requests: createRng(1, 'y') },
    });
    expect([a.next()!.id, b.next()!.id, a.next()!.id]).toEqual([0, 1, 2]);
  });
});
