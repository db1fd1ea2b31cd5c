import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HISTOGRAM_RELATIVE_PRECISION } from './histogram.js';
import { MetricsRecorder, meetsSlo, type CompletedRequest } from './recorder.js';

// Window [10, 110): T = 100 s. Class 0 "chat" (TTFT ≤ 1 s, TPOT ≤ 0.1 s), class 1 "batch"
// (E2E ≤ 10 s). Every expected value below is computed by hand from these requests.
const classes = [
  { name: 'chat', slo: { ttftP99Seconds: 1, tpotP99Seconds: 0.1 } },
  { name: 'batch', slo: { e2eP99Seconds: 10 } },
];

const req = (r: Partial<CompletedRequest> & Pick<CompletedRequest, 'arrivalSeconds'>) => ({
  classIndex: 0,
  firstTokenSeconds: r.arrivalSeconds,
  finishSeconds: r.arrivalSeconds,
  promptTokens: 0,
  outputTokens: 1,
  cachedPromptTokens: 0,
  queueingSeconds: 0,
  preemptions: 0,
  ...r,
});

function fixture(): MetricsRecorder {
  const m = new MetricsRecorder({ classes, warmupSeconds: 10, endSeconds: 110 });
  // A: TTFT 0.5, E2E 1.5, TPOT (1.5 − 0.5)/10 = 0.1 → meets both (≤).
  m.recordCompletion(
    req({
      arrivalSeconds: 20,
      firstTokenSeconds: 20.5,
      finishSeconds: 21.5,
      promptTokens: 100,
      outputTokens: 11,
      cachedPromptTokens: 40,
      queueingSeconds: 0.2,
    }),
  );
  // B: TTFT 1.5 > 1 → misses; TPOT (2 − 1.5)/5 = 0.1.
  m.recordCompletion(
    req({
      arrivalSeconds: 30,
      firstTokenSeconds: 31.5,
      finishSeconds: 32,
      promptTokens: 200,
      outputTokens: 6,
      queueingSeconds: 1,
      preemptions: 1,
    }),
  );
  // C: arrives during warm-up → ignored.
  m.recordCompletion(
    req({ arrivalSeconds: 5, firstTokenSeconds: 50, finishSeconds: 60, promptTokens: 9999 }),
  );
  // D: one output token, TTFT 0.25, no TPOT → meets.
  m.recordCompletion(
    req({
      arrivalSeconds: 40,
      firstTokenSeconds: 40.25,
      finishSeconds: 40.25,
      promptTokens: 50,
      cachedPromptTokens: 16,
    }),
  );
  m.recordDrop(0, 50, 'failure');
  m.recordDrop(0, 5, 'failure'); // warm-up → ignored
  m.recordItl(0, 0.1, 10, 20);
  m.recordItl(0, 0.1, 5, 30);
  m.recordItl(0, 0.05, 1, 5); // warm-up → ignored
  // E: E2E 10 ≤ 10 → meets; TPOT 8/100 = 0.08.
  m.recordCompletion(
    req({
      classIndex: 1,
      arrivalSeconds: 60,
      firstTokenSeconds: 62,
      finishSeconds: 70,
      promptTokens: 1000,
      outputTokens: 101,
      cachedPromptTokens: 500,
      queueingSeconds: 2,
      preemptions: 2,
    }),
  );
  // F: arrives just inside the window, E2E 15.5 → misses; TPOT 13/1 = 13.
  m.recordCompletion(
    req({
      classIndex: 1,
      arrivalSeconds: 109.5,
      firstTokenSeconds: 112,
      finishSeconds: 125,
      promptTokens: 10,
      outputTokens: 2,
    }),
  );
  m.recordRetry(1, 60);
  m.recordRetry(1, 5); // warm-up → ignored
  m.recordDrop(1, 110, 'rejected'); // at the window end (exclusive) → ignored
  return m;
}

