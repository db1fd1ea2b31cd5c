import { describe, expect, it } from 'vitest';
import { createRouter } from './router/index.js';
import { countingKv, linearStepModel, listSource, poissonSource, request } from './test-support.js';
import { runTwin, type TwinOptions } from './twin.js';
import type { Sequence } from './scheduler/scheduler.js';
import type { WorkloadSource } from './types.js';

const engine = {
  maxNumSeqs: 64,
  maxNumBatchedTokens: 8192,
  chunkedPrefill: true,
  kvAdmission: 'prompt' as const,
};

const once = listSource;

function disagg(o: {
  workload: WorkloadSource;
  prefill?: number;
  decode?: number;
  transferSeconds?: number;
  extra?: Partial<TwinOptions>;
  onIterations?: TwinOptions['observer'] extends infer T
    ? T extends { onIterations?: infer F }
      ? F
      : never
    : never;
}) {
  const done: { seq: Sequence; finish: number }[] = [];
  const numPrefill = o.prefill ?? 1;
  const counters = runTwin({
    numReplicas: numPrefill,
    scheduler: engine,
    createKvCache: () => countingKv(100_000, 16),
    // Prefill: 1 ms per prompt token; decode: 10 ms per iteration.
    stepModel: linearStepModel(0, 0.001),
    router: createRouter('round-robin'),
    workload: o.workload,
    durationSeconds: 10_000,
    seed: 3,
    decode: {
      numReplicas: o.decode ?? 1,
      scheduler: engine,
      createKvCache: () => countingKv(100_000, 16),
      stepModel: linearStepModel(0.01),
      router: createRouter('least-outstanding-tokens'),
      transferSeconds: (r) => (o.transferSeconds ?? 0.05) + r.promptTokens * 1e-5,
    },
    observer: {
      onCompletion: (seq, finish) => done.push({ seq, finish }),
      ...(o.onIterations ? { onIterations: o.onIterations } : {}),
    },
    ...o.extra,
  });
  return { counters, done, numPrefill };
}

