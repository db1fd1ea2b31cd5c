import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRng } from '../../core/rng.js';
import type { SimRequest } from '../types.js';
import { IdAllocator } from './ids.js';
import { segmentTokens, sharedPrefixTokens } from './segments.js';
import { createAgentSessionSource } from './session-source.js';
import { workloadRngs } from './sources.js';
import type { ClassArrivalSpec, SessionSpec } from './spec.js';
import { driveAtZeroLoad, type ZeroLoadOptions } from './zero-load-driver.js';

const fixed = (value: number) => ({ dist: 'fixed', value }) as const;

/** 3 calls: first prompt 1000, output 20, append 50, think 5 s. */
const SESSION: SessionSpec = {
  calls: fixed(3),
  firstPromptTokens: fixed(1000),
  appendTokens: fixed(50),
  outputTokens: fixed(20),
  thinkSeconds: fixed(5),
};
const ONE_SESSION: ClassArrivalSpec = { process: 'trace', arrivalSeconds: [0] };

const sessions = (session: SessionSpec, arrivals: ClassArrivalSpec = ONE_SESSION, seed = 1) =>
  createAgentSessionSource(
    { kind: 'agent-session', arrivals, session },
    { classIndex: 0, ids: new IdAllocator(), rng: workloadRngs(seed, 'agents') },
  );

/** Every request that arrives, and when each ended, under the zero-load driver. */
function record(source: ReturnType<typeof sessions>, options: ZeroLoadOptions = {}) {
  const arrived: SimRequest[] = [];
  const endSeconds = new Map<number, number>();
  const result = driveAtZeroLoad(source, {
    serviceSeconds: () => 1,
    ...options,
    onArrival: (r) => arrived.push(r),
    onEnd: (r, t) => endSeconds.set(r.id, t),
  });
  return { arrived, endSeconds, result };
}

describe('agent-session source: one session', () => {
  it('grows each prompt by the previous output and the append, after the think time', () => {
    const s = sessions(SESSION);
    const call1 = s.next()!;
    expect(call1).toMatchObject({ arrivalSeconds: 0, promptTokens: 1000, outputTokens: 20 });
    const [f2] = s.onComplete(call1, 2, true);
    expect(f2!.atSeconds).toBe(7);
    expect(f2!.request).toMatchObject({ arrivalSeconds: 7, promptTokens: 1070 });
    const [f3] = s.onComplete(f2!.request, 9, true);
    expect(f3!.request.promptTokens).toBe(1140);
    expect(s.onComplete(f3!.request, 10, true)).toEqual([]);
    expect(s.counters()).toMatchObject({
      sessionsStarted: 1,
      sessionsFinished: 1,
      requestsCreated: 3,
    });
  });

  it('lets each call share the whole previous prompt, in O(1) segments per call', () => {
    const { arrived } = record(sessions({ ...SESSION, calls: fixed(40) }));
    expect(arrived).toHaveLength(40);
    for (let k = 1; k < arrived.length; k++) {
      const [previous, call] = [arrived[k - 1]!, arrived[k]!];
      expect(sharedPrefixTokens(previous.segments, call.segments)).toBe(previous.promptTokens);
      expect(call.promptTokens - previous.promptTokens).toBe(70);
      expect(call.segments).toHaveLength(1);
      expect(segmentTokens(call.segments)).toBe(call.promptTokens);
    }
  });

  it('sets the session id on every call', () => {
    const { arrived } = record(sessions(SESSION, { process: 'trace', arrivalSeconds: [0, 0.5] }));
    expect(arrived.map((r) => r.sessionId)).toEqual([0, 1, 0, 1, 0, 1]);
  });

  it('ends the session when a call is dropped, and counts it', () => {
    const s = sessions(SESSION);
    expect(s.onComplete(s.next()!, 1, false)).toEqual([]);
    expect(s.counters()).toMatchObject({
      sessionsAborted: 1,
      sessionsFinished: 0,
      requestsDropped: 1,
    });
  });

  it('refuses to complete the same call twice', () => {
    const s = sessions(SESSION);
    const call = s.next()!;
    s.onComplete(call, 1, true);
    expect(() => s.onComplete(call, 1, true)).toThrow(/not a call of this source in flight/);
  });
});

