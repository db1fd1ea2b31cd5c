/**
 * Every metric of a measured stage, derived from the event log by pure functions (DESIGN §3,
 * with the convention switches of `conventions.ts`).
 *
 * Per request (convention c; origin o = intended send time for `aifactory`, dispatch for
 * `vllm`/`aiperf`):
 * - TTFT = t(first token chunk) − o;  E2E = t(end) − o;  N = output tokens (see conventions)
 * - TPOT = (E2E − TTFT)/(N − 1), only for N ≥ 2;  interactivity = 1/TPOT, tokens/s per user
 * - dispatch lag = dispatched − intended (whatever the convention)
 * - ok ⇔ a `done` terminal and a first-token chunk; a `done` without one is `no-content`.
 *
 * Window: requests count when *intended* in [warmupSeconds, end) of their stage; T = stage
 * duration − warmup when the stage had a duration, else the last terminal time − warmup.
 * Throughputs divide by T. SLOs (per class, targets read per request as the twin does —
 * `meetsSlo` of sim/metrics): SLO attainment = requests meeting every target ÷ all requests in
 * the window (errors of every kind included); goodput = those requests ÷ T; token goodput =
 * their output tokens ÷ T. A run is flagged `dispatch-lag` when p99 dispatch lag exceeds the
 * threshold (default 5 ms; AIPerf's own flag uses 500 ms of schedule lag).
 *
 * Latency statistics come from the full-resolution `LatencyHistogram` (±0.1 %).
 */
import {
  LatencyHistogram,
  meetsSlo,
  type LatencySummary,
  type SloTargets,
} from '../../sim/metrics/index.js';
import { ERROR_KINDS, type ErrorKind } from './events.js';
import {
  METRIC_CONVENTIONS,
  type ConventionName,
  type MetricConvention,
  type OutputTokenBasis,
} from './conventions.js';
import type { AssembledLog, RequestRecord, StageInfo } from './records.js';

/** What one request measured, under one convention. */
export interface RequestMetrics {
  requestId: number;
  className: string;
  ok: boolean;
  /** Failure kind when not ok (`no-content` when the stream finished empty). */
  errorKind: ErrorKind | null;
  dispatchLagSeconds: number | null;
  ttftSeconds: number | null;
  e2eSeconds: number | null;
  /** (E2E − TTFT)/(N − 1); null unless ok and N ≥ 2. */
  tpotSeconds: number | null;
  outputTokens: number | null;
  outputTokensBasis: OutputTokenBasis | null;
  /** Pooled gaps of this request, seconds (ITL or ICL by convention). */
  pooledGapsSeconds: number[];
}

/** Per-request metrics of a record under a convention. Pure; O(chunks). */
export function requestMetrics(r: RequestRecord, convention: MetricConvention): RequestMetrics {
  const dispatchLagSeconds =
    r.dispatchedSeconds === null ? null : r.dispatchedSeconds - r.intendedSeconds;
  const base = {
    requestId: r.requestId,
    className: r.className,
    dispatchLagSeconds,
  };
  const failed = (errorKind: ErrorKind): RequestMetrics => ({
    ...base,
    ok: false,
    errorKind,
    ttftSeconds: null,
    e2eSeconds: null,
    tpotSeconds: null,
    outputTokens: null,
    outputTokensBasis: null,
    pooledGapsSeconds: [],
  });
  if (r.terminal === null) return failed('cancelled');
  if (r.terminal.kind === 'error') return failed(r.terminal.errorKind);
  const origin = convention.originSeconds(r);
  const first = convention.firstTokenIndex(r);
  const end = convention.endSeconds(r);
  if (origin === null || first < 0 || end === null) return failed('no-content');
  const ttftSeconds = r.chunks[first]!.tSeconds - origin;
  const e2eSeconds = end - origin;
  const { tokens, basis } = convention.outputTokens(r);
  const tpotSeconds = tokens >= 2 ? (e2eSeconds - ttftSeconds) / (tokens - 1) : null;
  const gaps: number[] = [];
  convention.pooledGaps(r, gaps);
  return {
    ...base,
    ok: true,
    errorKind: null,
    ttftSeconds,
    e2eSeconds,
    tpotSeconds,
    outputTokens: tokens,
    outputTokensBasis: basis,
    pooledGapsSeconds: gaps,
  };
}

export interface StageMetricsOptions {
  convention?: ConventionName;
  /** SLO targets by class name (absent class: no targets). */
  sloByClass?: ReadonlyMap<string, SloTargets> | Record<string, SloTargets>;
  /** Requests intended earlier are left out (default 0). */
  warmupSeconds?: number;
  /** p99 dispatch lag above this flags the stage (default 0.005 s). */
  dispatchLagThresholdSeconds?: number;
  /** Accelerators serving the endpoint, for per-GPU throughput (absent: null). */
  numGpus?: number;
}

/** The client-tokenizer cross-check of `usage.completion_tokens`. */
export type TokenCrossCheck =
  | { status: 'not checked'; reason: string }
  | {
      status: 'checked';
      tokenizer: string;
      numRequests: number;
      usageTokens: number;
      clientTokens: number;
      /** (Σ client − Σ usage) ÷ Σ usage. */
      relativeDiscrepancy: number;
      /** Largest |client − usage| ÷ usage over requests. */
      maxAbsRelativeDiscrepancy: number;
    };

