import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { countingKv, request } from '../test-support.js';
import { ReplicaScheduler, type SchedulerConfig } from './scheduler.js';

const config = (o: Partial<SchedulerConfig> = {}): SchedulerConfig => ({
  maxNumSeqs: 8,
  maxNumBatchedTokens: 4,
  chunkedPrefill: true,
  kvAdmission: 'prompt',
  ...o,
});

/** Run iterations at 1 s each until idle; returns per-iteration scheduled token counts. */
function drain(
  s: ReplicaScheduler,
  maxIterations = 100,
): { t: number; plan: [number, number][] }[] {
  const log: { t: number; plan: [number, number][] }[] = [];
  for (let t = 0; s.hasWork() && t < maxIterations; t++) {
    const out = s.schedule(t);
    log.push({ t, plan: out.scheduled.map((c) => [c.seq.request.id, c.numNewTokens]) });
    s.updateFromOutput(out, t + 1);
  }
  return log;
}

describe('ReplicaScheduler (vLLM v1 contract)', () => {
  it('chunks a prompt under the token budget, then decodes one token per iteration', () => {
    const s = new ReplicaScheduler(config(), countingKv(100, 4));
    const seq = s.add(request(1, 10, 3), 0);
    const log = drain(s);
    expect(log.map((l) => l.plan)).toEqual([[[1, 4]], [[1, 4]], [[1, 2]], [[1, 1]], [[1, 1]]]);
    expect(seq.firstTokenSeconds).toBe(3);
    expect(seq.lastTokenSeconds).toBe(5);
    expect(seq.numOutputTokens).toBe(3);
  });

  it('serves running sequences before admitting waiting ones', () => {
    const s = new ReplicaScheduler(config({ maxNumBatchedTokens: 5 }), countingKv(100, 4));
    s.add(request(1, 4, 3), 0);
    s.add(request(2, 8, 1), 0);
    const log = drain(s);
    expect(log[0]!.plan).toEqual([
      [1, 4],
      [2, 1],
    ]);
    expect(log[1]!.plan).toEqual([
      [1, 1],
      [2, 4],
    ]);
  });

  it('without chunked prefill a prompt larger than the remaining budget waits', () => {
    const s = new ReplicaScheduler(
      config({ chunkedPrefill: false, maxNumBatchedTokens: 6 }),
      countingKv(100, 4),
    );
    s.add(request(1, 4, 2), 0);
    s.add(request(2, 4, 1), 0);
    const first = s.schedule(0);
    expect(first.scheduled.map((c) => c.seq.request.id)).toEqual([1]);
  });

  it('admits no more than maxNumSeqs sequences', () => {
    const s = new ReplicaScheduler(
      config({ maxNumSeqs: 2, maxNumBatchedTokens: 100 }),
      countingKv(100, 4),
    );
    for (let i = 0; i < 5; i++) s.add(request(i, 2, 5), 0);
    const out = s.schedule(0);
    expect(out.scheduled).toHaveLength(2);
    expect(out.admissionBlocked).toBe(true);
  });

  it('preempts the newest running sequence by recompute when KV blocks run out, and counts it', () => {
    // 3 blocks of 2 tokens: two sequences of 2-token prompts fill 2 blocks; the third block
    // goes to the first growth; the next growth preempts the newest.
    const s = new ReplicaScheduler(config({ maxNumBatchedTokens: 10 }), countingKv(3, 2));
    const a = s.add(request(1, 2, 4), 0);
    const b = s.add(request(2, 2, 4), 0);
    let t = 0;
    while (s.numPreemptions === 0 && t < 10) {
      const out = s.schedule(t);
      s.updateFromOutput(out, ++t);
    }
    expect(s.numPreemptions).toBe(1);
    expect(b.numPreemptions).toBe(1);
    expect(a.numPreemptions).toBe(0);
    expect(b.numComputedTokens).toBe(0);
    // b recomputes its prompt plus the token it had sampled, then finishes.
    drain(s);
    expect(a.numOutputTokens).toBe(4);
    expect(b.numOutputTokens).toBe(4);
    expect(s.kv.numUsedBlocks()).toBe(0);
  });

  it('full-reservation admission holds a request back instead of preempting', () => {
    const s = new ReplicaScheduler(
      config({ kvAdmission: 'full-reservation', maxNumBatchedTokens: 10 }),
      countingKv(3, 2),
    );
    s.add(request(1, 2, 4), 0); // reserves 3 blocks
    s.add(request(2, 2, 4), 0);
    const out = s.schedule(0);
    expect(out.scheduled.map((c) => c.seq.request.id)).toEqual([1]);
    drain(s);
    expect(s.numPreemptions).toBe(0);
  });

  it('serves a higher-priority waiting request first', () => {
    const s = new ReplicaScheduler(config({ maxNumSeqs: 1 }), countingKv(100, 4));
    s.add(request(1, 2, 1, 0, 1), 0);
    s.add(request(2, 2, 1, 0, 0), 0);
    expect(s.schedule(0).scheduled[0]!.seq.request.id).toBe(2);
  });

  it('advancing a decode run in one jump equals stepping it', () => {
    const make = () => {
      const s = new ReplicaScheduler(config({ maxNumBatchedTokens: 64 }), countingKv(40, 4));
      for (let i = 0; i < 3; i++) s.add(request(i, 5, 6 + 3 * i), 0);
      const out = s.schedule(0);
      s.updateFromOutput(out, 1);
      return s;
    };
    const stepped = make();
    const jumped = make();
    const k = jumped.decodeRunLength();
    expect(k).toBe(5); // request 0 has 5 of its 6 tokens left
    for (let i = 0; i < k; i++) stepped.updateFromOutput(stepped.schedule(1 + i), 2 + i);
    jumped.advanceDecode(k, 1 + k);
    const view = (s: ReplicaScheduler) =>
      s.running.map((q) => [q.request.id, q.numComputedTokens, q.numOutputTokens]);
    expect(view(jumped)).toEqual(view(stepped));
    expect(jumped.kv.numUsedBlocks()).toBe(stepped.kv.numUsedBlocks());
  });

  it('never exceeds the token budget, maxNumSeqs or the block pool, and loses no request (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 1, max: 30 }), fc.integer({ min: 1, max: 12 })), {
          minLength: 1,
          maxLength: 25,
        }),
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 4, max: 40 }),
        (reqs, maxNumSeqs, budget) => {
          const kv = countingKv(80, 4);
          const s = new ReplicaScheduler(config({ maxNumSeqs, maxNumBatchedTokens: budget }), kv);
          const seqs = reqs.map(([p, o], i) => s.add(request(i, p, o), 0));
          for (let t = 0; s.hasWork() && t < 5000; t++) {
            const out = s.schedule(t);
            const tokens = out.scheduled.reduce((a, c) => a + c.numNewTokens, 0);
            expect(tokens).toBeLessThanOrEqual(budget);
            expect(s.numRunning).toBeLessThanOrEqual(maxNumSeqs);
            expect(kv.numUsedBlocks() + kv.numFreeBlocks()).toBe(80);
            expect(new Set(out.scheduled.map((c) => c.seq)).size).toBe(out.scheduled.length);
            s.updateFromOutput(out, t + 1);
          }
          expect(s.hasWork()).toBe(false);
          for (const [i, q] of seqs.entries()) expect(q.numOutputTokens).toBe(reqs[i]![1]);
          expect(kv.numUsedBlocks()).toBe(0);
        },
      ),
    );
  });

  it('asks the KV manager for blocks only when a sequence needs a new one', () => {
    const kv = countingKv(100, 4);
    const calls: number[] = [];
    const spy: typeof kv = {
      blockSizeTokens: kv.blockSizeTokens,
      numTotalBlocks: kv.numTotalBlocks,
      numFreeBlocks: () => kv.numFreeBlocks(),
      numUsedBlocks: () => kv.numUsedBlocks(),
      lookupPrefix: (r, now) => kv.lookupPrefix(r, now),
      allocate: (r, n, now) => (calls.push(n), kv.allocate(r, n, now)),
      free: (r, now) => kv.free(r, now),
      stats: () => kv.stats(),
    };
    const s = new ReplicaScheduler(config(), spy);
    s.add(request(1, 4, 9), 0);
    drain(s);
    // Prompt of 4 tokens (one block), then decode steps to 5…12 tokens: a block every 4.
    expect(calls).toEqual([4, 5, 9]);
    expect(kv.numUsedBlocks()).toBe(0);
  });
});