describe('agent-session source: shared system prompt and compaction', () => {
  it('starts every session with the class’s system-prompt segment', () => {
    const { arrived } = record(
      sessions(
        { ...SESSION, calls: fixed(1), systemPromptTokens: 200 },
        {
          process: 'trace',
          arrivalSeconds: [0, 1, 2],
        },
      ),
    );
    expect(arrived.map((r) => r.segments[0])).toEqual([
      { contentId: 0, tokens: 200 },
      { contentId: 0, tokens: 200 },
      { contentId: 0, tokens: 200 },
    ]);
    expect(sharedPrefixTokens(arrived[0]!.segments, arrived[1]!.segments)).toBe(200);
    expect(arrived.every((r) => r.promptTokens === 1000)).toBe(true);
  });

  it('replaces the context by a summary once a prompt would pass the threshold', () => {
    // Prompts 1000, 1070, 1140; the fourth would be 1210 > 1150: summary 100 + append 50.
    const { arrived } = record(
      sessions({
        ...SESSION,
        calls: fixed(5),
        systemPromptTokens: 200,
        compaction: { thresholdTokens: 1150, summaryTokens: fixed(100) },
      }),
    );
    expect(arrived.map((r) => r.promptTokens)).toEqual([1000, 1070, 1140, 350, 420]);
    expect(sharedPrefixTokens(arrived[2]!.segments, arrived[3]!.segments)).toBe(200);
    expect(sharedPrefixTokens(arrived[3]!.segments, arrived[4]!.segments)).toBe(350);
  });
});

describe('agent-session source: sub-agents', () => {
  const WITH_SUB_AGENTS: SessionSpec = {
    ...SESSION,
    subAgents: {
      probabilityPerCall: 1,
      childrenPerFork: fixed(2),
      calls: fixed(2),
      taskTokens: fixed(300),
    },
  };

  it('forks children after each non-final call and joins them before the parent goes on', () => {
    const s = sessions(WITH_SUB_AGENTS);
    // Service time varies by session so the two children end at different times.
    const { arrived, endSeconds } = record(s, { serviceSeconds: (r) => 1 + (r.sessionId! % 3) });
    const parent = arrived.filter((r) => r.sessionId === 0);
    expect(parent).toHaveLength(3);
    const children = new Map<number, SimRequest[]>();
    for (const r of arrived) {
      if (r.sessionId !== 0) children.set(r.sessionId!, [...(children.get(r.sessionId!) ?? []), r]);
    }
    expect(children.size).toBe(4);
    const lastEnd = (calls: SimRequest[]) => endSeconds.get(calls[calls.length - 1]!.id)!;
    const [a, b, c, d] = [...children.values()];
    expect(parent[1]!.arrivalSeconds).toBe(Math.max(lastEnd(a!), lastEnd(b!)));
    expect(parent[2]!.arrivalSeconds).toBe(Math.max(lastEnd(c!), lastEnd(d!)));
    expect(lastEnd(a!)).not.toBe(lastEnd(b!));
    expect(s.counters()).toMatchObject({
      sessionsStarted: 5,
      subAgentSessionsStarted: 4,
      sessionsFinished: 5,
      requestsCreated: 3 + 4 * 2,
    });
  });

  it('starts a child from the parent’s prompt plus its task, growing its own context', () => {
    const { arrived } = record(sessions(WITH_SUB_AGENTS));
    const parentCall1 = arrived[0]!;
    const childCall1 = arrived.find((r) => r.sessionId !== 0)!;
    const childCall2 = arrived.filter((r) => r.sessionId === childCall1.sessionId)[1]!;
    expect(childCall1.segments.slice(0, parentCall1.segments.length)).toEqual(parentCall1.segments);
    expect(childCall1.promptTokens).toBe(1000 + 300);
    expect(sharedPrefixTokens(parentCall1.segments, childCall1.segments)).toBe(1000);
    expect(sharedPrefixTokens(childCall1.segments, childCall2.segments)).toBe(1300);
    expect(childCall2.promptTokens).toBe(1300 + 20 + 50);
  });

  it('can start a child from the system prompt only', () => {
    const { arrived } = record(
      sessions({
        ...WITH_SUB_AGENTS,
        systemPromptTokens: 200,
        subAgents: { ...WITH_SUB_AGENTS.subAgents!, inherit: 'system-prompt' },
      }),
    );
    const child = arrived.find((r) => r.sessionId !== 0)!;
    expect(child.segments).toHaveLength(2);
    expect(child.segments[0]).toEqual(arrived[0]!.segments[0]);
    expect(child.promptTokens).toBe(200 + 300);
  });

  it('lets an aborted child count toward the join', () => {
    const s = sessions(WITH_SUB_AGENTS);
    const parentCall = s.next()!;
    const forks = s.onComplete(parentCall, 1, true);
    expect(forks).toHaveLength(2);
    expect(s.onComplete(forks[0]!.request, 2, false)).toEqual([]);
    // The second child makes its second call, then its end completes the join.
    const [childCall2] = s.onComplete(forks[1]!.request, 3, true);
    expect(childCall2!.request.sessionId).toBe(forks[1]!.request.sessionId);
    const [parentCall2] = s.onComplete(childCall2!.request, 10, true);
    expect(parentCall2).toMatchObject({
      atSeconds: 10,
      request: { sessionId: parentCall.sessionId },
    });
    expect(s.counters()).toMatchObject({ sessionsAborted: 1, sessionsFinished: 1 });
  });
});

