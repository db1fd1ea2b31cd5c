// The twin with an autoscaler (TwinOptions.autoscaler): a load step scales the pool out after
// the cold start and back in after the cooldown; requests are neither lost nor duplicated; off
// and cold-starting replicas get no work; off replicas do not fail.
import { describe, expect, it } from 'vitest';
import { createRng } from '../core/rng.js';
import {
  createTargetUtilizationAutoscaler,
  type AutoscalerAction,
  type AutoscalerObservation,
  type AutoscalerPolicy,
} from './failures/autoscaler.js';
import { countingKv, linearStepModel, request } from './test-support.js';
import { runTwin, type ProvisionState, type TwinOptions } from './twin.js';
import type { FollowUp, Router, SimRequest, WorkloadSource } from './types.js';

/** Poisson arrivals whose rate is constant on each segment [previous until, untilSeconds). */
function stepSource(
  segments: readonly { untilSeconds: number; ratePerSecond: number }[],
  seed: number,
): WorkloadSource {
  const rng = createRng(seed, 'arrivals');
  let k = 0;
  let id = 0;
  const advance = (from: number): number | undefined => {
    let t = from;
    while (k < segments.length) {
      const s = segments[k]!;
      const next = t + rng.nextExponential(s.ratePerSecond);
      if (next < s.untilSeconds) return next;
      // Memoryless: restart the draw at the segment's end with the next rate.
      t = s.untilSeconds;
      k++;
    }
    return undefined;
  };
  let t = advance(0);
  return {
    peekSeconds: () => t,
    next(): SimRequest | undefined {
      if (t === undefined) return undefined;
      const r = request(id++, 64, 32, t);
      t = advance(t);
      return r;
    },
    onComplete: (): FollowUp[] => [],
  };
}

/** The least-loaded routable replica by outstanding requests; -1 when none is up. */
const leastOutstanding: Router = {
  name: 'least-outstanding',
  route: (_r, f) => f.leastLoadedUp!('numOutstandingRequests'),
};

const SCHEDULER = {
  maxNumSeqs: 16,
  maxNumBatchedTokens: 2048,
  chunkedPrefill: true,
  kvAdmission: 'prompt' as const,
};

const COLD_START_SECONDS = 30;
const COOLDOWN_SECONDS = 60;

interface Log {
  /** Provisioning changes in order. */
  changes: { index: number; state: ProvisionState; atSeconds: number }[];
  /** Work started on a replica that was not serving at the time. */
  workOnUnservingReplica: string[];
  completedIds: number[];
}

/** Low (1 req/s) → high (40 req/s) → low load, 1…6 replicas; drains by the horizon. */
function run(o: Partial<TwinOptions> = {}) {
  const log: Log = { changes: [], workOnUnservingReplica: [], completedIds: [] };
  const state: ProvisionState[] = [];
  const policy = createTargetUtilizationAutoscaler({
    targetLoadPerReplica: 4,
    minReplicas: 1,
    maxReplicas: 6,
    evaluateEverySeconds: 5,
    coldStartSeconds: COLD_START_SECONDS,
    scaleInCooldownSeconds: COOLDOWN_SECONDS,
  });
  const counters = runTwin({
    numReplicas: 1,
    scheduler: SCHEDULER,
    createKvCache: () => countingKv(10_000, 16),
    // ≈ 20 ms per iteration at a batch of 16: a request of 32 output tokens takes ≈ 0.6 s.
    stepModel: linearStepModel(0.01, 0.0006),
    router: leastOutstanding,
    workload: stepSource(
      [
        { untilSeconds: 100, ratePerSecond: 1 },
        { untilSeconds: 200, ratePerSecond: 40 },
        { untilSeconds: 400, ratePerSecond: 1 },
      ],
      7,
    ),
    durationSeconds: 500,
    seed: 7,
    autoscaler: policy,
    observer: {
      onProvisioned(index, s, now) {
        state[index] = s;
        log.changes.push({ index, state: s, atSeconds: now });
      },
      onWorkStart(index, now) {
        if (state[index] !== 'serving')
          log.workOnUnservingReplica.push(`${index} (${state[index]}) at ${now}`);
      },
      onCompletion: (seq) => void log.completedIds.push(seq.request.id),
    },
    ...o,
  });
  return { counters, log };
}

