import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { METRIC_CONVENTIONS } from './conventions.js';
import { parseEventLog } from './events.js';
import { requestMetrics, stageMetrics } from './metrics.js';
import { assembleLog } from './records.js';

// Hand-computed values for test/fixtures/loadgen/hand-log.jsonl. Request 0: intended 1.000,
// dispatched 1.002, role chunk (choices, no content) at 1.010, content at 1.100 (1 token),
// 1.150 (2 tokens, reasoning), 1.250 (1 token), usage-only chunk at 1.260 (usage 4, client
// tokenizer 5). Request 1: HTTP 500. Request 2: done with only a role chunk (no content).
const log = assembleLog(
  parseEventLog(
    readFileSync(new URL('../../../test/fixtures/loadgen/hand-log.jsonl', import.meta.url), 'utf8'),
  ),
);
const r0 = log.records[0]!;
const close = (a: number | null, b: number): void => {
  expect(a).not.toBeNull();
  expect(a!).toBeCloseTo(b, 9);
};
/** Histogram percentiles are within 0.1 % of the exact value. */
const near = (a: number | null, b: number): void => {
  expect(a).not.toBeNull();
  expect(Math.abs(a! - b)).toBeLessThanOrEqual(b * 0.001 + 1e-6);
};

describe('metric derivation from a hand-written event log', () => {
  it('assembles three requests with one terminal each and no accounting issues', () => {
    expect(log.records.map((r) => r.terminal?.kind)).toEqual(['done', 'error', 'done']);
    expect(log.issues).toEqual([]);
  });

  it('aifactory: TTFT from the intended time to the first content chunk, E2E to the last token', () => {
    const m = requestMetrics(r0, METRIC_CONVENTIONS.aifactory);
    close(m.ttftSeconds, 0.1);
    close(m.e2eSeconds, 0.25);
    expect(m.outputTokens).toBe(4);
    expect(m.outputTokensBasis).toBe('usage');
    close(m.tpotSeconds, 0.15 / 3);
    close(m.dispatchLagSeconds, 0.002);
  });

  it('aifactory: pooled ITL puts 0 for each further token inside a multi-token chunk', () => {
    const m = requestMetrics(r0, METRIC_CONVENTIONS.aifactory);
    expect(m.pooledGapsSeconds.map((g) => Number(g.toFixed(9)))).toEqual([0.05, 0, 0.1]);
  });

  it('vllm: TTFT on the first message with choices (even empty), from dispatch; latency to the last data message', () => {
    const m = requestMetrics(r0, METRIC_CONVENTIONS.vllm);
    close(m.ttftSeconds, 0.008);
    close(m.e2eSeconds, 0.258);
    close(m.tpotSeconds, 0.25 / 3);
    expect(m.pooledGapsSeconds.map((g) => Number(g.toFixed(9)))).toEqual([0.09, 0.05, 0.1]);
  });

  it('aiperf: N from the client tokenizer, ITL = (latency − TTFT)/(N − 1), ICL between content responses', () => {
    const m = requestMetrics(r0, METRIC_CONVENTIONS.aiperf);
    close(m.ttftSeconds, 0.098);
    close(m.e2eSeconds, 0.258);
    expect(m.outputTokens).toBe(5);
    expect(m.outputTokensBasis).toBe('client-tokenizer');
    close(m.tpotSeconds, 0.16 / 4);
    expect(m.pooledGapsSeconds.map((g) => Number(g.toFixed(9)))).toEqual([0.05, 0.1]);
    expect(METRIC_CONVENTIONS.aiperf.labels.perRequestGap).toBe('ITL');
    expect(METRIC_CONVENTIONS.aiperf.labels.pooledGap).toBe('ICL');
  });

  it('a finished stream without content is a no-content failure; vLLM counts its empty choices chunk', () => {
    expect(requestMetrics(log.records[2]!, METRIC_CONVENTIONS.aifactory).errorKind).toBe(
      'no-content',
    );
    expect(requestMetrics(log.records[2]!, METRIC_CONVENTIONS.vllm).ok).toBe(true);
  });

  it('stage: errors in the goodput denominator, throughput over the stage window', () => {
    const s = stageMetrics(log, 0, { sloByClass: { chat: { ttftP99Seconds: 0.2 } }, numGpus: 2 });
    expect(s.windowSeconds).toBe(10);
    expect(s.counts).toMatchObject({ requests: 3, ok: 1, failed: 2 });
    expect(s.counts.byErrorKind['http-5xx']).toBe(1);
    expect(s.counts.byErrorKind['no-content']).toBe(1);
    expect(s.counts.httpStatuses).toEqual({ '200': 2, '500': 1 });
    close(s.goodput.sloAttainment, 1 / 3);
    close(s.goodput.requestsPerSecond, 0.1);
    close(s.goodput.outputTokensPerSecond, 0.4);
    close(s.throughput.outputTokensPerSecondPerGpu, 0.2);
    near(s.latency.ttft.p50Seconds, 0.1);
    near(s.latency.perRequestGap.p50Seconds, 0.05);
    near(s.latency.e2e.p99Seconds, 0.25);
    expect(s.latency.pooledGap.count).toBe(3);
    near(s.interactivityTokensPerSecondPerUser, 20);
  });

  it('stage: an SLO the request misses removes it from goodput', () => {
    const s = stageMetrics(log, 0, { sloByClass: { chat: { ttftP99Seconds: 0.05 } } });
    expect(s.goodput.sloAttainment).toBe(0);
    expect(s.goodput.outputTokensPerSecond).toBe(0);
  });

  it('stage: the tokenizer cross-check reports the discrepancy of client vs usage counts', () => {
    const s = stageMetrics(log, 0);
    expect(s.tokens.crossCheck).toMatchObject({
      status: 'checked',
      usageTokens: 4,
      clientTokens: 5,
    });
    if (s.tokens.crossCheck.status === 'checked')
      close(s.tokens.crossCheck.relativeDiscrepancy, 0.25);
    expect(s.tokens.promptTokensRequested).toBe(10);
    expect(s.tokens.promptTokensServed).toBe(17);
  });

  it('stage: dispatch lag p99 above the threshold flags the run', () => {
    expect(stageMetrics(log, 0).dispatchLag.exceeded).toBe(false);
    const s = stageMetrics(log, 0, { dispatchLagThresholdSeconds: 0.001 });
    expect(s.dispatchLag.exceeded).toBe(true);
    expect(s.flags.some((f) => f.startsWith('dispatch-lag'))).toBe(true);
  });

  it('without a client tokenizer the cross-check says not checked', () => {
    const events = parseEventLog(
      readFileSync(
        new URL('../../../test/fixtures/loadgen/hand-log.jsonl', import.meta.url),
        'utf8',
      ).replace(/"clientTokens":\d+,"tokenizer":"hand"/g, '"clientTokens":null,"tokenizer":null'),
    );
    const s = stageMetrics(assembleLog(events), 0);
    expect(s.tokens.crossCheck).toEqual({
      status: 'not checked',
      reason: 'no local tokenizer for the model',
    });
  });

  it('the log assembly reports a request without a terminal event and a duplicate terminal', () => {
    const a = assembleLog([
      {
        type: 'stage-start',
        stage: 0,
        tSeconds: 0,
        startedAtIso: '',
        label: 'x',
        offeredLoad: null,
        offeredLoadUnit: 'scenario',
      },
      {
        type: 'scheduled',
        requestId: 0,
        stage: 0,
        tSeconds: 0,
        className: 'c',
        promptTokens: 1,
        maxTokens: 1,
      },
      {
        type: 'scheduled',
        requestId: 1,
        stage: 0,
        tSeconds: 0,
        className: 'c',
        promptTokens: 1,
        maxTokens: 1,
      },
      { type: 'error', requestId: 1, tSeconds: 1, kind: 'timeout', message: '' },
      { type: 'error', requestId: 1, tSeconds: 2, kind: 'timeout', message: '' },
    ]);
    expect(a.issues).toEqual([
      'stage 0: error event after request 1 ended',
      'stage 0: request 0 has no terminal event',
    ]);
  });
});
