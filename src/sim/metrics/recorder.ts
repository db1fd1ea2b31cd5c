/**
 * Request-level metrics of one serving-twin run (DESIGN §3), per workload class and in total.
 *
 * Window: a request counts when it *arrives* in [warmupSeconds, endSeconds); its latencies,
 * tokens, drops and SLO outcome are all attributed by arrival, and every rate divides by the
 * window length T = endSeconds − warmupSeconds, in seconds. Requests still in flight when the
 * run stops are not seen here (the caller drains them, or accepts that they are censored).
 *
 * Definitions, per request (times in seconds, simulated):
 * - TTFT = firstTokenSeconds − arrivalSeconds
 * - E2E  = finishSeconds − arrivalSeconds
 * - TPOT = (E2E − TTFT) / (outputTokens − 1), only for outputTokens ≥ 2
 * - ITL  = every gap between consecutive output tokens, pooled over requests (`recordItl`)
 * - queueing delay = time the request waited before its first scheduling, as reported
 *
 * SLO reading of a p99 target, per request: a class's `ttftP99Seconds = x` is met *by a
 * request* when its TTFT ≤ x (likewise TPOT ≤ `tpotP99Seconds`, when TPOT is defined, i.e.
 * outputTokens ≥ 2; E2E ≤ `e2eP99Seconds`). A request meets its class's SLOs when it meets
 * every target the class sets; a dropped request never does. Then
 * - SLO attainment = requests meeting all SLOs ÷ (completed + dropped), in the window
 * - goodput = requests meeting all SLOs ÷ T, requests/s
 * - token goodput = Σ output tokens of those requests ÷ T, tokens/s (the headline throughput)
 * Why per request: a p99 target read as a percentile ("the class's p99 TTFT ≤ x") holds, over
 * completed requests, exactly when at least ⌈0.99·n⌉ of them have TTFT ≤ x — the same test
 * applied request by request, then counted. Scoring each request lets one share combine
 * several targets and the drops, and gives goodput its numerator. The percentile reading is
 * reported too: `slo.measuredP99` compares each measured p99 (completed requests only; drops
 * have no latency) with its target. That p99 is the top of its histogram bucket, so it may
 * read up to 0.1 % high and flag a miss at the very edge — the conservative side.
 *
 * Throughput: input tok/s = Σ prompt tokens ÷ T (cached ones included: the prompt the request
 * carried); cached input tok/s = Σ prompt tokens served from the prefix cache ÷ T; uncached
 * input tok/s = their difference; output tok/s = Σ output tokens ÷ T.
 *
 * Results are plain JSON, unrounded, identical for identical call sequences.
 */
import type { SloBasis } from '../../core/basis.js';
import { requireArg } from '../../core/errors.js';
import { invalidArgument } from '../invalid.js';
import { LatencyHistogram, type LatencySummary } from './histogram.js';

/** SLO targets of a class, in seconds; an absent field sets no target. */
export type SloTargets = SloBasis;

export interface MetricsClassConfig {
  name: string;
  slo: SloTargets;
}

export interface MetricsRecorderOptions {
  classes: readonly MetricsClassConfig[];
  /** Start of the measurement window: requests arriving earlier are ignored. */
  warmupSeconds: number;
  /** End of the measurement window (exclusive for arrivals); rates divide by end − warmup. */
  endSeconds: number;
}

/** One finished request, as the replica reports it. */
export interface CompletedRequest {
  classIndex: number;
  arrivalSeconds: number;
  firstTokenSeconds: number;
  finishSeconds: number;
  promptTokens: number;
  outputTokens: number;
  /** Prompt tokens served from the prefix cache (≤ promptTokens). */
  cachedPromptTokens: number;
  /** Time from arrival to first scheduling, seconds. */
  queueingSeconds: number;
  /** Times the request was preempted (recompute) while running. */
  preemptions: number;
}

export type DropReason = 'failure' | 'retry-limit' | 'rejected';

export const DROP_REASONS: readonly DropReason[] = ['failure', 'retry-limit', 'rejected'];