const provisionedAt = (log: Log, t: number): number => {
  const s = new Map<number, ProvisionState>();
  for (const c of log.changes) if (c.atSeconds <= t) s.set(c.index, c.state);
  return [...s.values()].filter((x) => x !== 'off').length;
};

describe('serving twin with an autoscaler', () => {
  it('starts with the initial replicas serving and the other slots off', () => {
    const { log } = run();
    expect(log.changes.filter((c) => c.atSeconds === 0)).toEqual([
      { index: 0, state: 'serving', atSeconds: 0 },
      ...[1, 2, 3, 4, 5].map((index) => ({ index, state: 'off', atSeconds: 0 })),
    ]);
  });

  it('scales out when the load steps up and back in after the cooldown once it steps down', () => {
    const { counters, log } = run();
    const outs = log.changes.filter((c) => c.state === 'starting');
    const ins = log.changes.filter((c) => c.state === 'off' && c.atSeconds > 0);
    expect(outs.length).toBeGreaterThan(0);
    // Nothing scales out under the low load; the first scale-out follows the step at 100 s.
    expect(outs[0]!.atSeconds).toBeGreaterThanOrEqual(100);
    expect(outs[0]!.atSeconds).toBeLessThan(130);
    expect(provisionedAt(log, 190)).toBeGreaterThanOrEqual(4);
    // Scale-ins come after the load steps down, each ≥ the cooldown after the last action.
    expect(ins.length).toBe(outs.length);
    // Scaling actions: scale-out decisions and scale-ins (not the ends of cold starts).
    const actions = log.changes.filter((c) => c.state !== 'serving').map((c) => c.atSeconds);
    for (const s of ins) {
      expect(s.atSeconds).toBeGreaterThan(200);
      const before = Math.max(...actions.filter((t) => t < s.atSeconds));
      expect(s.atSeconds - before).toBeGreaterThanOrEqual(COOLDOWN_SECONDS);
    }
    expect(provisionedAt(log, 500)).toBe(1);
    expect(counters.numScaleOuts).toBe(outs.length);
    expect(counters.numScaleIns).toBe(ins.length);
  });

  it('delays the new capacity by exactly the cold start', () => {
    const { log } = run();
    const starts = log.changes.filter((c) => c.state === 'starting');
    for (const s of starts) {
      const ready = log.changes.find(
        (c) => c.index === s.index && c.atSeconds > s.atSeconds && c.state !== 'starting',
      );
      expect(ready?.state).toBe('serving');
      expect(ready!.atSeconds - s.atSeconds).toBe(COLD_START_SECONDS);
    }
  });

  it('gives no work to off or cold-starting replicas', () => {
    const { log } = run();
    expect(log.workOnUnservingReplica).toEqual([]);
  });

  it('loses and duplicates no request', () => {
    const { counters, log } = run();
    expect(counters.numDropped).toBe(0);
    expect(counters.numInFlightAtEnd).toBe(0);
    expect(counters.numCompleted).toBe(counters.numArrivals);
    expect(new Set(log.completedIds).size).toBe(log.completedIds.length);
    expect(Math.max(...log.completedIds)).toBe(counters.numArrivals - 1);
  });

  it('gives the same result for the same seed', () => {
    const a = run();
    const b = run();
    expect(b.counters).toEqual(a.counters);
    expect(b.log).toEqual(a.log);
  });

  it('refuses an autoscaler on a disaggregated deployment', () => {
    expect(() =>
      run({
        decode: {
          numReplicas: 1,
          scheduler: SCHEDULER,
          createKvCache: () => countingKv(10_000, 16),
          stepModel: linearStepModel(0.01),
          router: leastOutstanding,
          transferSeconds: () => 0.001,
        },
      }),
    ).toThrow(/disaggregated deployment .* cannot be autoscaled/);
  });
});