describe('disaggregated prefill/decode pools', () => {
  it('one request: TTFT is the prefill, E2E adds the KV transfer and the decode steps', () => {
    // Prefill of 1000 tokens at 1 ms/token = 1 s ⇒ first token at 1 s. Transfer = 0.05 +
    // 1000·1e-5 = 0.06 s; then 9 decode steps of 10 ms ⇒ last token at 1 + 0.06 + 0.09 = 1.15 s.
    const r = disagg({ workload: once([request(0, 1000, 10, 0)]) });
    expect(r.counters.numCompleted).toBe(1);
    expect(r.counters.numKvTransfers).toBe(1);
    const { seq, finish } = r.done[0]!;
    expect(seq.firstTokenSeconds).toBeCloseTo(1, 9);
    expect(finish).toBeCloseTo(1.15, 9);
    expect(seq.numOutputTokens).toBe(10);
    expect(seq.firstScheduledSeconds).toBe(0);
  });

  it('a one-token request finishes on its prefill replica without a transfer', () => {
    const r = disagg({ workload: once([request(0, 500, 1, 0)]) });
    expect(r.counters.numCompleted).toBe(1);
    expect(r.counters.numKvTransfers).toBe(0);
    expect(r.done[0]!.finish).toBeCloseTo(0.5, 9);
  });

  it('every request completes exactly once; decode replicas never prefill', () => {
    const prefillTokensOnDecode: number[] = [];
    const prefillTokensOnPrefill: number[] = [];
    let decodeOnPrefill = 0;
    const r = disagg({
      prefill: 2,
      decode: 3,
      workload: poissonSource({
        ratePerSecond: 4,
        count: 2000,
        seed: 11,
        lengths: (u) => ({
          promptTokens: 50 + Math.floor(u() * 400),
          outputTokens: 1 + Math.floor(u() * 60),
        }),
      }),
      onIterations(i, _s, _d, _n, _t, batch) {
        if (i >= 2) prefillTokensOnDecode.push(batch.numPrefillTokens);
        else {
          prefillTokensOnPrefill.push(batch.numPrefillTokens);
          decodeOnPrefill += batch.numDecodeSeqs;
        }
      },
    });
    expect(r.counters.numArrivals).toBe(2000);
    expect(r.counters.numCompleted).toBe(2000);
    expect(r.counters.numInFlightAtEnd).toBe(0);
    const ids = r.done.map((d) => d.seq.request.id).sort((a, b) => a - b);
    expect(new Set(ids).size).toBe(2000);
    const multi = r.done.filter((d) => d.seq.request.outputTokens > 1).length;
    expect(r.counters.numKvTransfers).toBe(multi);
    expect(multi).toBeGreaterThan(1900);
    // Nothing is preempted at this load, so decode replicas only decode.
    expect(r.counters.numPreemptions).toBe(0);
    expect(prefillTokensOnDecode.every((n) => n === 0)).toBe(true);
    expect(prefillTokensOnDecode.length).toBeGreaterThan(0);
    // Prefill replicas only prefill: every sequence leaves them at its first token.
    expect(decodeOnPrefill).toBe(0);
    expect(prefillTokensOnPrefill.some((n) => n > 0)).toBe(true);
    for (const { seq, finish } of r.done) {
      expect(seq.firstTokenSeconds!).toBeGreaterThanOrEqual(seq.request.arrivalSeconds);
      expect(finish).toBeGreaterThanOrEqual(seq.firstTokenSeconds!);
      expect(seq.numOutputTokens).toBe(seq.request.outputTokens);
    }
  });

  it('the second token waits for the transfer: its gap includes the link time', () => {
    const slow = disagg({ workload: once([request(0, 1000, 3, 0)]), transferSeconds: 2 });
    const fast = disagg({ workload: once([request(0, 1000, 3, 0)]), transferSeconds: 0 });
    expect(slow.done[0]!.finish - fast.done[0]!.finish).toBeCloseTo(2, 9);
    expect(slow.done[0]!.seq.firstTokenSeconds).toBe(fast.done[0]!.seq.firstTokenSeconds);
  });

  it('a failed decode replica sends its requests back through prefill; none is lost or doubled', () => {
    let failuresLeft = 3;
    const r = disagg({
      prefill: 1,
      decode: 2,
      workload: poissonSource({
        ratePerSecond: 2,
        count: 400,
        seed: 5,
        lengths: () => ({ promptTokens: 200, outputTokens: 200 }),
      }),
      extra: {
        failures: {
          retryLimit: 10,
          // Only decode replica 1 fails, three times, 20 s apart; repairs take 5 s.
          nextFailureDelaySeconds: (i) => (i === 1 && failuresLeft-- > 0 ? 20 : Infinity),
          repairDelaySeconds: () => 5,
        },
      },
    });
    expect(r.counters.numRetries).toBeGreaterThan(0);
    expect(r.counters.numDropped).toBe(0);
    expect(r.counters.numCompleted).toBe(400);
    const ids = new Set(r.done.map((d) => d.seq.request.id));
    expect(ids.size).toBe(400);
    // A retried request prefilled again: more transfers than requests.
    expect(r.counters.numKvTransfers).toBe(400 + r.counters.numRetries);
  });

  it('is deterministic', () => {
    const run = () =>
      disagg({
        prefill: 2,
        decode: 2,
        workload: poissonSource({
          ratePerSecond: 3,
          count: 300,
          seed: 2,
          lengths: (u) => ({ promptTokens: 100 + Math.floor(u() * 900), outputTokens: 40 }),
        }),
      });
    const a = run();
    const b = run();
    expect(JSON.stringify(a.counters)).toBe(JSON.stringify(b.counters));
    expect(a.done.map((d) => d.finish)).toEqual(b.done.map((d) => d.finish));
  });
});