/** One SLO target checked against the class's measured p99 (completed requests only). */
export interface MeasuredP99Check {
  targetSeconds: number;
  /** Measured p99, seconds; null when no request had this latency. */
  p99Seconds: number | null;
  /** p99 ≤ target; null when there is no measurement. */
  met: boolean | null;
}

/** The class's SLO targets and the percentile reading of them (attainment is in `sloAttainment`). */
export interface SloResult {
  targets: SloTargets;
  /** Per target: is the measured p99 within it? Absent keys = no such target. */
  measuredP99: {
    ttft?: MeasuredP99Check;
    tpot?: MeasuredP99Check;
    e2e?: MeasuredP99Check;
  };
  /** Every measured p99 meets its target; null when any has no measurement; true with no targets. */
  measuredP99Met: boolean | null;
}

/** Counts, latencies and rates of a set of requests over the window. */
export interface TrafficMetrics {
  numCompleted: number;
  numDropped: number;
  numDroppedByReason: Record<DropReason, number>;
  /** Retries of requests arriving in the window (one request may retry several times). */
  numRetries: number;
  numPreemptions: number;
  /** Completed + dropped requests that met every SLO of their class. */
  numMetSlo: number;
  numPromptTokens: number;
  numCachedPromptTokens: number;
  numOutputTokens: number;
  /** Output tokens of requests that met every SLO. */
  numGoodOutputTokens: number;
  /** numMetSlo ÷ (completed + dropped); null when there is no request. */
  sloAttainment: number | null;
  ttft: LatencySummary;
  tpot: LatencySummary;
  itl: LatencySummary;
  e2e: LatencySummary;
  queueing: LatencySummary;
  completedRequestsPerSecond: number;
  goodputRequestsPerSecond: number;
  tokenGoodputTokensPerSecond: number;
  inputTokensPerSecond: number;
  cachedInputTokensPerSecond: number;
  uncachedInputTokensPerSecond: number;
  outputTokensPerSecond: number;
}

export interface ClassMetrics extends TrafficMetrics {
  name: string;
  slo: SloResult;
}

export interface MetricsResult {
  warmupSeconds: number;
  endSeconds: number;
  windowSeconds: number;
  classes: ClassMetrics[];
  /** All classes together; SLO attainment pools every class's requests against their own SLOs. */
  total: TrafficMetrics;
}

interface ClassState {
  numCompleted: number;
  numDroppedByReason: Record<DropReason, number>;
  numRetries: number;
  numPreemptions: number;
  numMetSlo: number;
  numPromptTokens: number;
  numCachedPromptTokens: number;
  numOutputTokens: number;
  numGoodOutputTokens: number;
  ttft: LatencyHistogram;
  tpot: LatencyHistogram;
  itl: LatencyHistogram;
  e2e: LatencyHistogram;
  queueing: LatencyHistogram;
}

const newState = (): ClassState => ({
  numCompleted: 0,
  numDroppedByReason: { failure: 0, 'retry-limit': 0, rejected: 0 },
  numRetries: 0,
  numPreemptions: 0,
  numMetSlo: 0,
  numPromptTokens: 0,
  numCachedPromptTokens: 0,
  numOutputTokens: 0,
  numGoodOutputTokens: 0,
  ttft: new LatencyHistogram(),
  tpot: new LatencyHistogram(),
  itl: new LatencyHistogram(),
  e2e: new LatencyHistogram(),
  queueing: new LatencyHistogram(),
});

/** The targets that are set, as a fresh object without `undefined` keys (plain JSON). */
function definedTargets(slo: SloTargets): SloTargets {
  const out: SloTargets = {};
  if (slo.ttftP99Seconds !== undefined) out.ttftP99Seconds = slo.ttftP99Seconds;
  if (slo.tpotP99Seconds !== undefined) out.tpotP99Seconds = slo.tpotP99Seconds;
  if (slo.e2eP99Seconds !== undefined) out.e2eP99Seconds = slo.e2eP99Seconds;
  return out;
}

const isCount = (n: number): boolean => Number.isSafeInteger(n) && n >= 0;

/**
 * Does a request with these latencies meet every target? TPOT is checked only when defined
 * (`tpotSeconds` not null, i.e. ≥ 2 output tokens).
 */
