/**
 * Benchmark scenarios on top of the steady-state model (analytical; the serving twin will
 * replace these once it exists):
 *  - `offlineThroughput`: all requests available at once; best output tok/s over batch sizes,
 *    including the drain of long outputs at the end of a finite run;
 *  - `serverThroughput`: Poisson arrivals; the highest rate whose p99 TTFT and p99 TPOT meet
 *    the limits. The number of requests in service under Poisson load is ~Poisson(λ·E2E)
 *    (M/G/∞), so the p99 TPOT is evaluated at the p99 of that count; the p99 wait behind other
 *    prefills uses the M/M/1-like tail t₉₉ = W̄·ln(100ρ)/ρ.
 */
import type { CalibrationParams } from './calibration.js';
import type { PreparedDeployment } from './costs.js';
import { maxConcurrentSequences, type MemoryFit } from './memory.js';
import { exponentialTailWaitQuantile, poissonQuantile } from './queueing.js';
import { steadyState, type SteadyState } from './steady-state.js';

export interface LengthStats {
  meanTokens: number;
  /** A high quantile (p99 if known, else the max) used for tails. */
  tailTokens: number;
}

export interface WorkloadStats {
  input: LengthStats;
  output: LengthStats;
}

export interface ScenarioContext {
  prepared: PreparedDeployment;
  calibration: CalibrationParams;
  memory: MemoryFit;
  workload: WorkloadStats;
}

/** The steady state of `ctx`'s mean request at `concurrency` (one operating point of a sweep). */
function operatingPoint(
  ctx: ScenarioContext,
  concurrency: number,
  arrivals: 'closed-loop' | 'poisson',
  request = meanRequest(ctx),
): SteadyState {
  return steadyState({
    prepared: ctx.prepared,
    calibration: ctx.calibration,
    memory: ctx.memory,
    request,
    concurrency,
    arrivals,
  });
}

const meanRequest = (ctx: ScenarioContext) => ({
  inputTokens: ctx.workload.input.meanTokens,
  outputTokens: ctx.workload.output.meanTokens,
});

/**
 * Concurrencies to sweep: the geometric candidates below the batch cap, plus the largest batch
 * the KV cache holds at the mean context — the operating point a throughput run aims for.
 */
function sweep(ctx: ScenarioContext): number[] {
  const cap = ctx.prepared.deployment.engine.maxNumSeqs * ctx.prepared.deployment.parallel.attnDp;
  const meanContext = ctx.workload.input.meanTokens + ctx.workload.output.meanTokens / 2;
  const kvCap = maxConcurrentSequences(ctx.prepared, ctx.memory, meanContext);
  const candidates = concurrencyCandidates(cap);
  if (kvCap >= 1 && kvCap < cap && !candidates.includes(kvCap)) candidates.push(kvCap);
  return candidates.sort((a, b) => a - b);
}

/** Concurrency candidates: powers of two and their 1.5× midpoints up to `max`, plus `max`. */
export function concurrencyCandidates(max: number): number[] {
  const out = new Set<number>();
  for (let b = 1; b <= max; b *= 2) {
    out.add(b);
    if (Math.floor(b * 1.5) <= max) out.add(Math.floor(b * 1.5));
  }
  out.add(Math.max(1, Math.floor(max)));
  return [...out].sort((a, b) => a - b);
}

export interface OfflineResult {
  outputTokensPerSecond: number;
  concurrency: number;
  state: SteadyState;
  /** Throughput loss from the end-of-run drain, as a fraction. */
  drainLossFraction: number;
}

/**
 * Offline: best throughput over batch sizes up to the KV/seq capacity. A finite run of N
 * samples ends with a drain: when the queue empties, the B in-flight requests finish at
 * shrinking batch; the last one needs about (tail − mean/2) more output tokens at a step time
 * between the loaded and the unbatched one. N = max(dataset samples, rate · minimum duration).
 */
