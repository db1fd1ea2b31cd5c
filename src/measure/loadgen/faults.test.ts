import { afterEach, describe, expect, it } from 'vitest';
import { runBench } from './bench.js';
import type { ScenarioClassWithSlo } from './load.js';
import { startMockServer, type MockFault, type MockServer } from './mock-server.js';
import { buildBenchReport } from './report.js';
import { benchReportText } from './report-text.js';
import { wordTokenizer } from './tokenizer.js';

const chat: ScenarioClassWithSlo = {
  name: 'chat',
  kind: 'request',
  arrivals: { process: 'closed-loop', concurrency: 4 },
  inputTokens: { dist: 'fixed', value: 20 },
  outputTokens: { dist: 'fixed', value: 6 },
  slo: { ttftP99Seconds: 5 },
};

let server: MockServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('fault handling against the mock endpoint', () => {
  it('drops, 500s, 429s, stalls, malformed SSE, stream errors and missing [DONE] are counted per kind; every request ends once', async () => {
    const plan: MockFault[] = [
      'none',
      'http-500',
      'drop-mid-stream',
      'stall',
      'malformed-sse',
      'http-429',
      'stream-error',
      'no-done',
    ];
    server = await startMockServer({
      fault: (i) => plan[i % plan.length]!,
      ttftSeconds: 0.002,
      itlSeconds: 0.001,
    });
    const run = await runBench({
      endpoint: {
        baseUrl: server.url,
        api: 'chat',
        model: 'mock-model',
        stallTimeoutSeconds: 0.3,
        tokenizer: wordTokenizer,
      },
      workload: { kind: 'scenario', classes: [chat], seed: 1 },
      loads: [{ kind: 'concurrency', concurrency: 4 }],
      maxRequests: 24,
    });
    const s = run.stages[0]!;
    expect(run.log.issues).toEqual([]);
    expect(run.log.records).toHaveLength(24);
    expect(new Set(run.log.records.map((r) => r.requestId)).size).toBe(24);
    expect(run.log.records.every((r) => r.terminal !== null)).toBe(true);
    // Requests reach the mock in dispatch order, so request k meets fault plan[k mod 8].
    expect(s.counts.ok).toBe(3);
    expect(s.counts.byErrorKind).toMatchObject({
      'http-5xx': 3,
      'http-4xx': 3,
      disconnect: 6, // drop-mid-stream and no-done
      timeout: 3,
      'malformed-sse': 3,
      'stream-error': 3,
      connect: 0,
      cancelled: 0,
    });
    expect(s.counts.ok + s.counts.failed).toBe(24);
    expect(s.goodput.sloAttainment).toBeCloseTo(3 / 24, 9);
    const text = benchReportText(
      buildBenchReport(run, {
        endpoint: { baseUrl: server.url, api: 'chat', model: 'mock-model' },
        saturation: null,
      }),
    );
    expect(text).toMatch(
      /errors http-4xx 3, http-5xx 3, timeout 3, disconnect 6, malformed-sse 3, stream-error 3/,
    );
    expect(text).toMatch(/24 requests scheduled, each ended exactly once/);
  });

  it('a refused connection is a connect error, not a crash', async () => {
    server = await startMockServer();
    const url = server.url;
    await server.close();
    server = undefined;
    const run = await runBench({
      endpoint: { baseUrl: url, api: 'completions', model: 'm' },
      workload: { kind: 'scenario', classes: [chat], seed: 1 },
      loads: [{ kind: 'concurrency', concurrency: 2 }],
      maxRequests: 4,
    });
    expect(run.stages[0]!.counts.byErrorKind.connect).toBe(4);
    expect(run.log.issues).toEqual([]);
  });

  it('requests still in flight at the drain deadline are cancelled and accounted for', async () => {
    server = await startMockServer({ fault: () => 'stall' });
    const run = await runBench({
      endpoint: { baseUrl: server.url, api: 'chat', model: 'm', stallTimeoutSeconds: 30 },
      workload: { kind: 'scenario', classes: [chat], seed: 1 },
      loads: [{ kind: 'rate', process: 'constant', ratePerSecond: 50 }],
      durationSeconds: 0.1,
      drainSeconds: 0.2,
    });
    const s = run.stages[0]!;
    expect(s.counts.requests).toBe(5);
    expect(s.counts.byErrorKind.cancelled).toBe(5);
    expect(run.log.issues).toEqual([]);
  });
});