export function meetsSlo(
  slo: SloTargets,
  latency: { ttftSeconds: number; tpotSeconds: number | null; e2eSeconds: number },
): boolean {
  if (slo.ttftP99Seconds !== undefined && !(latency.ttftSeconds <= slo.ttftP99Seconds))
    return false;
  if (
    slo.tpotP99Seconds !== undefined &&
    latency.tpotSeconds !== null &&
    !(latency.tpotSeconds <= slo.tpotP99Seconds)
  )
    return false;
  if (slo.e2eP99Seconds !== undefined && !(latency.e2eSeconds <= slo.e2eP99Seconds)) return false;
  return true;
}

function measuredCheck(targetSeconds: number, hist: LatencyHistogram): MeasuredP99Check {
  const p99Seconds = hist.percentileSeconds(99);
  return {
    targetSeconds,
    p99Seconds,
    met: p99Seconds === null ? null : p99Seconds <= targetSeconds,
  };
}

export class MetricsRecorder {
  readonly warmupSeconds: number;
  readonly endSeconds: number;
  private readonly classes: readonly MetricsClassConfig[];
  private readonly states: ClassState[];

  /**
   * @throws AifError E_INVALID_ARGUMENT when there is no class, a window bound is not finite,
   * endSeconds ≤ warmupSeconds, or an SLO target is not a positive finite number.
   */
  constructor(options: MetricsRecorderOptions) {
    const { classes, warmupSeconds, endSeconds } = options;
    requireArg(classes.length > 0, 'MetricsRecorder', 'at least one class is required');
    requireArg(
      Number.isFinite(warmupSeconds) && Number.isFinite(endSeconds) && endSeconds > warmupSeconds,
      'MetricsRecorder',
      `the window needs finite warmupSeconds < endSeconds, got [${warmupSeconds}, ${endSeconds})`,
    );
    for (const c of classes)
      for (const [key, value] of Object.entries(c.slo))
        requireArg(
          value === undefined || (Number.isFinite(value) && value > 0),
          'MetricsRecorder',
          `class ${c.name}: slo.${key} must be a positive number of seconds, got ${value}`,
        );
    this.classes = classes.map((c) => ({ name: c.name, slo: definedTargets(c.slo) }));
    this.warmupSeconds = warmupSeconds;
    this.endSeconds = endSeconds;
    this.states = classes.map(newState);
  }

  /** Does a request arriving at `arrivalSeconds` fall in the window [warmup, end)? */
  inWindow(arrivalSeconds: number): boolean {
    return arrivalSeconds >= this.warmupSeconds && arrivalSeconds < this.endSeconds;
  }

  private counts(fn: string, arrivalSeconds: number | undefined): boolean {
    if (arrivalSeconds === undefined) return true;
    if (!Number.isFinite(arrivalSeconds))
      invalidArgument(fn, `arrivalSeconds must be finite, got ${arrivalSeconds}`);
    return this.inWindow(arrivalSeconds);
  }

  private state(fn: string, classIndex: number): ClassState {
    const s = this.states[classIndex];
    if (s === undefined || !Number.isInteger(classIndex))
      invalidArgument(fn, `classIndex must be in [0, ${this.states.length}), got ${classIndex}`);
    return s;
  }

