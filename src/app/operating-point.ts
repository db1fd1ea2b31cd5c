/**
 * The operating point of one replica for one workload class: the concurrency the class puts on
 * a replica, and the steady state there (perf/steady-state.ts). Pure.
 *
 *  - closed loop, request class: concurrency = clients / replicas (each client always has one
 *    request in flight);
 *  - closed loop, agent sessions: a client is in a call for E2E seconds, then thinks T seconds,
 *    so calls in flight c = n·E2E(c)/(E2E(c) + T), n = clients per replica — solved by bisection
 *    (the right side falls as c rises, so the root is unique);
 *  - open arrivals (Poisson, gamma): the replica receives λ = rate / replicas (the router splits
 *    evenly); the running set B solves throughput(B) = λ by bisection, and the mean number in
 *    the system is λ·E2E (Little's law). A rate at or above the replica's capacity (throughput
 *    at the KV/sequence limit) is reported as exceeded, with figures at that capacity.
 * Gamma burstiness (cv) changes tails, not these means: it is stated, not modelled, here.
 */
import { bisectIncreasing as bisect } from '../core/roots.js';
import type { CalibrationParams } from '../perf/calibration.js';
import type { PreparedDeployment } from '../perf/costs.js';
import type { MemoryFit } from '../perf/memory.js';
import { steadyState, type SteadyState } from '../perf/steady-state.js';
import type { ClassShape } from './workload-shape.js';

export interface PerfContext {
  prepared: PreparedDeployment;
  memory: MemoryFit;
  calibration: CalibrationParams;
}

export interface OperatingPoint {
  state: SteadyState;
  /** Mean requests in the system per replica (running + waiting). */
  concurrencyPerReplica: number;
  /** Share of the steady state's rate the class actually carries (< 1 when the replica idles part of the time). */
  carriedFraction: number;
  /** Share of time the replica has work. */
  busyFraction: number;
  /** Requests per second one replica can carry at its KV/sequence limit. */
  capacityRequestsPerSecond: number;
  /** Requests per second offered to one replica (open arrivals). */
  offeredRequestsPerSecond?: number;
  capacityExceeded: boolean;
  /** Largest running set the replica admits at the mean context (KV cache, maxNumSeqs). */
  maxRunningSeqs: number;
  /** How the concurrency was found, in words. */
  derivation: string;
}

export function steadyAt(ctx: PerfContext, shape: ClassShape, concurrency: number): SteadyState {
  return steadyState({
    prepared: ctx.prepared,
    calibration: ctx.calibration,
    memory: ctx.memory,
    request: shape.request,
    concurrency,
    arrivals: shape.arrivals === 'closed-loop' ? 'closed-loop' : 'poisson',
  });
}

/**
 * Largest running set the replica reaches for the class (KV capacity under the engine's admission
 * rule, maxNumSeqs · attnDp): the steady state's own running set at unbounded concurrency.
 */
export function maxRunning(ctx: PerfContext, shape: ClassShape): number {
  return steadyAt(ctx, shape, Number.MAX_SAFE_INTEGER).runningSeqs;
}

const fmt = (x: number): string => (Math.round(x * 100) / 100).toString();

