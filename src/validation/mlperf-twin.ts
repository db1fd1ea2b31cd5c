/**
 * MLPerf Server/Interactive through the serving twin: the largest Poisson arrival rate (whole
 * system) at which the simulated p99 TTFT and p99 TPOT meet the task's limits, and the output
 * tokens/s the system then delivers. The analytical plan search (mlperf.ts) picks the parallel
 * plan and gives the starting rate; the twin replaces its Poisson-quantile approximation of the
 * tails (perf/scenarios.ts `serverThroughput`) with simulated per-request latencies.
 *
 * Definitions, as loadgen applies them to every query of a run: TTFT = arrival → first token;
 * TPOT = (E2E − TTFT) / (output tokens − 1) per request (DESIGN §3; one-token outputs have no
 * TPOT); the limits bound the 99th percentile of each over the run's queries.
 *
 * Method (`searchTwinRate`):
 * - **Workload.** Poisson arrivals; input and output lengths drawn independently from the
 *   task's distributions (`fitTokenLengths`). One seeded sequence of unit-rate inter-arrival
 *   gaps and lengths serves every probe, its times scaled by 1/rate (common random numbers),
 *   so two probes differ only by the rate and the search is deterministic.
 * - **Fleet.** `simulatedReplicas` identical replicas of the plan (default all) behind the
 *   least-outstanding-tokens router at that share of the rate; requests enter after the
 *   calibration's per-request overhead (HTTP, tokenization), as `aifactory run` does; KV pool and
 *   scheduler from the engine settings and memory model.
 * - **Probe.** A run from an empty fleet: warm-up of `warmupSeconds`, then windows in which
 *   `measuredRequests` requests complete (2,000: the p99 is then the 20th largest, ±~0.2
 *   percentile points; MLPerf's 270,336-query minimum is out of reach for ~10 probes × 50
 *   items). In a stationary system the requests completing in a window are a sample of all
 *   requests, so no drain is simulated. A window decides when its p99s miss a limit (fail) or
 *   when its completions keep up with its arrivals (≥ 95%) and the p99s meet the limits (pass);
 *   otherwise the batch is still growing — near the capacity edge that takes many E2E times —
 *   and the next window is measured, up to `MAX_WINDOWS`. If the run's horizon comes first,
 *   requests still in the system whose age exceeds TTFT limit + TPOT limit × (output − 1) count
 *   as violating both. Output tokens/s = output tokens completed in the deciding window / its
 *   length.
 * - **Search.** Probe the starting rate; step ×1.25 up (or ×0.8 down) until the limits flip;
 *   then bisect geometrically until the bracket is within `relativeTolerance`. The answer is the
 *   largest rate that passed.
 *
 * Pure: no I/O; the same inputs give the same result.
 */
import type { TokenLengthDistribution } from '../catalog/benchmarks.js';
import { createRng } from '../core/rng.js';
import { bisectIncreasing } from '../core/roots.js';
import { quantile } from '../core/stats.js';
import type { CalibrationParams } from '../perf/calibration.js';
import type { PreparedDeployment } from '../perf/costs.js';
import type { MemoryFit } from '../perf/memory.js';
import { createKvCacheManager } from '../sim/kv/index.js';
import { createRouter } from '../sim/router/index.js';
import { schedulerConfigFor } from '../sim/scheduler/config.js';
import type { SchedulerConfig } from '../sim/scheduler/scheduler.js';
import { createStepModel, type StepModel } from '../sim/step-model.js';
import { runTwin } from '../sim/twin.js';
import type { FollowUp, SimRequest, WorkloadSource } from '../sim/types.js';

// ---------------------------------------------------------------------------------------------
// Token lengths

/** A sampler of token lengths with what it rests on. */
export interface TokenLengths {
  /** Mean of the sampled lengths (after rounding and truncation), tokens. */
  meanTokens: number;
  /** One length from a standard normal draw `z`. */
  sample(z: number): number;
  /** How the distribution was built, for the case's basis. */
  basis: string;
}

