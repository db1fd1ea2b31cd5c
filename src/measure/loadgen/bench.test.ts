import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classSpecFromScenario, createWorkload } from '../../sim/workload/index.js';
import { runBench } from './bench.js';
import type { ScheduledEvent } from './events.js';
import { classesAtLoad, type LoadPoint, type ScenarioClassWithSlo } from './load.js';
import { startMockServer, type MockServer } from './mock-server.js';
import { buildBenchReport } from './report.js';
import { benchReportText } from './report-text.js';
import { wordTokenizer } from './tokenizer.js';

const chat: ScenarioClassWithSlo = {
  name: 'chat',
  kind: 'request',
  arrivals: { process: 'poisson', requestsPerSecond: 10 },
  inputTokens: { dist: 'uniform', min: 10, max: 40 },
  outputTokens: { dist: 'uniform', min: 2, max: 8 },
  slo: { ttftP99Seconds: 5, tpotP99Seconds: 1 },
};

let server: MockServer;
beforeAll(async () => {
  server = await startMockServer({ ttftSeconds: 0.002, itlSeconds: 0.001 });
});
afterAll(async () => {
  await server.close();
});

const endpoint = () => ({ baseUrl: server.url, api: 'chat' as const, model: 'mock-model' });

/** The arrival times the twin's source gives for the same classes, load and seed. */
function expectedArrivals(load: LoadPoint, n: number, seed: number): number[] {
  const classes = classesAtLoad([classSpecFromScenario(chat)], load, { maxRequests: n });
  const { source } = createWorkload(classes, seed);
  return Array.from({ length: n }, () => source.next()!.arrivalSeconds);
}

const scheduled = (events: readonly { type: string }[]): ScheduledEvent[] =>
  events.filter((e): e is ScheduledEvent => e.type === 'scheduled');

describe('open-loop schedules', () => {
  for (const load of [
    { kind: 'rate', process: 'poisson', ratePerSecond: 400 },
    { kind: 'rate', process: 'gamma', ratePerSecond: 400, cv: 2 },
    { kind: 'rate', process: 'constant', ratePerSecond: 400 },
  ] as LoadPoint[]) {
    it(`intended send times follow the ${load.kind === 'rate' ? load.process : ''} process exactly, and dispatch lag is measured`, async () => {
      const run = await runBench({
        endpoint: endpoint(),
        workload: { kind: 'scenario', classes: [chat], seed: 7 },
        loads: [load],
        maxRequests: 20,
      });
      // Stage 0 uses seed 7 + 0.
      expect(scheduled(run.events).map((e) => e.tSeconds)).toEqual(expectedArrivals(load, 20, 7));
      const s = run.stages[0]!;
      expect(s.counts.ok).toBe(20);
      expect(s.dispatchLag.count).toBe(20);
      for (const r of run.log.records)
        expect(r.dispatchedSeconds! - r.intendedSeconds).toBeGreaterThanOrEqual(0);
      expect(s.dispatchLag.p99Seconds!).toBeLessThan(1); // generous: lag is a benchmark figure
    });
  }

  it('constant rate sends at k / rate', async () => {
    const run = await runBench({
      endpoint: endpoint(),
      workload: { kind: 'scenario', classes: [chat], seed: 1 },
      loads: [{ kind: 'rate', process: 'constant', ratePerSecond: 100 }],
      durationSeconds: 0.05,
    });
    expect(scheduled(run.events).map((e) => e.tSeconds)).toEqual([0, 0.01, 0.02, 0.03, 0.04]);
  });

  it('latency counts from the intended time: a late dispatch adds to TTFT in aifactory, not in vllm', async () => {
    const run = await runBench({
      endpoint: endpoint(),
      workload: { kind: 'scenario', classes: [chat], seed: 3 },
      loads: [{ kind: 'rate', process: 'poisson', ratePerSecond: 200 }],
      maxRequests: 10,
    });
    const { requestMetrics } = await import('./metrics.js');
    const { METRIC_CONVENTIONS } = await import('./conventions.js');
    for (const r of run.log.records) {
      const ours = requestMetrics(r, METRIC_CONVENTIONS.aifactory).ttftSeconds!;
      const atDispatch = requestMetrics(r, METRIC_CONVENTIONS.aiperf).ttftSeconds!;
      expect(ours - atDispatch).toBeCloseTo(r.dispatchedSeconds! - r.intendedSeconds, 9);
    }
  });
});