describe('agent-session source: closed loop', () => {
  it('starts one session per client at t = 0 and replaces each ended session at once', () => {
    const s = sessions({ ...SESSION, calls: fixed(1) }, { process: 'closed-loop', concurrency: 2 });
    const [a, b] = [s.next()!, s.next()!];
    expect([a.arrivalSeconds, b.arrivalSeconds, a.sessionId, b.sessionId]).toEqual([0, 0, 0, 1]);
    expect(s.next()).toBeUndefined();
    const [replacement] = s.onComplete(b, 4, true);
    expect(replacement).toMatchObject({
      atSeconds: 4,
      request: { sessionId: 2, promptTokens: 1000 },
    });
    const [afterDrop] = s.onComplete(a, 5, false);
    expect(afterDrop!.request.sessionId).toBe(3);
    expect(s.counters()).toMatchObject({
      sessionsStarted: 4,
      sessionsFinished: 1,
      sessionsAborted: 1,
    });
  });
});

describe('agent-session source: reproducibility', () => {
  const LOGNORMAL: SessionSpec = {
    calls: { dist: 'lognormal', median: 8, p90: 30 },
    firstPromptTokens: { dist: 'lognormal', median: 5000, p90: 20000 },
    appendTokens: { dist: 'lognormal', median: 300, p90: 2000 },
    outputTokens: { dist: 'lognormal', median: 216, p90: 879 },
    thinkSeconds: { dist: 'lognormal', median: 10, p90: 168 },
  };
  const ARRIVALS: ClassArrivalSpec = { process: 'poisson', ratePerSecond: 0.5 };

  /** Per session: its calls' (prompt, output) and think gaps, whatever the serving times. */
  function shapes(serviceSeconds: number) {
    const { arrived, endSeconds } = record(sessions(LOGNORMAL, ARRIVALS, 3), {
      untilSeconds: 1e9,
      maxRequests: 5000,
      serviceSeconds: () => serviceSeconds,
    });
    const bySession = new Map<number, SimRequest[]>();
    for (const r of arrived)
      bySession.set(r.sessionId!, [...(bySession.get(r.sessionId!) ?? []), r]);
    const result = new Map<number, number[][]>();
    for (const [id, calls] of bySession)
      result.set(
        id,
        calls.map((r, k) => [
          r.promptTokens,
          r.outputTokens,
          k === 0 ? 0 : r.arrivalSeconds - endSeconds.get(calls[k - 1]!.id)!,
        ]),
      );
    return result;
  }

  it('gives the k-th session the same shape however slowly calls are served', () => {
    const fast = shapes(0.1);
    const slow = shapes(30);
    let compared = 0;
    for (const [id, calls] of fast) {
      const other = slow.get(id);
      if (other === undefined) continue;
      const n = Math.min(calls.length, other.length);
      for (let k = 0; k < n; k++) {
        expect(other[k]![0]).toBe(calls[k]![0]);
        expect(other[k]![1]).toBe(calls[k]![1]);
        expect(other[k]![2]).toBeCloseTo(calls[k]![2]!, 6);
      }
      compared += n;
    }
    expect(compared).toBeGreaterThan(1000);
  });

  it('repeats the same calls for the same seed', () => {
    const run = (seed: number) =>
      record(sessions(LOGNORMAL, ARRIVALS, seed), { maxRequests: 500 }).arrived;
    expect(run(2)).toEqual(run(2));
    expect(run(2)).not.toEqual(run(3));
  });

  it('streams a million chained calls with dense ids (speed is measured by npm run bench)', () => {
    const s = sessions(LOGNORMAL, { process: 'closed-loop', concurrency: 1 });
    let call = s.next()!;
    for (let i = 1; i < 1_000_000; i++) {
      const [f] = s.onComplete(call, call.arrivalSeconds + 1, true);
      call = f!.request;
    }
    expect(call.id).toBe(999_999);
  });
});

