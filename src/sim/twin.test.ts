import { describe, expect, it } from 'vitest';
import { countingKv, linearStepModel, listSource, poissonSource, request } from './test-support.js';
import {
  byOutstandingRequests,
  byOutstandingTokens,
  leastLoadedUpReplica,
} from './router/fleet-scan.js';
import { MetricsRecorder } from './metrics/recorder.js';
import { createTwin, runTwin, type TwinOptions } from './twin.js';
import type { Router } from './types.js';

/** Cycles over the replicas (the registry's round-robin is tested in router/). */
const cycle = (): Router => {
  let i = 0;
  return { name: 'cycle', route: (_r, f) => i++ % f.numReplicas };
};

const oneAtATime = {
  maxNumSeqs: 1,
  maxNumBatchedTokens: 4096,
  chunkedPrefill: true,
  kvAdmission: 'prompt' as const,
};

function single(o: Partial<TwinOptions> & Pick<TwinOptions, 'workload' | 'stepModel'>) {
  const waits: number[] = [];
  const e2e: number[] = [];
  let area = 0;
  let lastT = 0;
  let lastN = 0;
  const counters = runTwin({
    numReplicas: 1,
    scheduler: oneAtATime,
    createKvCache: () => countingKv(100_000, 16),
    router: cycle(),
    durationSeconds: 120_000,
    seed: 1,
    sampleIntervalSeconds: 0.05,
    observer: {
      onCompletion(seq, t) {
        waits.push(seq.firstScheduledSeconds! - seq.request.arrivalSeconds);
        e2e.push(t - seq.request.arrivalSeconds);
      },
      onSample(t, s) {
        area += lastN * (t - lastT);
        lastT = t;
        lastN = s.numInSystem;
      },
    },
    ...o,
  });
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  return { counters, meanWait: mean(waits), meanE2e: mean(e2e), meanInSystem: area / lastT };
}

describe('serving twin against closed forms', () => {
  it('one request at a time with deterministic service matches the M/D/1 waiting time', () => {
    // Service = 10 iterations × 0.1 s = 1 s; λ = 0.7 ⇒ Wq = ρS/(2(1−ρ)) = 0.7/(0.6) ≈ 1.1667 s.
    const r = single({
      stepModel: linearStepModel(0.1),
      workload: poissonSource({
        ratePerSecond: 0.7,
        count: 84_000,
        seed: 7,
        lengths: () => ({ promptTokens: 100, outputTokens: 10 }),
      }),
    });
    expect(r.counters.numCompleted).toBeGreaterThan(80_000);
    expect(r.meanWait).toBeGreaterThan(1.1667 * 0.93);
    expect(r.meanWait).toBeLessThan(1.1667 * 1.07);
  });

  it('geometric output lengths match the M/G/1 Pollaczek–Khinchine wait (→ M/M/1)', () => {
    // Output ~ Geometric(p) iterations of s: E[S] = s/p, E[S²] = s²(2−p)/p².
    const p = 0.05;
    const s = 0.01;
    const lambda = 3; // ρ = λ·s/p = 0.6
    const es = s / p;
    const es2 = (s * s * (2 - p)) / (p * p);
    const rho = lambda * es;
    const pk = (lambda * es2) / (2 * (1 - rho));
    const mm1 = rho / (1 / es - lambda);
    const r = single({
      stepModel: linearStepModel(s),
      workload: poissonSource({
        ratePerSecond: lambda,
        count: 300_000,
        seed: 11,
        lengths: (u) => ({
          promptTokens: 10,
          outputTokens: 1 + Math.floor(Math.log(1 - u()) / Math.log(1 - p)),
        }),
      }),
    });
    expect(r.meanWait).toBeGreaterThan(pk * 0.92);
    expect(r.meanWait).toBeLessThan(pk * 1.08);
    expect(Math.abs(pk - mm1) / mm1).toBeLessThan(0.03); // the discrete service is nearly exponential
  });

  it("obeys Little's law: mean number in system = arrival rate × mean time in system", () => {
    const r = single({
      stepModel: linearStepModel(0.02, 0.0001),
      scheduler: { ...oneAtATime, maxNumSeqs: 16, maxNumBatchedTokens: 512 },
      workload: poissonSource({
        ratePerSecond: 4,
        count: 400_000,
        seed: 3,
        lengths: (u) => ({
          promptTokens: 50 + Math.floor(u() * 400),
          outputTokens: 5 + Math.floor(u() * 60),
        }),
      }),
    });
    const lambda = r.counters.numArrivals / 120_000;
    expect(r.meanInSystem).toBeGreaterThan(lambda * r.meanE2e * 0.97);
    expect(r.meanInSystem).toBeLessThan(lambda * r.meanE2e * 1.03);
  });
});