describe('workloads and sweeps', () => {
  it('a concurrency sweep runs one stage per point and reports charts and tokens per joule', async () => {
    const run = await runBench({
      endpoint: { ...endpoint(), tokenizer: wordTokenizer },
      workload: { kind: 'scenario', classes: [chat], seed: 2 },
      loads: [1, 2, 4].map((c) => ({ kind: 'concurrency', concurrency: c }) as LoadPoint),
      maxRequests: 12,
      saturation: false,
      numGpus: 2,
    });
    expect(run.stages.map((s) => s.label)).toEqual([
      'concurrency 1',
      'concurrency 2',
      'concurrency 4',
    ]);
    expect(run.stages.every((s) => s.counts.requests === 12 && s.counts.ok === 12)).toBe(true);
    expect(server.stats.maxActive).toBeGreaterThanOrEqual(1);
    const s = run.stages[2]!;
    // The mock's words are one token each: the cross-check agrees exactly with usage.
    expect(s.tokens.crossCheck).toMatchObject({ status: 'checked', relativeDiscrepancy: 0 });
    // The mock counts prompt words + 7 template tokens: the approximation's error is visible.
    expect(s.tokens.promptTokensServed! - s.tokens.promptTokensRequested).toBe(7 * 12);
    const report = buildBenchReport(run, {
      endpoint: endpoint(),
      saturation: null,
      energy: [
        {
          stage: 1,
          energyJoules: 100,
          windowSeconds: run.stages[1]!.windowSeconds,
          boundary: 'chip',
          source: 'test',
        },
      ],
    });
    expect(report.charts.latencyVsLoad.map((p) => p.offeredLoad)).toEqual([1, 2, 4]);
    expect(report.charts.throughputVsInteractivity[0]!.outputTokensPerSecondPerGpu).toBeCloseTo(
      run.stages[0]!.throughput.outputTokensPerSecond / 2,
      9,
    );
    expect(report.charts.tokensPerJouleVsInteractivity).toHaveLength(1);
    expect(report.energy[0]!.tokensPerJoule).toBeCloseTo(
      run.stages[1]!.tokens.outputTokens / 100,
      12,
    );
    expect(benchReportText(report)).toMatch(/tok\/J at boundary chip/);
  });

  it('agent sessions send growing prompts that extend the previous call of the session', async () => {
    const agent: ScenarioClassWithSlo = {
      name: 'agent',
      kind: 'agent-session',
      arrivals: { process: 'closed-loop', concurrency: 2 },
      session: {
        calls: { dist: 'fixed', value: 3 },
        firstPromptTokens: { dist: 'fixed', value: 30 },
        appendTokens: { dist: 'fixed', value: 10 },
        outputTokens: { dist: 'fixed', value: 4 },
        thinkSeconds: { dist: 'fixed', value: 0.005 },
        systemPromptTokens: 20,
      },
      slo: {},
    };
    const before = server.bodies.length;
    const run = await runBench({
      endpoint: endpoint(),
      workload: { kind: 'scenario', classes: [agent], seed: 5 },
      loads: [{ kind: 'concurrency', concurrency: 2 }],
      maxRequests: 6,
    });
    const events = scheduled(run.events);
    expect(events).toHaveLength(6);
    const bySession = new Map<number, ScheduledEvent[]>();
    for (const e of events)
      bySession.set(e.sessionId!, [...(bySession.get(e.sessionId!) ?? []), e]);
    expect([...bySession.values()].map((calls) => calls.map((c) => c.promptTokens))).toEqual([
      [30, 44, 58],
      [30, 44, 58],
    ]);
    const prompt = (i: number): string =>
      (server.bodies[before + i]!.messages as { content: string }[])[0]!.content;
    const texts = run.log.records.map((_, i) => prompt(i));
    // Some call extends an earlier call's prompt word for word (prefix caching applies).
    expect(
      texts.some((t, i) => texts.some((u, j) => j !== i && t.length > u.length && t.startsWith(u))),
    ).toBe(true);
  });

  it('completions API with continuous usage and ignore_eos: body fields and per-chunk token deltas', async () => {
    const local = await startMockServer({
      continuousUsage: true,
      tokensPerChunk: 2,
      itlSeconds: 0.001,
    });
    try {
      const run = await runBench({
        endpoint: {
          baseUrl: `${local.url}/v1`,
          api: 'completions',
          model: 'mock-model',
          ignoreEos: true,
        },
        workload: { kind: 'scenario', classes: [chat], seed: 4 },
        loads: [{ kind: 'concurrency', concurrency: 2 }],
        maxRequests: 4,
      });
      const body = local.bodies[0]!;
      expect(body).toMatchObject({
        stream: true,
        stream_options: { include_usage: true },
        ignore_eos: true,
      });
      expect(body.min_tokens).toBe(body.max_tokens);
      expect(typeof body.prompt).toBe('string');
      const chunks = run.events.filter((e) => e.type === 'chunk' && e.content !== null);
      expect(chunks.every((e) => e.type === 'chunk' && e.tokenBasis === 'usage-delta')).toBe(true);
      const s = run.stages[0]!;
      const maxTokens = scheduled(run.events).reduce((a, e) => a + e.maxTokens, 0);
      expect(s.tokens.outputTokens).toBe(maxTokens);
      expect(chunks.reduce((a, e) => a + (e.type === 'chunk' ? e.tokens : 0), 0)).toBe(maxTokens);
    } finally {
      await local.close();
    }
  });

  it('trace replay sends the records at their arrival times divided by the time scale', async () => {
    const run = await runBench({
      endpoint: endpoint(),
      workload: {
        kind: 'trace',
        records: [
          { arrivalSeconds: 0, promptTokens: 5, outputTokens: 3 },
          { arrivalSeconds: 0.02, promptTokens: 7, outputTokens: 2 },
          { arrivalSeconds: 0.04, promptTokens: 9, outputTokens: 4 },
        ],
        timeScale: 2,
      },
    });
    const ev = scheduled(run.events);
    expect(ev.map((e) => e.tSeconds)).toEqual([0, 0.01, 0.02]);
    expect(ev.map((e) => [e.promptTokens, e.maxTokens])).toEqual([
      [5, 3],
      [7, 2],
      [9, 4],
    ]);
    expect(run.stages[0]!.counts.ok).toBe(3);
  });
});

describe('preconnect', () => {
  it('opens the connections before the stage, and the requests reuse them', async () => {
    const own = await startMockServer({ ttftSeconds: 0.001, itlSeconds: 0.001 });
    try {
      const closed: ScenarioClassWithSlo = {
        ...chat,
        arrivals: { process: 'closed-loop', concurrency: 4 },
      };
      const run = await runBench({
        endpoint: { baseUrl: own.url, api: 'chat', model: 'm' },
        workload: { kind: 'scenario', classes: [closed], seed: 2 },
        loads: [{ kind: 'concurrency', concurrency: 4 }],
        maxRequests: 20,
        preconnect: 4,
      });
      expect(run.stages[0]!.counts.ok).toBe(20);
      expect(run.log.issues).toEqual([]);
      // Four requests in flight at most: the four connections opened first carry them all.
      expect(own.stats.connections).toBe(4);
      expect(own.stats.requests).toBe(20); // the warm-up GETs are not completions
    } finally {
      await own.close();
    }
  });
});
