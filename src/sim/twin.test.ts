import { describe, expect, it } from 'vitest';
import { countingKv, linearStepModel, poissonSource } from './test-support.js';
import { runTwin, type TwinOptions } from './twin.js';
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