describe('MetricsRecorder', () => {
  it('counts only requests arriving in [warm-up, end), and drops by reason', () => {
    const [chat, batch] = fixture().finish().classes;
    expect(chat).toMatchObject({
      numCompleted: 3,
      numDropped: 1,
      numDroppedByReason: { failure: 1, 'retry-limit': 0, rejected: 0 },
      numPreemptions: 1,
      numRetries: 0,
    });
    expect(batch).toMatchObject({
      numCompleted: 2,
      numDropped: 0,
      numRetries: 1,
      numPreemptions: 2,
    });
  });

  it('computes TTFT, E2E and queueing per request and TPOT only for ≥ 2 output tokens', () => {
    const chat = fixture().finish().classes[0]!;
    // TTFT {0.5, 1.5, 0.25}: mean 0.75, p50 = 2nd = 0.5, p99 = 3rd = 1.5 (the max, exact).
    // p50 is the top of 0.5 s's histogram bucket: 0.5 ≤ p50 < 0.5 · (1 + 2⁻¹⁰).
    const p50 = chat.ttft.p50Seconds!;
    expect(p50).toBeGreaterThanOrEqual(0.5);
    expect(p50).toBeLessThan(0.5 * (1 + HISTOGRAM_RELATIVE_PRECISION));
    expect(chat.ttft).toStrictEqual({
      count: 3,
      meanSeconds: 0.75,
      p50Seconds: p50,
      p90Seconds: 1.5,
      p95Seconds: 1.5,
      p99Seconds: 1.5,
      p999Seconds: 1.5,
      maxSeconds: 1.5,
    });
    expect(chat.e2e).toMatchObject({ count: 3, meanSeconds: (1.5 + 2 + 0.25) / 3, maxSeconds: 2 });
    expect(chat.tpot).toMatchObject({ count: 2, meanSeconds: 0.1, p99Seconds: 0.1 });
    expect(chat.queueing).toMatchObject({
      count: 3,
      meanSeconds: (0.2 + 1 + 0) / 3,
      maxSeconds: 1,
    });
    const batch = fixture().finish().classes[1]!;
    expect(batch.tpot).toMatchObject({ count: 2, meanSeconds: (0.08 + 13) / 2, maxSeconds: 13 });
  });

  it('pools inter-token gaps, a run of equal gaps counting once per gap', () => {
    const chat = fixture().finish().classes[0]!;
    expect(chat.itl).toMatchObject({ count: 15, meanSeconds: 0.1, maxSeconds: 0.1 });
  });

  it('scores SLO attainment per request over completed + dropped, drops never meeting', () => {
    const { classes: c, total } = fixture().finish();
    // chat: A and D meet of A, B, D + 1 drop → 2/4; batch: E of E, F → 1/2; total 3/6.
    expect([c[0]!.numMetSlo, c[0]!.sloAttainment]).toStrictEqual([2, 0.5]);
    expect([c[1]!.numMetSlo, c[1]!.sloAttainment]).toStrictEqual([1, 0.5]);
    expect([total.numMetSlo, total.sloAttainment]).toStrictEqual([3, 0.5]);
  });

  it('reports goodput and token goodput per second of the window', () => {
    const { classes: c, total } = fixture().finish();
    // chat: 2 good requests, 11 + 1 good output tokens over 100 s.
    expect(c[0]).toMatchObject({
      goodputRequestsPerSecond: 0.02,
      tokenGoodputTokensPerSecond: 0.12,
      numGoodOutputTokens: 12,
    });
    expect(c[1]).toMatchObject({
      goodputRequestsPerSecond: 0.01,
      tokenGoodputTokensPerSecond: 1.01,
    });
    expect(total).toMatchObject({
      goodputRequestsPerSecond: 0.03,
      tokenGoodputTokensPerSecond: 1.13,
    });
  });

  it('reports input, cached input, uncached input and output tokens per second', () => {
    const { classes: c, total } = fixture().finish();
    expect(c[0]).toMatchObject({
      inputTokensPerSecond: 3.5,
      cachedInputTokensPerSecond: 0.56,
      uncachedInputTokensPerSecond: 2.94,
      outputTokensPerSecond: 0.18,
      completedRequestsPerSecond: 0.03,
    });
    expect(total).toMatchObject({
      numPromptTokens: 1360,
      numCachedPromptTokens: 556,
      numOutputTokens: 121,
      inputTokensPerSecond: 13.6,
      outputTokensPerSecond: 1.21,
    });
  });

  it('checks each measured p99 against its target as well', () => {
    const { classes: c } = fixture().finish();
    expect(c[0]!.slo).toStrictEqual({
      targets: { ttftP99Seconds: 1, tpotP99Seconds: 0.1 },
      measuredP99: {
        ttft: { targetSeconds: 1, p99Seconds: 1.5, met: false },
        tpot: { targetSeconds: 0.1, p99Seconds: 0.1, met: true },
      },
      measuredP99Met: false,
    });
    expect(c[1]!.slo.measuredP99).toStrictEqual({
      e2e: { targetSeconds: 10, p99Seconds: 15.5, met: false },
    });
  });

  it('pools all classes into the total, each against its own SLOs', () => {
    const { total } = fixture().finish();
    expect(total).toMatchObject({
      numCompleted: 5,
      numDropped: 1,
      numRetries: 1,
      numPreemptions: 3,
    });
    expect(total.ttft.count).toBe(5);
    expect(total.itl.count).toBe(15);
  });

  it('treats a class without targets as always met and its measured check as vacuously met', () => {
    const m = new MetricsRecorder({
      classes: [{ name: 'any', slo: {} }],
      warmupSeconds: 0,
      endSeconds: 10,
    });
    m.recordCompletion(
      req({ arrivalSeconds: 1, firstTokenSeconds: 9, finishSeconds: 9.5, outputTokens: 3 }),
    );
    const c = m.finish().classes[0]!;
    expect(c.sloAttainment).toBe(1);
    expect(c.slo).toStrictEqual({ targets: {}, measuredP99: {}, measuredP99Met: true });
  });

  it('reports null attainment and null latencies for a class with no request in the window', () => {
    const m = new MetricsRecorder({ classes, warmupSeconds: 0, endSeconds: 10 });
    const c = m.finish().classes[0]!;
    expect(c.sloAttainment).toBeNull();
    expect(c.ttft.p99Seconds).toBeNull();
    expect(c.slo.measuredP99.ttft).toStrictEqual({ targetSeconds: 1, p99Seconds: null, met: null });
    expect(c.slo.measuredP99Met).toBeNull();
  });

  it('returns plain JSON, identical across runs and across repeated finish calls', () => {
    const a = fixture();
    const result = a.finish();
    expect(JSON.parse(JSON.stringify(result))).toStrictEqual(result);
    expect(a.finish()).toStrictEqual(result);
    expect(fixture().finish()).toStrictEqual(result);
  });

  it('rejects unknown classes, times out of order, and more cached than prompt tokens', () => {
    const m = new MetricsRecorder({ classes, warmupSeconds: 0, endSeconds: 10 });
    expect(() => m.recordCompletion(req({ classIndex: 2, arrivalSeconds: 1 }))).toThrow(
      /recordCompletion: classIndex must be in \[0, 2\)/,
    );
    expect(() => m.recordCompletion(req({ arrivalSeconds: 2, firstTokenSeconds: 1 }))).toThrow(
      /arrival ≤ firstToken ≤ finish/,
    );
    expect(() =>
      m.recordCompletion(req({ arrivalSeconds: 1, promptTokens: 4, cachedPromptTokens: 5 })),
    ).toThrow(/cachedPromptTokens \(5\) must be ≤ promptTokens \(4\)/);
    expect(() => m.recordDrop(0, Number.NaN, 'failure')).toThrow(/arrivalSeconds must be finite/);
    expect(() => new MetricsRecorder({ classes, warmupSeconds: 10, endSeconds: 10 })).toThrow(
      /warmupSeconds < endSeconds/,
    );
    expect(
      () =>
        new MetricsRecorder({
          classes: [{ name: 'x', slo: { ttftP99Seconds: 0 } }],
          warmupSeconds: 0,
          endSeconds: 1,
        }),
    ).toThrow(/slo.ttftP99Seconds must be a positive number/);
  });

  it('meets a target at equality and misses it just above', () => {
    const slo = { ttftP99Seconds: 1, tpotP99Seconds: 0.1, e2eP99Seconds: 5 };
    expect(meetsSlo(slo, { ttftSeconds: 1, tpotSeconds: 0.1, e2eSeconds: 5 })).toBe(true);
    expect(meetsSlo(slo, { ttftSeconds: 1, tpotSeconds: null, e2eSeconds: 5.000001 })).toBe(false);
    expect(meetsSlo(slo, { ttftSeconds: 1, tpotSeconds: 0.11, e2eSeconds: 5 })).toBe(false);
  });

  it('keeps totals equal to the sums over classes and attainment within [0, 1]', () => {
    const arb = fc.array(
      fc.record({
        classIndex: fc.integer({ min: 0, max: 1 }),
        arrivalSeconds: fc.double({ min: 0, max: 120, noNaN: true }),
        ttft: fc.double({ min: 0, max: 5, noNaN: true }),
        decode: fc.double({ min: 0, max: 20, noNaN: true }),
        outputTokens: fc.integer({ min: 1, max: 500 }),
        drop: fc.boolean(),
      }),
      { maxLength: 60 },
    );
    fc.assert(
      fc.property(arb, (rs) => {
        const m = new MetricsRecorder({ classes, warmupSeconds: 10, endSeconds: 110 });
        for (const r of rs) {
          if (r.drop) m.recordDrop(r.classIndex, r.arrivalSeconds, 'retry-limit');
          else
            m.recordCompletion(
              req({
                classIndex: r.classIndex,
                arrivalSeconds: r.arrivalSeconds,
                firstTokenSeconds: r.arrivalSeconds + r.ttft,
                finishSeconds: r.arrivalSeconds + r.ttft + r.decode,
                outputTokens: r.outputTokens,
              }),
            );
        }
        const { classes: c, total } = m.finish();
        for (const key of ['numCompleted', 'numDropped', 'numMetSlo', 'numOutputTokens'] as const)
          expect(total[key]).toBe(c[0]![key] + c[1]![key]);
        const inWindow = rs.filter((r) => r.arrivalSeconds >= 10 && r.arrivalSeconds < 110).length;
        expect(total.numCompleted + total.numDropped).toBe(inWindow);
        if (total.sloAttainment !== null) {
          expect(total.sloAttainment).toBeGreaterThanOrEqual(0);
          expect(total.sloAttainment).toBeLessThanOrEqual(1);
        }
        expect(total.tokenGoodputTokensPerSecond).toBeLessThanOrEqual(total.outputTokensPerSecond);
      }),
      { seed: 7, numRuns: 200 },
    );
  });
});
