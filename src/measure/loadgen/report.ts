/**
 * The bench report (issue 5 item 7): stage metrics, the accounting check, and chart data —
 * tokens/s per GPU vs tokens/s per user, latency vs offered load, goodput vs offered load, and
 * tokens per joule vs interactivity when energy per stage window is given (measured by
 * `measure/energy`, boundary named; never unlabelled, DESIGN §3). Pure, plain JSON.
 */
import type { Boundary } from '../../core/basis.js';
import type { BenchRun } from './bench.js';
import type { EndpointConfig } from './client.js';
import type { StageMetrics } from './metrics.js';
import type { SaturationRule } from './saturation.js';

/** Energy measured over one stage's window. */
export interface StageEnergy {
  stage: number;
  energyJoules: number;
  /** Length of the energy window, seconds (compared with the token window). */
  windowSeconds: number;
  boundary: Boundary;
  /** Accelerators the energy covers. */
  numGpus?: number;
  /** Where the figure comes from (sampler, counter). */
  source: string;
}

export interface BenchChartPoint {
  stage: number;
  label: string;
  offeredLoad: number | null;
}

export interface BenchReport {
  kind: 'aifactory.bench';
  version: 1;
  target: { baseUrl: string; api: string; model: string; ignoreEos: boolean };
  convention: StageMetrics['convention'];
  labels: StageMetrics['labels'];
  promptApproximation: string;
  offeredLoadUnit: StageMetrics['offeredLoadUnit'] | null;
  stages: StageMetrics[];
  saturation: { rule: SaturationRule | null; stoppedBy: string | null };
  accounting: {
    requestsScheduled: number;
    requestsEnded: number;
    /** Breaches of "every request ends exactly once" found in the log (empty when sound). */
    issues: string[];
  };
  charts: {
    /** x: interactivity (tok/s per user), y: output tok/s per GPU (total when GPUs unknown). */
    throughputVsInteractivity: (BenchChartPoint & {
      interactivityTokensPerSecondPerUser: number | null;
      outputTokensPerSecondPerGpu: number | null;
      outputTokensPerSecond: number;
    })[];
    latencyVsLoad: (BenchChartPoint & {
      ttftP50Seconds: number | null;
      ttftP99Seconds: number | null;
      perRequestGapP50Seconds: number | null;
      perRequestGapP99Seconds: number | null;
      e2eP50Seconds: number | null;
      e2eP99Seconds: number | null;
    })[];
    goodputVsLoad: (BenchChartPoint & {
      goodputRequestsPerSecond: number;
      tokenGoodputPerSecond: number;
      outputTokensPerSecond: number;
      sloAttainment: number | null;
    })[];
    /** Empty without energy input. */
    tokensPerJouleVsInteractivity: (BenchChartPoint & {
      interactivityTokensPerSecondPerUser: number | null;
      tokensPerJoule: number;
      boundary: Boundary;
    })[];
  };
  energy: (StageEnergy & { tokensPerJoule: number; note: string | null })[];
}

export const PROMPT_APPROXIMATION =
  'synthetic prompts: n words of a 128-word common-English vocabulary ≈ n tokens for large-vocabulary BPE tokenizers (Llama 3, cl100k, o200k, Qwen2); the server adds its chat template and BOS; compare promptTokensRequested with promptTokensServed';

/** Build the report of a run (pure). */
export function buildBenchReport(
  run: BenchRun,
  context: {
    endpoint: EndpointConfig;
    saturation: SaturationRule | null;
    energy?: readonly StageEnergy[];
  },
): BenchReport {
  const stages = run.stages;
  const first = stages[0];
  const point = (s: StageMetrics): BenchChartPoint => ({
    stage: s.stage,
    label: s.label,
    offeredLoad: s.offeredLoad,
  });
  const energy = (context.energy ?? []).flatMap((e) => {
    const s = stages.find((x) => x.stage === e.stage);
    if (!s || !(e.energyJoules > 0)) return [];
    const mismatch =
      s.windowSeconds > 0 ? Math.abs(e.windowSeconds - s.windowSeconds) / s.windowSeconds : 0;
    return [
      {
        ...e,
        tokensPerJoule: s.tokens.outputTokens / e.energyJoules,
        note:
          mismatch > 0.1
            ? `energy window ${e.windowSeconds.toFixed(1)} s differs from the token window ${s.windowSeconds.toFixed(1)} s by ${(mismatch * 100).toFixed(0)}%`
            : null,
      },
    ];
  });
  const ended = run.log.records.filter((r) => r.terminal !== null).length;
  return {
    kind: 'aifactory.bench',
    version: 1,
    target: {
      baseUrl: context.endpoint.baseUrl,
      api: context.endpoint.api,
      model: context.endpoint.model,
      ignoreEos: context.endpoint.ignoreEos ?? false,
    },
    convention: first?.convention ?? 'aifactory',
    labels: first?.labels ?? { ttft: 'TTFT', perRequestGap: 'TPOT', pooledGap: 'ITL', e2e: 'E2E' },
    promptApproximation: PROMPT_APPROXIMATION,
    offeredLoadUnit: first?.offeredLoadUnit ?? null,
    stages,
    saturation: { rule: context.saturation, stoppedBy: run.stoppedBy },
    accounting: {
      requestsScheduled: run.log.records.length,
      requestsEnded: ended,
      issues: run.log.issues,
    },
    charts: {
      throughputVsInteractivity: stages.map((s) => ({
        ...point(s),
        interactivityTokensPerSecondPerUser: s.interactivityTokensPerSecondPerUser,
        outputTokensPerSecondPerGpu: s.throughput.outputTokensPerSecondPerGpu,
        outputTokensPerSecond: s.throughput.outputTokensPerSecond,
      })),
      latencyVsLoad: stages.map((s) => ({
        ...point(s),
        ttftP50Seconds: s.latency.ttft.p50Seconds,
        ttftP99Seconds: s.latency.ttft.p99Seconds,
        perRequestGapP50Seconds: s.latency.perRequestGap.p50Seconds,
        perRequestGapP99Seconds: s.latency.perRequestGap.p99Seconds,
        e2eP50Seconds: s.latency.e2e.p50Seconds,
        e2eP99Seconds: s.latency.e2e.p99Seconds,
      })),
      goodputVsLoad: stages.map((s) => ({
        ...point(s),
        goodputRequestsPerSecond: s.goodput.requestsPerSecond,
        tokenGoodputPerSecond: s.goodput.outputTokensPerSecond,
        outputTokensPerSecond: s.throughput.outputTokensPerSecond,
        sloAttainment: s.goodput.sloAttainment,
      })),
      tokensPerJouleVsInteractivity: energy.map((e) => {
        const s = stages.find((x) => x.stage === e.stage)!;
        return {
          ...point(s),
          interactivityTokensPerSecondPerUser: s.interactivityTokensPerSecondPerUser,
          tokensPerJoule: e.tokensPerJoule,
          boundary: e.boundary,
        };
      }),
    },
    energy,
  };
}
