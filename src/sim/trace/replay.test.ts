import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import type { SimRequest } from '../types.js';
import { parseMooncake } from './mooncake.js';
import { traceSource } from './replay.js';
import type { TraceRecord } from './types.js';

const counter = (start = 0): (() => number) => {
  let n = start;
  return () => n++;
};

const drain = (source: ReturnType<typeof traceSource>): SimRequest[] => {
  const out: SimRequest[] = [];
  for (let r = source.next(); r !== undefined; r = source.next()) out.push(r);
  return out;
};

const records: TraceRecord[] = [
  {
    arrivalSeconds: 0,
    promptTokens: 600,
    outputTokens: 5,
    segments: [
      { contentId: 70, tokens: 512 },
      { contentId: 71, tokens: 88 },
    ],
  },
  { arrivalSeconds: 2, promptTokens: 40, outputTokens: 3, sessionId: 9 },
  {
    arrivalSeconds: 4,
    promptTokens: 520,
    outputTokens: 1,
    segments: [
      { contentId: 70, tokens: 512 },
      { contentId: 72, tokens: 8 },
    ],
    sessionId: 9,
  },
];

describe('traceSource', () => {
  it('replays records as requests with arrivals start + t / timeScale', () => {
    const source = traceSource(records, {
      classIndex: 2,
      timeScale: 2,
      startSeconds: 100,
      allocateRequestId: counter(10),
      allocateContentId: counter(),
      priority: 1,
    });
    expect(source.peekSeconds()).toBe(100);
    const requests = drain(source);
    expect(requests.map((r) => [r.id, r.arrivalSeconds, r.classIndex, r.priority])).toEqual([
      [10, 100, 2, 1],
      [11, 101, 2, 1],
      [12, 102, 2, 1],
    ]);
    expect(source.peekSeconds()).toBeUndefined();
    expect(source.next()).toBeUndefined();
  });

  it('maps equal trace content keys to one run id and gives segment-less prompts a fresh one', () => {
    const [a, b, c] = drain(
      traceSource(records, {
        classIndex: 0,
        allocateRequestId: counter(),
        allocateContentId: counter(500),
      }),
    );
    expect(a!.segments).toEqual([
      { contentId: 500, tokens: 512 },
      { contentId: 501, tokens: 88 },
    ]);
    expect(b!.segments).toEqual([{ contentId: 502, tokens: 40 }]);
    expect(c!.segments).toEqual([
      { contentId: 500, tokens: 512 },
      { contentId: 503, tokens: 8 },
    ]);
  });

  it('passes session ids through, or maps them through allocateSessionId when given', () => {
    const plain = drain(
      traceSource(records, {
        classIndex: 0,
        allocateRequestId: counter(),
        allocateContentId: counter(),
      }),
    );
    expect(plain.map((r) => r.sessionId)).toEqual([undefined, 9, 9]);
    const mapped = drain(
      traceSource(records, {
        classIndex: 0,
        allocateRequestId: counter(),
        allocateContentId: counter(),
        allocateSessionId: counter(40),
      }),
    );
    expect(mapped.map((r) => r.sessionId)).toEqual([undefined, 40, 40]);
  });

  it('pulls records lazily, one ahead at most', () => {
    let pulled = 0;
    function* lazy(): Generator<TraceRecord> {
      for (const r of records) {
        pulled++;
        yield r;
      }
    }
    const source = traceSource(lazy(), {
      classIndex: 0,
      allocateRequestId: counter(),
      allocateContentId: counter(),
    });
    expect(pulled).toBe(0);
    expect(source.peekSeconds()).toBe(0);
    expect(source.peekSeconds()).toBe(0);
    expect(pulled).toBe(1);
    source.next();
    expect(pulled).toBe(1);
    expect(source.peekSeconds()).toBe(2);
    expect(pulled).toBe(2);
  });

  it('releases nothing on completion (open loop)', () => {
    const source = traceSource(records, {
      classIndex: 0,
      allocateRequestId: counter(),
      allocateContentId: counter(),
    });
    expect(source.onComplete(source.next()!, 3, true)).toEqual([]);
  });

  it('refuses records out of time order and segments that miss the prompt length', () => {
    const options = { classIndex: 0, allocateRequestId: counter(), allocateContentId: counter() };
    const unsorted = traceSource([records[1]!, records[0]!], options);
    unsorted.next();
    expect(() => unsorted.peekSeconds()).toThrow(
      /record 1: arrives at 0 s, before the previous record \(2 s\)/,
    );
    const short = traceSource([{ ...records[0]!, promptTokens: 601 }], {
      classIndex: 0,
      allocateRequestId: counter(),
      allocateContentId: counter(),
    });
    expect(() => short.next()).toThrow(/segments hold 600 tokens but promptTokens is 601/);
  });

  it('refuses a non-positive time scale', () => {
    expect(() =>
      traceSource(records, {
        classIndex: 0,
        timeScale: 0,
        allocateRequestId: counter(),
        allocateContentId: counter(),
      }),
    ).toThrow(/timeScale must be a positive finite number/);
  });

  it('replays a Mooncake trace so requests sharing hash blocks share content ids', () => {
    const text = readFileSync(new URL('./fixtures/mooncake.jsonl', import.meta.url), 'utf8');
    const [a, b, c] = drain(
      traceSource(parseMooncake(text).records, {
        classIndex: 0,
        allocateRequestId: counter(),
        allocateContentId: counter(1000),
      }),
    );
    // hash ids [0, 1, 2], [0, 3], [0, 1] → run ids 1000–1002, then 1003 for hash 3
    expect(a!.segments.map((s) => s.contentId)).toEqual([1000, 1001, 1002]);
    expect(b!.segments.map((s) => s.contentId)).toEqual([1000, 1003]);
    expect(c!.segments.map((s) => s.contentId)).toEqual([1000, 1001]);
    expect([a, b, c].map((r) => r!.arrivalSeconds)).toEqual([0, 0, 1.5]);
  });
});
