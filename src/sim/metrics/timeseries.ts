/**
 * Per-interval time series of a simulated run: queue lengths, batch sizes, KV occupancy, power
 * (gauges) and completions, tokens, drops (counters), for plots and for spotting transients.
 *
 * Intervals: k = 0, 1, …, n − 1 cover [s + k·Δ, s + (k+1)·Δ), with s = `startSeconds`,
 * Δ = `intervalSeconds`; the last one ends at `endSeconds` (it may be shorter than Δ). A time
 * within 10⁻⁹·Δ of a boundary counts as on it, so times computed as s + k·Δ in floating point
 * land in interval k.
 *
 * Gauge g (`set`): a piecewise-constant function of time, 0 before its first `set`, holding
 * each value until the next. Reported per interval as the time-weighted mean
 *   ḡ_k = (1 / |I_k|) ∫_{I_k} g(t) dt = Σ_segments value · overlap seconds / |I_k|,
 * computed exactly from the rectangles (no sampling), in the gauge's own unit.
 * Counter c (`add`): amounts summed per interval (`series`), and divided by the interval's
 * length in `ratesPerSecond` (unit per second). Amounts before `startSeconds` are not reported.
 *
 * Memory: one number per interval per series, O(n · series); `set`/`add` cost O(1) plus the
 * intervals a gauge segment spans. Deterministic: identical calls give identical output.
 */
import { requireArg } from '../../core/errors.js';
import { invalidArgument } from '../invalid.js';

export interface TimeSeriesSamplerOptions {
  intervalSeconds: number;
  /** Start of interval 0 (default 0). */
  startSeconds?: number;
}

export type SeriesKind = 'gauge' | 'counter';

/** Plain-JSON time series; every array has one entry per interval. */
export interface TimeSeriesResult {
  intervalSeconds: number;
  startSeconds: number;
  endSeconds: number;
  /** Gauges: time-weighted mean per interval. Counters: sum per interval. Keys sorted. */
  series: Record<string, number[]>;
  /** Counters only: sum ÷ interval length, per second. Keys sorted. */
  ratesPerSecond: Record<string, number[]>;
  kinds: Record<string, SeriesKind>;
}

interface GaugeState {
  kind: 'gauge';
  value: number;
  lastSeconds: number;
  /** ∫ g dt per interval, value·seconds. */
  integrals: number[];
}

interface CounterState {
  kind: 'counter';
  sums: number[];
}

/** Snap tolerance, as a fraction of the interval. */
const BOUNDARY_TOLERANCE = 1e-9;

export class TimeSeriesSampler {
  readonly intervalSeconds: number;
  readonly startSeconds: number;
  private readonly states = new Map<string, GaugeState | CounterState>();
  private latestSeconds = -Infinity;

  /** @throws AifError E_INVALID_ARGUMENT unless intervalSeconds > 0 and startSeconds is finite. */
  constructor(options: TimeSeriesSamplerOptions) {
    const { intervalSeconds, startSeconds = 0 } = options;
    requireArg(
      Number.isFinite(intervalSeconds) && intervalSeconds > 0,
      'TimeSeriesSampler',
      `intervalSeconds must be a positive number, got ${intervalSeconds}`,
    );
    requireArg(
      Number.isFinite(startSeconds),
      'TimeSeriesSampler',
      `startSeconds must be finite, got ${startSeconds}`,
    );
    this.intervalSeconds = intervalSeconds;
    this.startSeconds = startSeconds;
  }

  /** Index of the interval holding time t (may be negative before the start). */
  private intervalIndex(t: number): number {
    return Math.floor((t - this.startSeconds) / this.intervalSeconds + BOUNDARY_TOLERANCE);
  }

  /** Start of interval k, seconds. */
  private boundary(k: number): number {
    return this.startSeconds + k * this.intervalSeconds;
  }

  private checkTime(fn: string, name: string, nowSeconds: number): void {
    // Hot path (every power change and completion): messages are built only on failure.
    if (name.length === 0) invalidArgument(fn, 'name must be non-empty');
    if (!Number.isFinite(nowSeconds))
      invalidArgument(fn, `nowSeconds must be finite, got ${nowSeconds}`);
  }

  private kindOf(
    fn: string,
    name: string,
    kind: SeriesKind,
  ): GaugeState | CounterState | undefined {
    const s = this.states.get(name);
    if (s !== undefined && s.kind !== kind)
      invalidArgument(fn, `series ${name} is a ${s.kind}, not a ${kind}`);
    return s;
  }