/** A policy that applies `script[k]` at its k-th evaluation (then holds). */
function scripted(
  script: readonly AutoscalerAction[],
  evaluateEverySeconds: number,
  maxReplicas: number,
): AutoscalerPolicy & { seen: AutoscalerObservation[] } {
  const seen: AutoscalerObservation[] = [];
  return {
    name: 'scripted',
    evaluateEverySeconds,
    maxReplicas,
    seen,
    decide(obs) {
      seen.push(obs);
      return script[seen.length - 1] ?? { kind: 'hold' };
    },
  };
}

describe('autoscaled replicas and failures', () => {
  const idle = (o: Partial<TwinOptions>) =>
    runTwin({
      numReplicas: 1,
      scheduler: SCHEDULER,
      createKvCache: () => countingKv(1000, 16),
      stepModel: linearStepModel(0.01),
      router: leastOutstanding,
      workload: stepSource([{ untilSeconds: 1, ratePerSecond: 1e-9 }], 1),
      durationSeconds: 100,
      seed: 1,
      ...o,
    });

  it('never fails an off replica, and starts its failure clock when it is scaled out', () => {
    const downs: [number, number][] = [];
    const policy = scripted(
      [{ kind: 'hold' }, { kind: 'hold' }, { kind: 'scale-out', scaleOut: 1, readyAtSeconds: 35 }],
      10,
      2,
    );
    idle({
      autoscaler: policy,
      // Every replica fails 15 s after its clock starts; repairs take 100 s (past the horizon).
      failures: {
        retryLimit: 1,
        nextFailureDelaySeconds: () => 15,
        repairDelaySeconds: () => 100,
      },
      observer: { onReplicaUp: (i, up, now) => void (up ? 0 : downs.push([i, now])) },
    });
    // Replica 0 fails at 15 s; replica 1, off until its scale-out at 30 s, fails at 45 s.
    expect(downs).toEqual([
      [0, 15],
      [1, 45],
    ]);
    expect(policy.seen[3]!.replicas).toEqual([
      { index: 0, state: 'failed', numOutstandingRequests: 0 },
      { index: 1, state: 'serving', numOutstandingRequests: 0 },
    ]);
  });

  it('keeps a replica that was scaled in while failed off after its repair', () => {
    const changes: [number, ProvisionState, number][] = [];
    const ups: [number, boolean, number][] = [];
    const policy = scripted(
      [{ kind: 'scale-in', scaleIn: [1] }, { kind: 'hold' }, { kind: 'hold' }],
      10,
      2,
    );
    idle({
      numReplicas: 2,
      autoscaler: policy,
      // Replica 1 fails at 5 s and is repaired at 25 s; replica 0 never fails.
      failures: {
        retryLimit: 1,
        nextFailureDelaySeconds: (i) => (i === 1 ? 5 : Number.POSITIVE_INFINITY),
        repairDelaySeconds: () => 20,
      },
      observer: {
        onProvisioned: (i, s, now) => void changes.push([i, s, now]),
        onReplicaUp: (i, up, now) => void ups.push([i, up, now]),
      },
    });
    expect(ups).toEqual([
      [1, false, 5],
      [1, true, 25],
    ]);
    expect(changes).toEqual([
      [0, 'serving', 0],
      [1, 'serving', 0],
      [1, 'off', 10],
    ]);
    // After the repair at 25 s the pool holds only replica 0; replica 1 never fails again.
    expect(policy.seen[2]!.replicas).toEqual([
      { index: 0, state: 'serving', numOutstandingRequests: 0 },
    ]);
  });

  it('refuses a scale-in of a replica with outstanding requests', () => {
    const policy = scripted([{ kind: 'scale-in', scaleIn: [0] }], 0.5, 1);
    expect(() =>
      idle({
        autoscaler: policy,
        workload: stepSource([{ untilSeconds: 10, ratePerSecond: 1000 }], 1),
      }),
    ).toThrow(/scaled in replica 0 at 0.5 s, which is serving \d+ requests/);
  });
});