export function offlineThroughput(
  ctx: ScenarioContext,
  run: { numSamples: number; minDurationSeconds: number },
): OfflineResult {
  const { workload } = ctx;
  const single = operatingPoint(ctx, 1, 'poisson');
  let best: OfflineResult | undefined;
  for (const b of sweep(ctx)) {
    const s = operatingPoint(ctx, b, 'poisson');
    if (s.runningSeqs < b) break; // beyond KV capacity: more concurrency only queues
    const steadyRate = s.outputTokensPerSecond;
    const samples = Math.max(
      run.numSamples,
      (steadyRate / workload.output.meanTokens) * run.minDurationSeconds,
    );
    const steadySeconds = (samples * workload.output.meanTokens) / steadyRate;
    // When the queue empties, the longest in-flight request still needs ~(tail − mean/2) tokens
    // at a batch shrinking from B to 1; meanwhile the B in-flight requests finish ~B·mean/2
    // tokens that the steady state would have produced in B·(mean/2)/rate.
    const drainTokens = Math.max(0, workload.output.tailTokens - workload.output.meanTokens / 2);
    const drainDuration = (drainTokens * (s.tpotSeconds + single.tpotSeconds)) / 2;
    const drainSeconds = Math.max(
      0,
      drainDuration - (b * workload.output.meanTokens) / 2 / steadyRate,
    );
    const rate = (samples * workload.output.meanTokens) / (steadySeconds + drainSeconds);
    if (!best || rate > best.outputTokensPerSecond) {
      best = {
        outputTokensPerSecond: rate,
        concurrency: b,
        state: s,
        drainLossFraction: 1 - rate / steadyRate,
      };
    }
  }
  return (
    best ?? {
      outputTokensPerSecond: single.outputTokensPerSecond,
      concurrency: 1,
      state: single,
      drainLossFraction: 0,
    }
  );
}

export interface ServerLimits {
  ttftP99Seconds?: number;
  tpotP99Seconds?: number;
}

export interface ServerResult {
  outputTokensPerSecond: number;
  requestsPerSecond: number;
  meanConcurrency: number;
  p99TtftSeconds: number;
  p99TpotSeconds: number;
  state: SteadyState;
  /** Which limit bound the rate: 'ttft', 'tpot', or 'capacity' (KV / batch limit). */
  boundBy: 'ttft' | 'tpot' | 'capacity';
}

export function serverThroughput(
  ctx: ScenarioContext,
  limits: ServerLimits,
): ServerResult | undefined {
  const { workload } = ctx;
  const tailRequest = {
    inputTokens: workload.input.tailTokens,
    outputTokens: workload.output.meanTokens,
  };
  const candidates = sweep(ctx);
  const seqCap = candidates[candidates.length - 1]!;
  let best: ServerResult | undefined;
  for (const b of candidates) {
    const mean = operatingPoint(ctx, b, 'poisson');
    if (mean.runningSeqs < b) {
      if (best) best.boundBy = 'capacity';
      break;
    }
    const bHigh = Math.min(poissonQuantile(b, 0.99), seqCap);
    const high = operatingPoint(ctx, bHigh, 'poisson');
    // Long prompts set the TTFT tail: their own prefill span at the mean load.
    const longPrompt = operatingPoint(ctx, b, 'poisson', tailRequest);
    const meanWait = longPrompt.prefillQueueSeconds;
    const waitP99 = exponentialTailWaitQuantile(meanWait, longPrompt.prefillIterationShare, 0.99);
    const p99Ttft = longPrompt.ttftSeconds - meanWait + waitP99;
    const p99Tpot = high.tpotSeconds;
    const okTtft = limits.ttftP99Seconds === undefined || p99Ttft <= limits.ttftP99Seconds;
    const okTpot = limits.tpotP99Seconds === undefined || p99Tpot <= limits.tpotP99Seconds;
    if (!okTtft || !okTpot) {
      if (best) best.boundBy = okTpot ? 'ttft' : 'tpot';
      break;
    }
    if (!best || mean.outputTokensPerSecond > best.outputTokensPerSecond) {
      best = {
        outputTokensPerSecond: mean.outputTokensPerSecond,
        requestsPerSecond: mean.requestsPerSecond,
        meanConcurrency: b,
        p99TtftSeconds: p99Ttft,
        p99TpotSeconds: p99Tpot,
        state: mean,
        boundBy: 'capacity',
      };
    }
  }
  return best;
}

export interface InteractivityResult {
  /** Output tok/s of one replica at the best concurrency meeting the TPOT target. */
  outputTokensPerSecond: number;
  /** Input + output tok/s of one replica (InferenceX's default throughput). */
  totalTokensPerSecond: number;
  concurrency: number;
  tpotSeconds: number;
}

/**
 * Throughput at an interactivity target (tok/s per user = 1/TPOT), as InferenceX plots it:
 * the best closed-loop concurrency whose steady-state TPOT stays within `tpotSeconds`.
 */
export function throughputAtInteractivity(
  ctx: ScenarioContext,
  tpotSeconds: number,
): InteractivityResult | undefined {
  let best: InteractivityResult | undefined;
  for (const b of sweep(ctx)) {
    const s = operatingPoint(ctx, b, 'closed-loop');
    if (s.tpotSeconds > tpotSeconds || s.runningSeqs < b) break;
    if (!best || s.outputTokensPerSecond > best.outputTokensPerSecond) {
      best = {
        outputTokensPerSecond: s.outputTokensPerSecond,
        totalTokensPerSecond: s.outputTokensPerSecond + s.inputTokensPerSecond,
        concurrency: b,
        tpotSeconds: s.tpotSeconds,
      };
    }
  }
  return best;
}