describe('serving twin determinism and decode jumps', () => {
  const fleet = (decodeJumps: boolean, seed = 5) => {
    const ttft: number[] = [];
    const e2e: number[] = [];
    const counters = runTwin({
      numReplicas: 3,
      scheduler: {
        maxNumSeqs: 32,
        maxNumBatchedTokens: 1024,
        chunkedPrefill: true,
        kvAdmission: 'prompt',
      },
      createKvCache: () => countingKv(2000, 16),
      stepModel: linearStepModel(0.01, 0.00002, 0.0000005),
      router: cycle(),
      workload: poissonSource({
        ratePerSecond: 6,
        count: 3000,
        seed,
        lengths: (u) => ({
          promptTokens: 100 + Math.floor(u() * 2000),
          outputTokens: 20 + Math.floor(u() * 300),
        }),
      }),
      durationSeconds: 800,
      seed,
      decodeJumps,
      observer: {
        onCompletion(seq, t) {
          ttft.push(seq.firstTokenSeconds! - seq.request.arrivalSeconds);
          e2e.push(t - seq.request.arrivalSeconds);
        },
      },
    });
    return { counters, ttft, e2e };
  };

  it('gives byte-identical results for the same seed', () => {
    expect(JSON.stringify(fleet(true))).toBe(JSON.stringify(fleet(true)));
    expect(JSON.stringify(fleet(true, 6))).not.toBe(JSON.stringify(fleet(true)));
  });

  it('decode jumps agree with step-by-step simulation within the stated tolerance', () => {
    const stepped = fleet(false);
    const jumped = fleet(true);
    expect(jumped.counters.numJumpedIterations).toBeGreaterThan(jumped.counters.numIterations / 3);
    expect(jumped.counters.numCompleted).toBe(stepped.counters.numCompleted);
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(Math.abs(mean(jumped.e2e) / mean(stepped.e2e) - 1)).toBeLessThan(0.005);
    expect(Math.abs(mean(jumped.ttft) / mean(stepped.ttft) - 1)).toBeLessThan(0.01);
    expect(jumped.counters.outputTokens).toBe(stepped.counters.outputTokens);
  });
});

describe('serving twin fleet view', () => {
  it('answers least-loaded queries from its index exactly as a scan of the loads', () => {
    let checks = 0;
    const mismatches: string[] = [];
    const router: Router = {
      name: 'checking-least-tokens',
      route(request, fleet) {
        for (const [measure, key] of [
          ['numOutstandingTokens', byOutstandingTokens],
          ['numOutstandingRequests', byOutstandingRequests],
        ] as const) {
          const indexed = fleet.leastLoadedUp!(measure);
          const scanned = leastLoadedUpReplica(fleet, key);
          checks++;
          if (indexed !== scanned)
            mismatches.push(`${request.id} ${measure}: ${indexed} ≠ ${scanned}`);
        }
        return fleet.leastLoadedUp!('numOutstandingTokens');
      },
    };
    // Failures and repairs take replicas out and back while requests are in flight.
    let draws = 0;
    const counters = runTwin({
      numReplicas: 7,
      scheduler: {
        maxNumSeqs: 8,
        maxNumBatchedTokens: 512,
        chunkedPrefill: true,
        kvAdmission: 'prompt',
      },
      createKvCache: () => countingKv(400, 16),
      stepModel: linearStepModel(0.01, 0.00002, 0.0000005),
      router,
      workload: poissonSource({
        ratePerSecond: 20,
        count: 4000,
        seed: 9,
        lengths: (u) => ({
          promptTokens: 50 + Math.floor(u() * 800),
          outputTokens: 5 + Math.floor(u() * 200),
        }),
      }),
      durationSeconds: 300,
      seed: 9,
      failures: {
        retryLimit: 1,
        nextFailureDelaySeconds: (i) => 20 + ((i * 37 + draws++ * 11) % 60),
        repairDelaySeconds: () => 5,
      },
    });
    expect(counters.numRetries).toBeGreaterThan(0);
    expect(checks).toBeGreaterThan(6000);
    expect(mismatches).toEqual([]);
  });
});