  /** Add value·(t1 − t0) of a constant segment [t0, t1) to the intervals it overlaps. */
  private integrate(integrals: number[], value: number, t0: number, t1: number): void {
    if (value === 0 || !(t1 > t0)) return;
    // Start one interval early so rounding at a boundary never drops a sliver of the segment.
    let k = Math.max(0, Math.floor((t0 - this.startSeconds) / this.intervalSeconds) - 1);
    for (; this.boundary(k) < t1; k++) {
      const from = Math.max(t0, this.boundary(k));
      const to = Math.min(t1, this.boundary(k + 1));
      if (to > from) {
        while (integrals.length <= k) integrals.push(0);
        integrals[k]! += value * (to - from);
      }
    }
  }

  /**
   * Gauge `name` takes `value` from `nowSeconds` on.
   * @throws AifError E_INVALID_ARGUMENT when the value is not finite, time runs backwards for
   * this gauge, or `name` is already a counter.
   */
  set(name: string, value: number, nowSeconds: number): void {
    const fn = 'TimeSeriesSampler.set';
    this.checkTime(fn, name, nowSeconds);
    if (!Number.isFinite(value))
      invalidArgument(fn, `value of ${name} must be finite, got ${value}`);
    const s = this.kindOf(fn, name, 'gauge') as GaugeState | undefined;
    if (s === undefined) {
      this.states.set(name, { kind: 'gauge', value, lastSeconds: nowSeconds, integrals: [] });
    } else {
      if (!(nowSeconds >= s.lastSeconds))
        invalidArgument(fn, `time of ${name} must not decrease: ${nowSeconds} < ${s.lastSeconds}`);
      this.integrate(s.integrals, s.value, s.lastSeconds, nowSeconds);
      s.value = value;
      s.lastSeconds = nowSeconds;
    }
    if (nowSeconds > this.latestSeconds) this.latestSeconds = nowSeconds;
  }

  /**
   * Counter `name` grows by `amount` at `nowSeconds` (any order of times is fine).
   * @throws AifError E_INVALID_ARGUMENT when the amount is not finite or `name` is a gauge.
   */
  add(name: string, amount: number, nowSeconds: number): void {
    const fn = 'TimeSeriesSampler.add';
    this.checkTime(fn, name, nowSeconds);
    if (!Number.isFinite(amount))
      invalidArgument(fn, `amount of ${name} must be finite, got ${amount}`);
    let s = this.kindOf(fn, name, 'counter') as CounterState | undefined;
    if (s === undefined) {
      s = { kind: 'counter', sums: [] };
      this.states.set(name, s);
    }
    if (nowSeconds > this.latestSeconds) this.latestSeconds = nowSeconds;
    const k = this.intervalIndex(nowSeconds);
    if (k < 0) return;
    while (s.sums.length <= k) s.sums.push(0);
    s.sums[k]! += amount;
  }

  /**
   * The series over [startSeconds, endSeconds]: gauges hold their last value to the end.
   * Does not change the sampler, so it may be called again later with a later end.
   * @throws AifError E_INVALID_ARGUMENT unless endSeconds > startSeconds and ≥ every time seen.
   */
  finish(endSeconds: number): TimeSeriesResult {
    const fn = 'TimeSeriesSampler.finish';
    requireArg(
      Number.isFinite(endSeconds) && endSeconds > this.startSeconds,
      fn,
      `endSeconds must be finite and > startSeconds (${this.startSeconds}), got ${endSeconds}`,
    );
    requireArg(
      endSeconds >= this.latestSeconds,
      fn,
      `endSeconds (${endSeconds}) must not precede the last recorded time (${this.latestSeconds})`,
    );
    const numIntervals = Math.max(
      1,
      Math.ceil((endSeconds - this.startSeconds) / this.intervalSeconds - BOUNDARY_TOLERANCE),
    );
    const lengths: number[] = [];
    for (let k = 0; k < numIntervals; k++)
      lengths.push(
        k === numIntervals - 1
          ? endSeconds - this.boundary(k)
          : this.boundary(k + 1) - this.boundary(k),
      );
    const series: Record<string, number[]> = {};
    const ratesPerSecond: Record<string, number[]> = {};
    const kinds: Record<string, SeriesKind> = {};
    for (const name of [...this.states.keys()].sort()) {
      const s = this.states.get(name)!;
      kinds[name] = s.kind;
      if (s.kind === 'gauge') {
        const integrals = s.integrals.slice();
        this.integrate(integrals, s.value, s.lastSeconds, endSeconds);
        series[name] = lengths.map((len, k) => (integrals[k] ?? 0) / len);
      } else {
        const sums = lengths.map((_, k) => s.sums[k] ?? 0);
        // An amount at endSeconds itself (on the closing boundary) belongs to the last interval.
        for (let k = numIntervals; k < s.sums.length; k++) sums[numIntervals - 1]! += s.sums[k]!;
        series[name] = sums;
        ratesPerSecond[name] = sums.map((sum, k) => sum / lengths[k]!);
      }
    }
    return {
      intervalSeconds: this.intervalSeconds,
      startSeconds: this.startSeconds,
      endSeconds,
      series,
      ratesPerSecond,
      kinds,
    };
  }
}