  /**
   * A request finished. Ignored unless it arrived in the window.
   * @throws AifError E_INVALID_ARGUMENT for an unknown class, times out of order
   * (arrival ≤ first token ≤ finish), negative queueing, counts that are not non-negative
   * integers, or more cached than prompt tokens.
   */
  recordCompletion(r: CompletedRequest): void {
    const fn = 'MetricsRecorder.recordCompletion';
    const s = this.state(fn, r.classIndex);
    // Hot path (every request): messages are built only on failure.
    if (!(
      Number.isFinite(r.arrivalSeconds) &&
      r.arrivalSeconds <= r.firstTokenSeconds &&
      r.firstTokenSeconds <= r.finishSeconds &&
      Number.isFinite(r.finishSeconds)
    ))
      invalidArgument(
        fn,
        `times must satisfy arrival ≤ firstToken ≤ finish, got ${r.arrivalSeconds}, ${r.firstTokenSeconds}, ${r.finishSeconds}`,
      );
    if (!(Number.isFinite(r.queueingSeconds) && r.queueingSeconds >= 0))
      invalidArgument(fn, `queueingSeconds must be ≥ 0, got ${r.queueingSeconds}`);
    if (!(
      isCount(r.promptTokens) &&
      isCount(r.outputTokens) &&
      isCount(r.cachedPromptTokens) &&
      isCount(r.preemptions)
    ))
      invalidArgument(fn, 'token counts and preemptions must be non-negative integers');
    if (!(r.cachedPromptTokens <= r.promptTokens))
      invalidArgument(
        fn,
        `cachedPromptTokens (${r.cachedPromptTokens}) must be ≤ promptTokens (${r.promptTokens})`,
      );
    if (!this.inWindow(r.arrivalSeconds)) return;
    const ttftSeconds = r.firstTokenSeconds - r.arrivalSeconds;
    const e2eSeconds = r.finishSeconds - r.arrivalSeconds;
    const tpotSeconds =
      r.outputTokens >= 2 ? (e2eSeconds - ttftSeconds) / (r.outputTokens - 1) : null;
    s.numCompleted += 1;
    s.numPreemptions += r.preemptions;
    s.numPromptTokens += r.promptTokens;
    s.numCachedPromptTokens += r.cachedPromptTokens;
    s.numOutputTokens += r.outputTokens;
    s.ttft.record(ttftSeconds);
    s.e2e.record(e2eSeconds);
    if (tpotSeconds !== null) s.tpot.record(tpotSeconds);
    s.queueing.record(r.queueingSeconds);
    if (meetsSlo(this.classes[r.classIndex]!.slo, { ttftSeconds, tpotSeconds, e2eSeconds })) {
      s.numMetSlo += 1;
      s.numGoodOutputTokens += r.outputTokens;
    }
  }

  /**
   * `count` inter-token gaps of `gapSeconds` each (count > 1 for a run of equal gaps, as a
   * jumped decode stretch produces). Pass the request's `arrivalSeconds` so gaps of requests
   * outside the window are ignored; without it every gap counts.
   */
  recordItl(classIndex: number, gapSeconds: number, count = 1, arrivalSeconds?: number): void {
    const fn = 'MetricsRecorder.recordItl';
    const s = this.state(fn, classIndex);
    if (!(Number.isFinite(gapSeconds) && gapSeconds >= 0 && isCount(count)))
      invalidArgument(
        fn,
        `gapSeconds must be ≥ 0 and count a non-negative integer, got ${gapSeconds} × ${count}`,
      );
    if (!this.counts(fn, arrivalSeconds)) return;
    s.itl.record(gapSeconds, count);
  }

  /**
   * `repeats` rounds of `recordItl(classIndex, gapsSeconds[p], counts[p])` for p = 0, 1, …
   * (every gap counts: no window test), bit for bit the same result for far less work
   * (`LatencyHistogram.recordRepeated`): all sequences of a decode jump share their gaps.
   */
  recordItlRepeated(
    classIndex: number,
    gapsSeconds: readonly number[],
    counts: readonly number[],
    repeats: number,
  ): void {
    this.state('MetricsRecorder.recordItlRepeated', classIndex).itl.recordRepeated(
      gapsSeconds,
      counts,
      repeats,
    );
  }

  /** A request was dropped; it counts (as missing every SLO) if it arrived in the window. */
  recordDrop(classIndex: number, arrivalSeconds: number, reason: DropReason): void {
    const fn = 'MetricsRecorder.recordDrop';
    const s = this.state(fn, classIndex);
    requireArg(
      DROP_REASONS.includes(reason),
      fn,
      `reason must be one of ${DROP_REASONS.join(', ')}, got ${String(reason)}`,
    );
    if (!this.counts(fn, arrivalSeconds)) return;
    s.numDroppedByReason[reason] += 1;
  }

  /**
   * A request was retried (after a failure took its replica out). Pass its `arrivalSeconds` so
   * retries of requests outside the window are ignored; without it every retry counts.
   */
  recordRetry(classIndex: number, arrivalSeconds?: number): void {
    const fn = 'MetricsRecorder.recordRetry';
    const s = this.state(fn, classIndex);
    if (!this.counts(fn, arrivalSeconds)) return;
    s.numRetries += 1;
  }