describe('serving twin inter-token gaps', () => {
  it('reports the same gaps through onItlRepeated as one onItl call per gap', () => {
    const itl = (repeated: boolean) => {
      const recorder = new MetricsRecorder({
        classes: [
          { name: 'a', slo: {} },
          { name: 'b', slo: {} },
        ],
        warmupSeconds: 0,
        endSeconds: 400,
      });
      const source = poissonSource({
        ratePerSecond: 8,
        count: 2000,
        seed: 4,
        lengths: (u) => ({
          promptTokens: 30 + Math.floor(u() * 900),
          outputTokens: 2 + Math.floor(u() * 150),
        }),
      });
      // Two classes, interleaved, so runs of one class within a batch are short.
      const next = source.next.bind(source);
      source.next = () => {
        const r = next();
        return r && { ...r, classIndex: r.id % 3 === 0 ? 1 : 0 };
      };
      runTwin({
        numReplicas: 2,
        scheduler: {
          maxNumSeqs: 24,
          maxNumBatchedTokens: 512,
          chunkedPrefill: true,
          kvAdmission: 'prompt',
        },
        createKvCache: () => countingKv(3000, 16),
        stepModel: linearStepModel(0.01, 0.00002, 0.0000005),
        router: cycle(),
        workload: source,
        durationSeconds: 400,
        seed: 4,
        observer: {
          onItl: (c, gap, count) => recorder.recordItl(c, gap, count),
          ...(repeated
            ? {
                onItlRepeated: (
                  c: number,
                  gaps: readonly number[],
                  counts: readonly number[],
                  k: number,
                ) => recorder.recordItlRepeated(c, gaps, counts, k),
              }
            : {}),
        },
      });
      return recorder.finish().classes.map((c) => c.itl);
    };
    const single = itl(false);
    expect(single[1]!.count).toBeGreaterThan(1000);
    expect(itl(true)).toStrictEqual(single);
  });
});

describe('serving twin counters', () => {
  it('counts preemptions, equal to the sum over finished requests when all finish', () => {
    let perRequest = 0;
    const counters = runTwin({
      numReplicas: 1,
      scheduler: {
        maxNumSeqs: 16,
        maxNumBatchedTokens: 512,
        chunkedPrefill: true,
        kvAdmission: 'prompt',
      },
      // 40 blocks of 16 tokens: a handful of 100-token prompts growing by 200 tokens run out.
      createKvCache: () => countingKv(40, 16),
      stepModel: linearStepModel(0.01),
      router: cycle(),
      workload: poissonSource({
        ratePerSecond: 50,
        count: 200,
        seed: 2,
        lengths: () => ({ promptTokens: 100, outputTokens: 200 }),
      }),
      durationSeconds: 10_000,
      seed: 2,
      observer: {
        onCompletion: (seq) => {
          perRequest += seq.numPreemptions;
        },
      },
    });
    expect(counters.numCompleted).toBe(200);
    expect(counters.numPreemptions).toBeGreaterThan(0);
    expect(counters.numPreemptions).toBe(perRequest);
  });
});

describe('serving twin failures', () => {
  it('brings a failed replica back with an empty KV cache and retries or drops its requests', () => {
    let caches = 0;
    let failuresSeen = 0;
    let t = 0;
    const counters = runTwin({
      numReplicas: 2,
      scheduler: {
        maxNumSeqs: 8,
        maxNumBatchedTokens: 512,
        chunkedPrefill: true,
        kvAdmission: 'prompt',
      },
      createKvCache: () => {
        caches++;
        return countingKv(1000, 16);
      },
      stepModel: linearStepModel(0.01),
      router: {
        name: 'first-up',
        route: (_r, f) => {
          for (let i = 0; i < f.numReplicas; i++) if (f.load(i).up) return i;
          return -1;
        },
      },
      workload: poissonSource({
        ratePerSecond: 5,
        count: 500,
        seed: 9,
        lengths: () => ({ promptTokens: 50, outputTokens: 100 }),
      }),
      durationSeconds: 2000,
      seed: 9,
      // Replica 0 fails every 20 s and is repaired after 5 s; replica 1 never fails.
      failures: {
        retryLimit: 1,
        nextFailureDelaySeconds: (i) => (i === 0 ? 20 : Number.POSITIVE_INFINITY),
        repairDelaySeconds: () => 5,
      },
      observer: {
        onReplicaUp: (_i, up, now) => {
          expect(now).toBeGreaterThanOrEqual(t);
          t = now;
          if (!up) failuresSeen++;
        },
      },
    });
    expect(failuresSeen).toBeGreaterThan(10);
    expect(caches).toBe(2 + failuresSeen);
    expect(counters.numRetries).toBeGreaterThan(0);
    expect(counters.numCompleted + counters.numDropped + counters.numInFlightAtEnd).toBe(
      counters.numArrivals,
    );
  });
});