export interface StageMetrics {
  stage: number;
  label: string;
  offeredLoad: number | null;
  offeredLoadUnit: 'concurrency' | 'requests/s' | 'scenario';
  convention: ConventionName;
  labels: MetricConvention['labels'];
  windowSeconds: number;
  counts: {
    requests: number;
    ok: number;
    failed: number;
    byErrorKind: Record<ErrorKind, number>;
    /** HTTP status codes seen, with counts. */
    httpStatuses: Record<string, number>;
  };
  throughput: {
    requestsPerSecond: number;
    inputTokensPerSecond: number;
    outputTokensPerSecond: number;
    outputTokensPerSecondPerGpu: number | null;
  };
  goodput: {
    requestsPerSecond: number;
    outputTokensPerSecond: number;
    outputTokensPerSecondPerGpu: number | null;
    sloAttainment: number | null;
  };
  latency: {
    ttft: LatencySummary;
    /** (E2E−TTFT)/(N−1) per request: TPOT (aifactory, vllm) or ITL (aiperf). */
    perRequestGap: LatencySummary;
    /** Pooled gaps: ITL (aifactory, vllm) or ICL (aiperf). */
    pooledGap: LatencySummary;
    e2e: LatencySummary;
  };
  /** 1 / median per-request gap: output tokens/s one user sees (null without data). */
  interactivityTokensPerSecondPerUser: number | null;
  dispatchLag: LatencySummary & { thresholdSeconds: number; exceeded: boolean };
  tokens: {
    outputTokens: number;
    outputTokensBasis: Record<OutputTokenBasis, number>;
    /**
     * Over the ok requests whose usage gave prompt tokens: the synthetic prompts' requested
     * length and the server's count (template and BOS included) — the prompt approximation's error.
     */
    promptTokensRequested: number;
    promptTokensServed: number | null;
    crossCheck: TokenCrossCheck;
  };
  /** `dispatch-lag`, `errors`, `no-usage`, … — what a reader must know. */
  flags: string[];
}

const zeroKinds = (): Record<ErrorKind, number> =>
  Object.fromEntries(ERROR_KINDS.map((k) => [k, 0])) as Record<ErrorKind, number>;

const sloLookup = (s: StageMetricsOptions['sloByClass']): ((name: string) => SloTargets) => {
  if (s === undefined) return () => ({});
  if (s instanceof Map) return (n) => s.get(n) ?? {};
  const rec = s as Record<string, SloTargets>;
  return (n) => rec[n] ?? {};
};

/**
 * Metrics of one stage of an assembled log. Pure.
 * @throws RangeError when the stage is not in the log.
 */