describe('agent-session source: conservation (property)', () => {
  it('loses and duplicates no call or session, whatever the drops, forks and timings', () => {
    fc.assert(
      fc.property(
        fc.record({
          seed: fc.integer({ min: 0, max: 1e6 }),
          numSessions: fc.integer({ min: 1, max: 20 }),
          callsMedian: fc.integer({ min: 1, max: 10 }),
          forkProbability: fc.double({ min: 0, max: 1, noNaN: true }),
          dropProbability: fc.double({ min: 0, max: 0.3, noNaN: true }),
          compact: fc.boolean(),
        }),
        (p) => {
          const s = sessions(
            {
              ...SESSION,
              calls: { dist: 'lognormal', median: p.callsMedian, p90: 3 * p.callsMedian },
              appendTokens: { dist: 'uniform', min: 0, max: 500 },
              subAgents: {
                probabilityPerCall: p.forkProbability,
                childrenPerFork: { dist: 'uniform', min: 1, max: 3 },
                calls: fixed(2),
                taskTokens: fixed(100),
              },
              ...(p.compact
                ? { compaction: { thresholdTokens: 1500, summaryTokens: fixed(200) } }
                : {}),
            },
            {
              process: 'trace',
              arrivalSeconds: Array.from({ length: p.numSessions }, (_, i) => i),
            },
            p.seed,
          );
          const rng = createRng(p.seed, 'timing');
          const { arrived, result } = record(s, {
            serviceSeconds: () => rng.next() * 10,
            completes: () => rng.next() >= p.dropProbability,
          });
          const c = s.counters();
          return (
            new Set(arrived.map((r) => r.id)).size === result.numArrived &&
            arrived.every((r) => segmentTokens(r.segments) === r.promptTokens) &&
            c.requestsCreated === result.numArrived &&
            c.requestsCompleted + c.requestsDropped === c.requestsCreated &&
            c.sessionsFinished + c.sessionsAborted === c.sessionsStarted &&
            c.sessionsStarted - c.subAgentSessionsStarted === p.numSessions
          );
        },
      ),
      { numRuns: 60 },
    );
  });
});