describe('requests a replica can never serve', () => {
  it('are rejected at once, counted as dropped, and do not block the queue behind them', () => {
    const drops: string[] = [];
    const done: number[] = [];
    const reqs = [
      request(0, 5000, 5, 0), // over the 4096 budget, no chunking
      request(1, 100, 5, 0.01),
      request(2, 100_000, 5, 0.02), // over the whole KV pool (1,000 × 16)
      request(3, 200, 5, 0.03),
    ];
    const c = runTwin({
      numReplicas: 1,
      scheduler: { ...oneAtATime, maxNumSeqs: 8, chunkedPrefill: false },
      createKvCache: () => countingKv(1000, 16),
      stepModel: linearStepModel(0.01),
      router: cycle(),
      workload: listSource(reqs),
      durationSeconds: 100,
      seed: 1,
      observer: {
        onDrop: (r, _t, reason) => drops.push(`${r.id}:${reason}`),
        onCompletion: (seq) => done.push(seq.request.id),
      },
    });
    expect(drops).toEqual(['0:rejected', '2:rejected']);
    expect(done.sort()).toEqual([1, 3]);
    expect(c.numRejected).toBe(2);
    expect(c.numDropped).toBe(2);
    expect(c.numInFlightAtEnd).toBe(0);
  });
});

describe('a twin driven from outside (createTwin)', () => {
  const reqs = Array.from({ length: 40 }, (_, i) => ({
    id: i,
    classIndex: 0,
    arrivalSeconds: i * 0.05,
    promptTokens: 100 + 10 * i,
    outputTokens: 5 + (i % 7),
    segments: [{ contentId: i, tokens: 100 + 10 * i }],
    priority: 0,
  }));
  const base = {
    numReplicas: 2,
    scheduler: { ...oneAtATime, maxNumSeqs: 8 },
    createKvCache: () => countingKv(10_000, 16),
    stepModel: linearStepModel(0.01, 1e-4),
    durationSeconds: 100,
    seed: 3,
    decodeJumps: false,
  };

  it('injected requests give the same completions as the same requests from a source', () => {
    const batch: [number, number][] = [];
    runTwin({
      ...base,
      router: cycle(),
      workload: listSource(reqs),
      observer: { onCompletion: (seq, t) => batch.push([seq.request.id, t]) },
    });
    const live: [number, number][] = [];
    const tokens = new Map<number, number>();
    const twin = createTwin({
      ...base,
      router: cycle(),
      workload: { peekSeconds: () => undefined, next: () => undefined, onComplete: () => [] },
      observer: {
        onCompletion: (seq, t) => live.push([seq.request.id, t]),
        onToken: (seq, n) => tokens.set(seq.request.id, (tokens.get(seq.request.id) ?? 0) + n),
      },
    });
    // Feed each request just before its arrival, advancing the clock in between.
    for (const r of reqs) {
      twin.advanceTo(r.arrivalSeconds - 1e-9);
      twin.inject(r, r.arrivalSeconds);
    }
    twin.advanceTo(100);
    const c = twin.finish();
    expect(live).toEqual(batch);
    expect(c.numCompleted).toBe(40);
    for (const r of reqs) expect(tokens.get(r.id)).toBe(r.outputTokens);
  });
});

describe('the model context window', () => {
  it('rejects a request whose prompt + output exceed it, as engines do, and serves the rest', () => {
    const drops: number[] = [];
    const reqs = [
      request(0, 900, 200, 0), // 1,100 > 1,024
      request(1, 900, 100, 0.01),
    ];
    const c = runTwin({
      numReplicas: 1,
      scheduler: { ...oneAtATime, maxNumSeqs: 8, maxModelLenTokens: 1024 },
      createKvCache: () => countingKv(1000, 16),
      stepModel: linearStepModel(0.01),
      router: cycle(),
      workload: listSource(reqs),
      durationSeconds: 100,
      seed: 1,
      observer: { onDrop: (r) => drops.push(r.id) },
    });
    expect(drops).toEqual([0]);
    expect(c.numCompleted).toBe(1);
    expect(c.numRejected).toBe(1);
  });
});