/** Standard normal CDF Φ (erfc by Numerical Recipes' Chebyshev fit, |relative error| < 1.2e-7). */
export function normalCdf(x: number): number {
  const z = Math.abs(x) / Math.SQRT2;
  const t = 1 / (1 + 0.5 * z);
  const erfc =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t *
                  (0.09678418 +
                    t *
                      (-0.18628806 +
                        t *
                          (0.27886807 +
                            t *
                              (-1.13520398 +
                                t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? 1 - erfc / 2 : erfc / 2;
}

/** z of the 99th percentile of the standard normal. */
const Z99 = 2.3263478740408408;

/**
 * Mean of a lognormal(μ, σ) clamped to [lo, hi]:
 * lo·Φ(α) + e^{μ+σ²/2}·(Φ(β−σ) − Φ(α−σ)) + hi·(1 − Φ(β)), α = (ln lo − μ)/σ, β = (ln hi − μ)/σ.
 */
function clampedLognormalMean(mu: number, sigma: number, lo: number, hi: number): number {
  const a = (Math.log(lo) - mu) / sigma;
  const b = (Math.log(hi) - mu) / sigma;
  return (
    lo * normalCdf(a) +
    Math.exp(mu + (sigma * sigma) / 2) * (normalCdf(b - sigma) - normalCdf(a - sigma)) +
    hi * (1 - normalCdf(b))
  );
}

/** z with Φ(z) = p (bisection on `normalCdf`, |error| < 1e-9). */
export const normalQuantile = (p: number): number =>
  bisectIncreasing((z) => normalCdf(z) - p, -10, 10, { steps: 100, tolerance: 1e-9 });

/**
 * σ of the truncated lognormal that best fits a sample's quantiles: minimises
 * Σ (ln clamp(e^{μ(σ) + σ·z_p}, lo, hi) − ln x_p)² over the sample's `[p, x_p]` pairs, μ(σ) keeping
 * the published mean. A grid over σ ∈ [0.05, 3] in steps of 0.05, then golden-section search in
 * the best cell's neighbourhood (the error is smooth and, on these data, single-troughed).
 */
function fitSigmaToSample(
  quantiles: [number, number][],
  muFor: (sigma: number) => number,
  lo: number,
  hi: number,
): number {
  const zs = quantiles.map(([p]) => normalQuantile(p));
  const error = (sigma: number): number => {
    const mu = muFor(sigma);
    let sum = 0;
    quantiles.forEach(([, x], i) => {
      const fitted = Math.min(hi, Math.max(lo, Math.exp(mu + sigma * zs[i]!)));
      sum += (Math.log(fitted) - Math.log(x)) ** 2;
    });
    return sum;
  };
  const step = 0.05;
  let best = step;
  let bestError = Infinity;
  for (let sigma = step; sigma <= 3 + 1e-9; sigma += step) {
    const e = error(sigma);
    if (e < bestError) [best, bestError] = [sigma, e];
  }
  // Golden-section search on [best − step, best + step].
  const g = (Math.sqrt(5) - 1) / 2;
  let a = Math.max(1e-3, best - step);
  let b = best + step;
  for (let k = 0; k < 40; k++) {
    const left = b - g * (b - a);
    const right = a + g * (b - a);
    if (error(left) <= error(right)) b = right;
    else a = left;
  }
  return (a + b) / 2;
}

/**
 * Token lengths for the twin from what the task table publishes. Only a mean and an upper
 * bound exist for most tasks, so the shape is an assumption: a lognormal whose mean is the
 * published (or assumed) mean and whose 99th percentile is the published p99 — else the observed
 * maximum, else the dataset/generation limit read as the p99 — truncated to [min, max] with μ
 * re-solved so the truncated mean stays the published one. σ = z − √(z² − 2·ln(q/m)) solves
 * q/m = exp(zσ − σ²/2) (z = 2.326); when q/m exceeds e^{z²/2} ≈ 15 no lognormal fits and σ = z.
 * Where the table gives quantiles of a published sample of the task's own lengths, σ is instead
 * the least-squares fit of the log quantiles (`fitSigmaToSample`), the mean still the published
 * one: the sample fixes the shape, the full-dataset mean the level.
 * A mean equal to the maximum (every Llama 3.1 8B output hits its 128-token cap) is a constant;
 * a context-window bound is no tail of the data, so lengths are then the constant mean.
 */
export function fitTokenLengths(d: TokenLengthDistribution): TokenLengths | undefined {
  const mean = d.meanTokens ?? d.assumedMean?.tokens;
  if (mean === undefined) return undefined;
  const meanWord = d.meanTokens !== undefined ? 'published mean' : 'assumed mean';
  const lo = Math.max(1, d.minTokens ?? 1);
  const hi = d.maxKind === 'context-limit' ? Infinity : d.maxTokens;
  const [tail, tailWord] =
    d.p99Tokens !== undefined
      ? [d.p99Tokens, 'published p99']
      : d.observedMaxTokens !== undefined
        ? [d.observedMaxTokens, 'observed max read as p99']
        : d.maxKind !== 'context-limit'
          ? [d.maxTokens, `${d.maxKind} max read as p99`]
          : [undefined, ''];
  const constant = (why: string): TokenLengths => ({
    meanTokens: Math.round(mean),
    sample: () => Math.round(mean),
    basis: `constant ${Math.round(mean)} (${meanWord}; ${why})`,
  });
  if (tail === undefined) return constant('no tail published');
  if (tail <= mean * 1.0001) return constant(`mean = ${tailWord} ${tail}`);
  // μ with the truncated mean equal to `mean`: the clamped mean rises with μ (bisection).
  const muFor = (sigma: number): number =>
    bisectIncreasing(
      (m) => clampedLognormalMean(m, sigma, lo, hi) - mean,
      Math.log(Math.max(lo, 1e-3)) - 10 * sigma,
      Math.log(Number.isFinite(hi) ? hi : mean * 1e3) + 10 * sigma,
      { steps: 200, tolerance: 1e-10 },
    );
  const ratio = Math.log(tail / mean);
  const sigma = d.publishedSample
    ? fitSigmaToSample(d.publishedSample.quantiles, muFor, lo, hi)
    : ratio <= (Z99 * Z99) / 2
      ? Z99 - Math.sqrt(Z99 * Z99 - 2 * ratio)
      : Z99;
  const mu = muFor(sigma);
  const round = (z: number): number =>
    Math.min(hi, Math.max(lo, Math.round(Math.exp(mu + sigma * z))));
  return {
    meanTokens: mean,
    sample: round,
    basis: d.publishedSample
      ? `lognormal σ ${sigma.toFixed(3)} (${meanWord} ${mean}; σ fitted to ${d.publishedSample.quantiles.length} quantiles of a published sample of ${d.publishedSample.size}), truncated to [${lo}, ${hi}]`
      : `lognormal σ ${sigma.toFixed(3)} (${meanWord} ${mean}, ${tailWord} ${tail}), truncated to [${lo}, ${hi}]`,
  };
}

// ---------------------------------------------------------------------------------------------
// Probe and search

export interface ServerLimitsSeconds {
  ttftP99Seconds?: number;
  tpotP99Seconds?: number;
}

export interface TwinServerOptions {
  prepared: PreparedDeployment;
  memory: MemoryFit;
  calibration: CalibrationParams;
  /** Identical replicas of the plan. */
  replicas: number;
  /**
   * Replicas simulated (default: all): a sub-fleet of k identical replicas serves k/replicas of
   * the rate, and its rates and tokens/s are scaled back by replicas/k.
   */
  simulatedReplicas?: number;
  input: TokenLengths;
  output: TokenLengths;
  limits: ServerLimitsSeconds;
  /** Starting arrival rate for the whole system, requests/s (the analytical estimate). */
  startRequestsPerSecond: number;
  /** Warm-up before the measurement window, seconds (a few mean E2E latencies). */
  warmupSeconds: number;
  /** Requests completing in the measurement window of each probe; default 2,000. */
  measuredRequests?: number;
  /** Bisection stops when hi/lo − 1 ≤ this; default 0.02. */
  relativeTolerance?: number;
  seed?: number;
}

export interface TwinProbe {
  requestsPerSecond: number;
  ok: boolean;
  p99TtftSeconds: number;
  p99TpotSeconds: number;
  outputTokensPerSecond: number;
  /** Requests that completed in the window (+ unfinished ones that already miss a limit). */
  measuredRequests: number;
  /** Requests in the system at the end that already miss a limit (overload). */
  numUnfinishedViolating: number;
  windowSeconds: number;
  /** Windows run: the earlier ones, where the fleet had not yet kept up, extend the warm-up. */
  windows: number;
  /** Requests completed in the last window ≥ (1 − KEEP_UP_SLACK) × those that arrived in it. */
  keptUp: boolean;
  numIterations: number;
  numPreemptions: number;
}

export interface TwinServerResult {
  /** The largest rate found meeting both limits, whole system. */
  requestsPerSecond: number;
  outputTokensPerSecond: number;
  p99TtftSeconds: number;
  p99TpotSeconds: number;
  /** The limit violated just above the rate found ('none' when no probe above failed). */
  boundBy: 'ttft' | 'tpot' | 'both' | 'none';
  /** The passing probe the result is read from, and every probe in search order. */
  at: TwinProbe;
  probes: TwinProbe[];
  relativeTolerance: number;
}

export const TWIN_DEFAULT_MEASURED_REQUESTS = 2000;
export const TWIN_DEFAULT_RELATIVE_TOLERANCE = 0.02;
/** Bracketing steps: up ×1.25 while passing, down ×0.8 while failing. */
const STEP_UP = 1.25;
const MAX_BRACKET_STEPS = 24;
/**
 * A window is steady when its completions are at least this share short of its arrivals: the
 * count of 2,000 completions has a Poisson-like noise of ≈ 2.2%, so 5% is ≈ 2.3 σ.
 */
const KEEP_UP_SLACK = 0.05;
/** Windows a probe may run before a fleet that never keeps up fails. */
const MAX_WINDOWS = 6;

/** Unit-rate arrivals and lengths, drawn once and extended on demand (shared by every probe). */
interface RequestStream {
  /** Cumulative unit-rate arrival times. */
  unitTimes: number[];
  inputs: number[];
  outputs: number[];
  ensure(n: number): void;
}

function requestStream(seed: number, input: TokenLengths, output: TokenLengths): RequestStream {
  const arrivals = createRng(seed, 'mlperf-twin/arrivals');
  const lengths = createRng(seed, 'mlperf-twin/lengths');
  const s: RequestStream = {
    unitTimes: [],
    inputs: [],
    outputs: [],
    ensure(n) {
      while (s.unitTimes.length < n) {
        const last = s.unitTimes.length ? s.unitTimes[s.unitTimes.length - 1]! : 0;
        s.unitTimes.push(last + arrivals.nextExponential(1));
        s.inputs.push(input.sample(lengths.nextNormal()));
        s.outputs.push(output.sample(lengths.nextNormal()));
      }
    },
  };
  return s;
}

interface ProbeContext {
  o: TwinServerOptions;
  stepModel: StepModel;
  stream: RequestStream;
  kvBlocks: number;
  scheduler: SchedulerConfig;
  measured: number;
  /** Replicas simulated, and the system's rate per simulated rate (replicas / simulated). */
  numSimulated: number;
  systemPerSimulated: number;
}

/** One twin run at `requestsPerSecond` (whole system). */
function probe(ctx: ProbeContext, requestsPerSecond: number): TwinProbe {
  const { o, stream } = ctx;
  const overhead = o.calibration.requestOverheadSeconds;
  const ttftLimit = o.limits.ttftP99Seconds ?? Infinity;
  const tpotLimit = o.limits.tpotP99Seconds ?? Infinity;
  const warmup = o.warmupSeconds;
  const simulatedRate = requestsPerSecond / ctx.systemPerSimulated;
  const scale = 1 / simulatedRate;
  let next = 0;
  const requestAt = (i: number): SimRequest => {
    stream.ensure(i + 1);
    return {
      id: i,
      classIndex: 0,
      arrivalSeconds: stream.unitTimes[i]! * scale,
      promptTokens: stream.inputs[i]!,
      outputTokens: stream.outputs[i]!,
      segments: [{ contentId: i, tokens: stream.inputs[i]! }],
      priority: 0,
    };
  };
  const workload: WorkloadSource = {
    peekSeconds: () => {
      stream.ensure(next + 1);
      return stream.unitTimes[next]! * scale + overhead;
    },
    next: () => requestAt(next++),
    onComplete: (): FollowUp[] => [],
  };
  /** Arrivals (entry times exclude the overhead) before `t`: a binary search of the stream. */
  const arrivalsBefore = (t: number): number => {
    let lo = 0;
    let hi = next;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (stream.unitTimes[mid]! * scale < t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  let ttfts: number[] = [];
  let tpots: number[] = [];
  let windowOutputTokens = 0;
  let windowStart = warmup;
  let windowEnd = warmup;
  let windows = 0;
  let keptUp = false;
  let verdict: 'pass' | 'fail' | undefined;
  const done = new Set<number>();
  const p99 = (xs: number[]): number => (xs.length ? quantile(xs, 0.99) : Infinity);
  /** A window of `measured` completions closed at `now`: decide, or start the next window. */
  const closeWindow = (now: number): void => {
    windows++;
    windowEnd = now;
    const arrived = arrivalsBefore(now) - arrivalsBefore(windowStart);
    keptUp = ttfts.length >= (1 - KEEP_UP_SLACK) * arrived;
    const meets = p99(ttfts) <= ttftLimit && p99(tpots) <= tpotLimit;
    if (!meets) verdict = 'fail';
    else if (keptUp) verdict = 'pass';
    else if (windows >= MAX_WINDOWS) verdict = 'fail';
    else {
      ttfts = [];
      tpots = [];
      windowOutputTokens = 0;
      windowStart = now;
    }
  };
  // Upper bound on the run: warm-up plus twice the offered time of every window (an overloaded
  // fleet completes fewer than it is offered; its unfinished requests then decide).
  const horizon = warmup + (2 * MAX_WINDOWS * ctx.measured) / simulatedRate + ttftLimit;
  const counters = runTwin({
    numReplicas: ctx.numSimulated,
    scheduler: ctx.scheduler,
    createKvCache: () =>
      createKvCacheManager({
        numTotalBlocks: ctx.kvBlocks,
        blockSizeTokens: o.prepared.deployment.engine.blockSizeTokens,
        prefixCaching: false,
      }),
    stepModel: ctx.stepModel,
    router: createRouter('least-outstanding-tokens'),
    workload,
    durationSeconds: horizon,
    seed: o.seed ?? 1,
    stopWhen: () => verdict !== undefined,
    observer: {
      onCompletion(seq, finish) {
        const r = seq.request;
        done.add(r.id);
        if (finish < warmup || verdict !== undefined) return;
        const first = seq.firstTokenSeconds!;
        ttfts.push(first - r.arrivalSeconds);
        if (r.outputTokens > 1) tpots.push((finish - first) / (r.outputTokens - 1));
        windowOutputTokens += r.outputTokens;
        if (ttfts.length >= ctx.measured) closeWindow(finish);
      },
    },
  });
  let unfinished = 0;
  if (verdict === undefined) {
    // The horizon came first: requests still in the system that can no longer meet both limits
    // count against both.
    windows++;
    windowEnd = counters.endSeconds;
    for (let i = 0; i < next; i++) {
      if (done.has(i)) continue;
      const age = windowEnd - stream.unitTimes[i]! * scale;
      if (age > ttftLimit + tpotLimit * Math.max(0, stream.outputs[i]! - 1)) unfinished++;
    }
    for (let k = 0; k < unfinished; k++) {
      ttfts.push(Infinity);
      tpots.push(Infinity);
    }
    keptUp = false;
    verdict = 'fail';
  }
  const windowSeconds = Math.max(windowEnd - windowStart, 1e-9);
  return {
    requestsPerSecond,
    ok: verdict === 'pass',
    p99TtftSeconds: p99(ttfts),
    p99TpotSeconds: p99(tpots),
    outputTokensPerSecond: (windowOutputTokens / windowSeconds) * ctx.systemPerSimulated,
    measuredRequests: ttfts.length,
    numUnfinishedViolating: unfinished,
    windowSeconds,
    windows,
    keptUp,
    numIterations: counters.numIterations,
    numPreemptions: counters.numPreemptions,
  };
}

function probeContext(o: TwinServerOptions): ProbeContext {
  const numSimulated = Math.min(o.replicas, o.simulatedReplicas ?? o.replicas);
  return {
    o,
    stepModel: createStepModel(o.prepared, o.calibration),
    stream: requestStream(o.seed ?? 1, o.input, o.output),
    kvBlocks: o.memory.kvBlocksPerRank * o.prepared.deployment.parallel.attnDp,
    scheduler: schedulerConfigFor(o.prepared.deployment),
    measured: o.measuredRequests ?? TWIN_DEFAULT_MEASURED_REQUESTS,
    numSimulated,
    systemPerSimulated: o.replicas / numSimulated,
  };
}

/**
 * One probe of the search at `requestsPerSecond` (whole system): the same run, with the same
 * arrivals and lengths, that `searchTwinRate` makes at that rate.
 */
export function probeTwinRate(o: TwinServerOptions, requestsPerSecond: number): TwinProbe {
  return probe(probeContext(o), requestsPerSecond);
}

/**
 * The largest Poisson rate (whole system) at which the twin's p99 TTFT and p99 TPOT meet the
 * limits, by bracketing and geometric bisection (see the file comment). Undefined when no rate
 * down to 1/1000 of the start passes.
 */
export function searchTwinRate(o: TwinServerOptions): TwinServerResult | undefined {
  const tol = o.relativeTolerance ?? TWIN_DEFAULT_RELATIVE_TOLERANCE;
  const ctx = probeContext(o);
  const probes: TwinProbe[] = [];
  const run = (rate: number): TwinProbe => {
    const p = probe(ctx, rate);
    probes.push(p);
    return p;
  };
  let pass: TwinProbe | undefined;
  let fail: TwinProbe | undefined;
  const first = run(o.startRequestsPerSecond);
  if (first.ok) {
    pass = first;
    for (let i = 0; i < MAX_BRACKET_STEPS && !fail; i++) {
      const p = run(pass.requestsPerSecond * STEP_UP);
      if (p.ok) pass = p;
      else fail = p;
    }
  } else {
    fail = first;
    for (let i = 0; i < MAX_BRACKET_STEPS * 2 && !pass; i++) {
      if (fail.requestsPerSecond < o.startRequestsPerSecond / 1000) break;
      const p = run(fail.requestsPerSecond / STEP_UP);
      if (p.ok) pass = p;
      else fail = p;
    }
  }
  if (!pass) return undefined;
  while (fail && fail.requestsPerSecond / pass.requestsPerSecond - 1 > tol) {
    const p = run(Math.sqrt(pass.requestsPerSecond * fail.requestsPerSecond));
    if (p.ok) pass = p;
    else fail = p;
  }
  const boundBy = !fail
    ? 'none'
    : fail.p99TtftSeconds > (o.limits.ttftP99Seconds ?? Infinity)
      ? fail.p99TpotSeconds > (o.limits.tpotP99Seconds ?? Infinity)
        ? 'both'
        : 'ttft'
      : 'tpot';
  return {
    requestsPerSecond: pass.requestsPerSecond,
    outputTokensPerSecond: pass.outputTokensPerSecond,
    p99TtftSeconds: pass.p99TtftSeconds,
    p99TpotSeconds: pass.p99TpotSeconds,
    boundBy,
    at: pass,
    probes,
    relativeTolerance: tol,
  };
}
