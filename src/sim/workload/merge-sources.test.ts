import { describe, expect, it } from 'vitest';
import type { FollowUp, SimRequest, WorkloadSource } from '../types.js';
import { IdAllocator } from './ids.js';
import { mergeSources } from './merge-sources.js';
import { createRequestSource } from './request-source.js';
import { createWorkload, workloadRngs } from './sources.js';
import type { RequestClassSpec } from './spec.js';

const fixed = (value: number) => ({ dist: 'fixed', value }) as const;

const traceClass = (arrivalSeconds: number[]): RequestClassSpec => ({
  kind: 'request',
  arrivals: { process: 'trace', arrivalSeconds },
  inputTokens: fixed(100),
  outputTokens: fixed(10),
});

describe('mergeSources', () => {
  it('emits the earliest arrival first and breaks ties by source order', () => {
    const ids = new IdAllocator();
    const make = (classIndex: number, times: number[]) =>
      createRequestSource(traceClass(times), {
        classIndex,
        ids,
        rng: workloadRngs(1, `c${classIndex}`),
      });
    const merged = mergeSources([make(0, [1, 3, 3]), make(1, [0, 3, 5])]);
    const order: [number, number][] = [];
    for (let r = merged.next(); r !== undefined; r = merged.next())
      order.push([r.arrivalSeconds, r.classIndex]);
    expect(order).toEqual([
      [0, 1],
      [1, 0],
      [3, 0],
      [3, 0],
      [3, 1],
      [5, 1],
    ]);
    expect(merged.peekSeconds()).toBeUndefined();
  });

  it('sends each completion back to the source of its class and claims what it releases', () => {
    const calls: [string, number][] = [];
    const fake = (name: string, classIndex: number, firstId: number): WorkloadSource => {
      let emitted = false;
      let nextId = firstId;
      const request = (t: number): SimRequest => ({
        id: nextId++,
        classIndex,
        arrivalSeconds: t,
        promptTokens: 1,
        outputTokens: 1,
        segments: [{ contentId: 0, tokens: 1 }],
        priority: 0,
      });
      return {
        peekSeconds: () => (emitted ? undefined : 0),
        next: () => {
          emitted = true;
          return request(0);
        },
        onComplete: (r, now): FollowUp[] => {
          calls.push([name, r.id]);
          return [{ atSeconds: now, request: request(now) }];
        },
      };
    };
    const merged = mergeSources([fake('a', 0, 100), fake('b', 1, 200)]);
    const [a, b] = [merged.next()!, merged.next()!];
    const [fb] = merged.onComplete(b, 1, true);
    merged.onComplete(a, 2, true);
    merged.onComplete(fb!.request, 3, true);
    expect(calls).toEqual([
      ['b', 200],
      ['a', 100],
      ['b', 201],
    ]);
  });

  it('refuses two sources that emit the same class index', () => {
    const ids = new IdAllocator();
    const make = () =>
      createRequestSource(traceClass([0]), { classIndex: 0, ids, rng: workloadRngs(1, 'c') });
    const merged = mergeSources([make(), make()]);
    merged.next();
    expect(() => merged.next()).toThrow(/both emit class 0/);
  });

  it('refuses a completion of a class no source emitted', () => {
    const merged = mergeSources([]);
    expect(merged.peekSeconds()).toBeUndefined();
    const stray: SimRequest = {
      id: 1,
      classIndex: 9,
      arrivalSeconds: 0,
      promptTokens: 1,
      outputTokens: 1,
      segments: [],
      priority: 0,
    };
    expect(() => merged.onComplete(stray, 0, true)).toThrow(/no source emitted class 9/);
  });
});

describe('createWorkload', () => {
  it('builds one source per class with shared ids and sums their counters', () => {
    const w = createWorkload(
      [
        { name: 'chat', spec: traceClass([0, 2]) },
        {
          name: 'agents',
          spec: {
            kind: 'agent-session',
            arrivals: { process: 'closed-loop', concurrency: 1 },
            session: {
              calls: fixed(2),
              firstPromptTokens: fixed(500),
              appendTokens: fixed(5),
              outputTokens: fixed(5),
              thinkSeconds: fixed(1),
            },
          },
        },
      ],
      42,
    );
    const [first, second] = [w.source.next()!, w.source.next()!];
    expect([first.classIndex, second.classIndex]).toEqual([0, 1]);
    expect([first.id, second.id]).toEqual([0, 1]);
    const [followUp] = w.source.onComplete(second, 0.5, true);
    expect(followUp!.request).toMatchObject({ id: 2, classIndex: 1, arrivalSeconds: 1.5 });
    expect(w.source.counters()).toMatchObject({ requestsCreated: 3, sessionsStarted: 1 });
    expect(w.classSources.map((s) => s.name)).toEqual(['chat', 'agents']);
  });

  it('repeats the same workload for the same seed', () => {
    const chat: RequestClassSpec = {
      kind: 'request',
      arrivals: { process: 'poisson', ratePerSecond: 3 },
      inputTokens: { dist: 'lognormal', median: 1000, p90: 3000 },
      outputTokens: fixed(10),
    };
    const classes = [{ name: 'chat', spec: chat }];
    const pull = (seed: number) => {
      const w = createWorkload(classes, seed);
      return Array.from({ length: 20 }, () => w.source.next());
    };
    expect(pull(1)).toEqual(pull(1));
    expect(pull(1)).not.toEqual(pull(2));
  });
});