export function stageMetrics(
  log: AssembledLog,
  stage: number,
  options: StageMetricsOptions = {},
): StageMetrics {
  const info: StageInfo | undefined = log.stages.find((s) => s.stage === stage);
  if (!info) throw new RangeError(`stageMetrics: stage ${stage} is not in the log`);
  const convention = METRIC_CONVENTIONS[options.convention ?? 'aifactory'];
  const warmup = options.warmupSeconds ?? 0;
  const lagThreshold = options.dispatchLagThresholdSeconds ?? 0.005;
  const slo = sloLookup(options.sloByClass);
  const records = log.records.filter((r) => r.stage === stage && r.intendedSeconds >= warmup);

  let lastTerminal = warmup;
  for (const r of records)
    if (r.terminal) lastTerminal = Math.max(lastTerminal, r.terminal.tSeconds);
  const windowSeconds =
    info.durationSeconds !== null
      ? Math.max(0, info.durationSeconds - warmup)
      : Math.max(0, lastTerminal - warmup);

  const ttft = new LatencyHistogram();
  const perRequest = new LatencyHistogram();
  const pooled = new LatencyHistogram();
  const e2e = new LatencyHistogram();
  const lag = new LatencyHistogram();
  const byErrorKind = zeroKinds();
  const httpStatuses: Record<string, number> = {};
  const basisCounts: Record<OutputTokenBasis, number> = {
    usage: 0,
    'client-tokenizer': 0,
    chunks: 0,
  };
  let ok = 0;
  let outputTokens = 0;
  let inputTokens = 0;
  let sloMet = 0;
  let sloMetTokens = 0;
  let promptRequested = 0;
  let promptServed = 0;
  let promptServedKnown = 0;
  let checkUsage = 0;
  let checkClient = 0;
  let checkCount = 0;
  let checkMax = 0;
  let tokenizerName: string | null = null;
  let doneWithoutTokenizer = 0;

  for (const r of records) {
    if (r.httpStatus !== null) httpStatuses[r.httpStatus] = (httpStatuses[r.httpStatus] ?? 0) + 1;
    const m = requestMetrics(r, convention);
    if (m.dispatchLagSeconds !== null) lag.record(Math.max(0, m.dispatchLagSeconds));
    if (!m.ok) {
      byErrorKind[m.errorKind!]++;
      continue;
    }
    ok++;
    ttft.record(Math.max(0, m.ttftSeconds!));
    e2e.record(Math.max(0, m.e2eSeconds!));
    if (m.tpotSeconds !== null) perRequest.record(Math.max(0, m.tpotSeconds));
    for (const g of m.pooledGapsSeconds) pooled.record(Math.max(0, g));
    outputTokens += m.outputTokens!;
    basisCounts[m.outputTokensBasis!]++;
    inputTokens += r.usage?.promptTokens ?? r.promptTokensRequested;
    if (r.usage?.promptTokens != null) {
      promptRequested += r.promptTokensRequested;
      promptServed += r.usage.promptTokens;
      promptServedKnown++;
    }
    if (
      meetsSlo(slo(r.className), {
        ttftSeconds: m.ttftSeconds!,
        tpotSeconds: m.tpotSeconds,
        e2eSeconds: m.e2eSeconds!,
      })
    ) {
      sloMet++;
      sloMetTokens += m.outputTokens!;
    }
    const t = r.terminal;
    if (t?.kind === 'done') {
      const u = r.usage?.completionTokens ?? null;
      if (t.clientTokens !== null && u !== null && u > 0) {
        checkCount++;
        checkUsage += u;
        checkClient += t.clientTokens;
        checkMax = Math.max(checkMax, Math.abs(t.clientTokens - u) / u);
        tokenizerName = t.tokenizer;
      } else if (t.clientTokens === null) doneWithoutTokenizer++;
    }
  }

  const n = records.length;
  const failed = n - ok;
  const perSecond = (x: number): number => (windowSeconds > 0 ? x / windowSeconds : 0);
  const perGpu = (x: number): number | null =>
    options.numGpus !== undefined && options.numGpus > 0 ? x / options.numGpus : null;
  const medianGap = perRequest.percentileSeconds(50);
  const lagSummary = lag.summary();
  const exceeded = lagSummary.p99Seconds !== null && lagSummary.p99Seconds > lagThreshold;
  const crossCheck: TokenCrossCheck =
    checkCount > 0
      ? {
          status: 'checked',
          tokenizer: tokenizerName ?? 'unknown',
          numRequests: checkCount,
          usageTokens: checkUsage,
          clientTokens: checkClient,
          relativeDiscrepancy: (checkClient - checkUsage) / checkUsage,
          maxAbsRelativeDiscrepancy: checkMax,
        }
      : {
          status: 'not checked',
          reason:
            doneWithoutTokenizer > 0 || ok === 0
              ? 'no local tokenizer for the model'
              : 'the server reported no usage to check against',
        };
  const flags: string[] = [];
  if (exceeded)
    flags.push(
      `dispatch-lag: p99 ${(lagSummary.p99Seconds! * 1000).toFixed(2)} ms > ${(lagThreshold * 1000).toFixed(2)} ms — the client could not keep the schedule`,
    );
  if (failed > 0)
    flags.push(
      `errors: ${failed} of ${n} failed (${ERROR_KINDS.filter((k) => byErrorKind[k] > 0)
        .map((k) => `${k} ${byErrorKind[k]}`)
        .join(', ')})`,
    );
  if (basisCounts.chunks > 0)
    flags.push(
      `no-usage: ${basisCounts.chunks} requests without usage; their tokens are chunk counts`,
    );
  if (log.issues.length > 0) flags.push(`log-accounting: ${log.issues.length} issues`);
  const anySlo = records.some((r) => Object.keys(slo(r.className)).length > 0);

  return {
    stage,
    label: info.label,
    offeredLoad: info.offeredLoad,
    offeredLoadUnit: info.offeredLoadUnit,
    convention: convention.name,
    labels: convention.labels,
    windowSeconds,
    counts: { requests: n, ok, failed, byErrorKind, httpStatuses },
    throughput: {
      requestsPerSecond: perSecond(ok),
      inputTokensPerSecond: perSecond(inputTokens),
      outputTokensPerSecond: perSecond(outputTokens),
      outputTokensPerSecondPerGpu: perGpu(perSecond(outputTokens)),
    },
    goodput: {
      requestsPerSecond: perSecond(sloMet),
      outputTokensPerSecond: perSecond(sloMetTokens),
      outputTokensPerSecondPerGpu: perGpu(perSecond(sloMetTokens)),
      sloAttainment: n > 0 ? sloMet / n : null,
    },
    latency: {
      ttft: ttft.summary(),
      perRequestGap: perRequest.summary(),
      pooledGap: pooled.summary(),
      e2e: e2e.summary(),
    },
    interactivityTokensPerSecondPerUser: medianGap !== null && medianGap > 0 ? 1 / medianGap : null,
    dispatchLag: { ...lagSummary, thresholdSeconds: lagThreshold, exceeded },
    tokens: {
      outputTokens,
      outputTokensBasis: basisCounts,
      promptTokensRequested: promptRequested,
      promptTokensServed: promptServedKnown > 0 ? promptServed : null,
      crossCheck,
    },
    flags: anySlo
      ? flags
      : [...flags, 'no-slo: no class sets an SLO; goodput counts every successful request'],
  };
}