export function operatingPoint(
  ctx: PerfContext,
  shape: ClassShape,
  replicas: number,
): OperatingPoint {
  const cap = maxRunning(ctx, shape);
  const atCap = steadyAt(ctx, shape, cap);
  const capacity = atCap.requestsPerSecond;
  const base = { capacityRequestsPerSecond: capacity, maxRunningSeqs: cap };

  if (shape.arrivals === 'closed-loop') {
    const n = (shape.closedLoopClients ?? 1) / replicas;
    if (shape.thinkSeconds <= 0) {
      const state = steadyAt(ctx, shape, n);
      return {
        ...base,
        state,
        concurrencyPerReplica: n,
        carriedFraction: 1,
        busyFraction: 1,
        capacityExceeded: false,
        derivation: `closed loop: ${shape.closedLoopClients} clients / ${replicas} replicas = ${fmt(n)} requests per replica`,
      };
    }
    const inFlight = (c: number): number => {
      const e2e = steadyAt(ctx, shape, c).e2eSeconds;
      return (n * e2e) / (e2e + shape.thinkSeconds);
    };
    const c = bisect((x) => x - inFlight(x), 0, n);
    const state = steadyAt(ctx, shape, c);
    const callRate = n / (state.e2eSeconds + shape.thinkSeconds);
    const p = state.e2eSeconds / (state.e2eSeconds + shape.thinkSeconds);
    return {
      ...base,
      state,
      concurrencyPerReplica: c,
      carriedFraction: Math.min(1, callRate / state.requestsPerSecond),
      busyFraction: 1 - Math.pow(1 - p, n),
      capacityExceeded: false,
      derivation:
        `closed loop with think time: ${fmt(n)} clients per replica, calls in flight c = n·E2E/(E2E + think ${fmt(shape.thinkSeconds)} s) = ${fmt(c)} (bisection); ` +
        'busy = 1 − (1 − E2E/(E2E + think))^n',
    };
  }

  const lambda = (shape.offeredRequestsPerSecond ?? 0) / replicas;
  const burst =
    shape.arrivals === 'gamma'
      ? `; gamma cv ${shape.arrivalCv} burstiness not modelled (means only)`
      : '';
  if (lambda >= capacity) {
    return {
      ...base,
      state: atCap,
      concurrencyPerReplica: cap,
      carriedFraction: 1,
      busyFraction: 1,
      offeredRequestsPerSecond: lambda,
      capacityExceeded: true,
      derivation:
        `${shape.arrivals} ${fmt(lambda)} req/s per replica EXCEEDS the capacity of ${fmt(capacity)} req/s at ${fmt(cap)} running: ` +
        `the queue grows without bound; figures are at capacity${burst}`,
    };
  }
  const one = steadyAt(ctx, shape, 1);
  const running =
    one.requestsPerSecond >= lambda
      ? 1
      : bisect((b) => steadyAt(ctx, shape, b).requestsPerSecond - lambda, 1, cap);
  const state = steadyAt(ctx, shape, running);
  const inSystem = lambda * state.e2eSeconds;
  return {
    ...base,
    state,
    concurrencyPerReplica: inSystem,
    carriedFraction: Math.min(1, lambda / state.requestsPerSecond),
    busyFraction: 1 - Math.exp(-inSystem),
    offeredRequestsPerSecond: lambda,
    capacityExceeded: false,
    derivation:
      `${shape.arrivals} ${fmt(lambda)} req/s per replica (rate / ${replicas} replicas): running set ${fmt(running)} carries it (bisection on steady-state throughput); ` +
      `mean in system λ·E2E = ${fmt(inSystem)} (Little's law); busy = 1 − exp(−λ·E2E) (M/G/∞ idle probability)${burst}`,
  };
}

/** Concurrency points of the throughput–interactivity frontier: 1, 2, 4, … up to the running limit, the limit itself, and any extra points. */
export function frontierConcurrencies(limit: number, extra: readonly number[] = []): number[] {
  const out = new Set<number>();
  for (let c = 1; c <= limit; c *= 2) out.add(c);
  out.add(Math.max(1, Math.floor(limit)));
  for (const c of extra) out.add(c);
  return [...out].sort((a, b) => a - b);
}

/** Whether a steady state meets the class's SLO targets (steady-state means against the p99 targets). */
export function meetsSlo(shape: ClassShape, s: SteadyState): boolean {
  const { ttftP99Seconds, tpotP99Seconds, e2eP99Seconds } = shape.slo;
  return (
    (ttftP99Seconds === undefined || s.ttftSeconds <= ttftP99Seconds) &&
    (tpotP99Seconds === undefined || s.tpotSeconds <= tpotP99Seconds) &&
    (e2eP99Seconds === undefined || s.e2eSeconds <= e2eP99Seconds)
  );
}

/**
 * SLO-bounded capacity of one replica for the class: output tok/s at the largest running set
 * (≤ the KV/sequence limit) whose steady state still meets the SLO, found by bisection assuming
 * latency rises with concurrency. `undefined` when even one request misses the SLO.
 */
export function sloCapacity(
  ctx: PerfContext,
  shape: ClassShape,
): { concurrency: number; outputTokensPerSecond: number } | undefined {
  const cap = maxRunning(ctx, shape);
  const top = steadyAt(ctx, shape, cap);
  if (meetsSlo(shape, top))
    return { concurrency: cap, outputTokensPerSecond: top.outputTokensPerSecond };
  if (!meetsSlo(shape, steadyAt(ctx, shape, 1))) return undefined;
  // The feasible end of the bracket is kept (not its midpoint): the SLO holds there.
  let lo = 1;
  let hi = cap;
  for (let i = 0; i < 60; i++) {
    const m = (lo + hi) / 2;
    if (meetsSlo(shape, steadyAt(ctx, shape, m))) lo = m;
    else hi = m;
  }
  return { concurrency: lo, outputTokensPerSecond: steadyAt(ctx, shape, lo).outputTokensPerSecond };
}