  /**
   * Per-class and total results (plain JSON). Reads the state without changing it, so it may
   * be called more than once.
   */
  finish(): MetricsResult {
    const windowSeconds = this.endSeconds - this.warmupSeconds;
    const classes = this.states.map((s, i): ClassMetrics => ({
      name: this.classes[i]!.name,
      ...traffic(s, windowSeconds),
      slo: sloResult(this.classes[i]!.slo, s),
    }));
    const all = newState();
    for (const s of this.states) {
      all.numCompleted += s.numCompleted;
      for (const reason of DROP_REASONS)
        all.numDroppedByReason[reason] += s.numDroppedByReason[reason];
      all.numRetries += s.numRetries;
      all.numPreemptions += s.numPreemptions;
      all.numMetSlo += s.numMetSlo;
      all.numPromptTokens += s.numPromptTokens;
      all.numCachedPromptTokens += s.numCachedPromptTokens;
      all.numOutputTokens += s.numOutputTokens;
      all.numGoodOutputTokens += s.numGoodOutputTokens;
      all.ttft.add(s.ttft);
      all.tpot.add(s.tpot);
      all.itl.add(s.itl);
      all.e2e.add(s.e2e);
      all.queueing.add(s.queueing);
    }
    return {
      warmupSeconds: this.warmupSeconds,
      endSeconds: this.endSeconds,
      windowSeconds,
      classes,
      total: traffic(all, windowSeconds),
    };
  }
}

const numDropped = (s: ClassState): number =>
  DROP_REASONS.reduce((n, reason) => n + s.numDroppedByReason[reason], 0);

function traffic(s: ClassState, windowSeconds: number): TrafficMetrics {
  const dropped = numDropped(s);
  const numRequests = s.numCompleted + dropped;
  return {
    numCompleted: s.numCompleted,
    numDropped: dropped,
    numDroppedByReason: { ...s.numDroppedByReason },
    numRetries: s.numRetries,
    numPreemptions: s.numPreemptions,
    numMetSlo: s.numMetSlo,
    numPromptTokens: s.numPromptTokens,
    numCachedPromptTokens: s.numCachedPromptTokens,
    numOutputTokens: s.numOutputTokens,
    numGoodOutputTokens: s.numGoodOutputTokens,
    sloAttainment: numRequests === 0 ? null : s.numMetSlo / numRequests,
    ttft: s.ttft.summary(),
    tpot: s.tpot.summary(),
    itl: s.itl.summary(),
    e2e: s.e2e.summary(),
    queueing: s.queueing.summary(),
    completedRequestsPerSecond: s.numCompleted / windowSeconds,
    goodputRequestsPerSecond: s.numMetSlo / windowSeconds,
    tokenGoodputTokensPerSecond: s.numGoodOutputTokens / windowSeconds,
    inputTokensPerSecond: s.numPromptTokens / windowSeconds,
    cachedInputTokensPerSecond: s.numCachedPromptTokens / windowSeconds,
    uncachedInputTokensPerSecond: (s.numPromptTokens - s.numCachedPromptTokens) / windowSeconds,
    outputTokensPerSecond: s.numOutputTokens / windowSeconds,
  };
}

function sloResult(targets: SloTargets, s: ClassState): SloResult {
  const measuredP99: SloResult['measuredP99'] = {};
  if (targets.ttftP99Seconds !== undefined)
    measuredP99.ttft = measuredCheck(targets.ttftP99Seconds, s.ttft);
  if (targets.tpotP99Seconds !== undefined)
    measuredP99.tpot = measuredCheck(targets.tpotP99Seconds, s.tpot);
  if (targets.e2eP99Seconds !== undefined)
    measuredP99.e2e = measuredCheck(targets.e2eP99Seconds, s.e2e);
  const checks = [measuredP99.ttft, measuredP99.tpot, measuredP99.e2e].filter(
    (c): c is MeasuredP99Check => c !== undefined,
  );
  return {
    targets: { ...targets },
    measuredP99,
    measuredP99Met: checks.some((c) => c.met === null) ? null : checks.every((c) => c.met === true),
  };
}
