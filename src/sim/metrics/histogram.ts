/**
 * Full-resolution latency histogram (DESIGN §3: "p50, p90, p95, p99, p99.9 and mean, from
 * full-resolution histograms") over HdrHistogram (Gil Tene; TypeScript port
 * `hdr-histogram-js` v3, pure JS implementation — no WebAssembly, no timers, no I/O).
 *
 * Values are recorded in integer microseconds: v_µs = round(seconds · 10⁶). The histogram
 * keeps 3 significant decimal digits (2¹⁰ sub-buckets per power of two), so every reported
 * percentile lies within 2⁻¹⁰ ≈ 0.098 % (< 0.1 %) of the exact order statistic of the
 * recorded microsecond values, plus at most 0.5 µs from the rounding to microseconds. The
 * range grows as needed (auto-resize), and counts are 64-bit floats, exact up to 2⁵³ — a
 * fleet-hour of pooled inter-token gaps does not overflow them.
 *
 * Percentile convention: HdrHistogram's `getValueAtPercentile` — the nearest-rank order
 * statistic x₍⌈p·n⌉₎ (Hyndman & Fan type 1, the inverse empirical CDF), reported as the
 * highest value equivalent to its bucket, so a percentile is never below the exact one. It is
 * capped at the exact maximum. Mean and maximum are exact: mean = Σ seconds ÷ n from a
 * compensated running sum, not from the buckets.
 *
 * Memory: O(log₂(max/1 µs) · 1024) counts, ≈ 140 KiB for values up to 100 s. Deterministic:
 * identical `record` calls in the same order give an identical summary.
 */
import { build } from 'hdr-histogram-js';
import type { Histogram } from 'hdr-histogram-js';
import { requireArg } from '../../core/errors.js';
import { invalidArgument } from '../invalid.js';
import { CompensatedSum } from './compensated-sum.js';

/** Microseconds per second: the histogram's integer unit is 1 µs. */
export const HISTOGRAM_UNITS_PER_SECOND = 1e6;

/** Relative precision of a reported percentile with 3 significant digits: 2⁻¹⁰. */
export const HISTOGRAM_RELATIVE_PRECISION = 2 ** -10;

/**
 * Latency statistics of one histogram, in seconds. All statistics are `null` when `count` is 0
 * (no number without data: a 0 would read as a perfect latency).
 */
export interface LatencySummary {
  count: number;
  meanSeconds: number | null;
  p50Seconds: number | null;
  p90Seconds: number | null;
  p95Seconds: number | null;
  p99Seconds: number | null;
  p999Seconds: number | null;
  maxSeconds: number | null;
}

export class LatencyHistogram {
  private readonly histogram: Histogram = build({
    useWebAssembly: false,
    bitBucketSize: 64,
    autoResize: true,
    lowestDiscernibleValue: 1,
    highestTrackableValue: 2,
    numberOfSignificantValueDigits: 3,
  });
  private readonly sumSeconds = new CompensatedSum();
  private numValues = 0;
  private maxValueSeconds = 0;

  /** Number of values recorded (counting multiplicities). */
  get count(): number {
    return this.numValues;
  }

  /**
   * Record `count` occurrences of a latency of `seconds`.
   * @throws AifError E_INVALID_ARGUMENT when `seconds` is negative or not finite, or `count`
   * is not a non-negative integer (0 records nothing).
   */
  record(seconds: number, count = 1): void {
    // Hot path (every inter-token gap): messages are built only on failure.
    if (!(Number.isFinite(seconds) && seconds >= 0))
      invalidArgument('LatencyHistogram.record', `seconds must be finite and ≥ 0, got ${seconds}`);
    if (!(Number.isSafeInteger(count) && count >= 0))
      invalidArgument(
        'LatencyHistogram.record',
        `count must be a non-negative integer, got ${count}`,
      );
    if (count === 0) return;
    this.histogram.recordValueWithCount(Math.round(seconds * HISTOGRAM_UNITS_PER_SECOND), count);
    this.sumSeconds.add(seconds * count);
    this.numValues += count;
    if (seconds > this.maxValueSeconds) this.maxValueSeconds = seconds;
  }

  /**
   * `repeats` rounds of `record(secondsList[p], counts[p])` for p = 0, 1, …, with the same
   * result bit for bit — the running sum takes the same terms in the same order, and bucket
   * counts only add up — for one bucket update per listed value instead of one per round. The
   * sequences of a decode jump all share their inter-token gaps, so the twin reports them so.
   * O(repeats · values) additions.
   * @throws AifError E_INVALID_ARGUMENT as `record`, when the lists differ in length, or when
   * `repeats` (or a count times it) is not a non-negative safe integer.
   */
  recordRepeated(secondsList: readonly number[], counts: readonly number[], repeats: number): void {
    const fn = 'LatencyHistogram.recordRepeated';
    if (secondsList.length !== counts.length)
      invalidArgument(fn, `${secondsList.length} values but ${counts.length} counts`);
    if (!(Number.isSafeInteger(repeats) && repeats >= 0))
      invalidArgument(fn, `repeats must be a non-negative integer, got ${repeats}`);
    let numPerRound = 0;
    for (let p = 0; p < secondsList.length; p++) {
      const seconds = secondsList[p]!;
      const count = counts[p]!;
      if (!(Number.isFinite(seconds) && seconds >= 0))
        invalidArgument(fn, `seconds must be finite and ≥ 0, got ${seconds}`);
      if (!(Number.isSafeInteger(count) && count >= 0 && Number.isSafeInteger(count * repeats)))
        invalidArgument(
          fn,
          `count × repeats must be a non-negative integer, got ${count} × ${repeats}`,
        );
      numPerRound += count;
    }
    if (repeats === 0 || numPerRound === 0) return;
    for (let p = 0; p < secondsList.length; p++) {
      const seconds = secondsList[p]!;
      const count = counts[p]!;
      if (count === 0) continue;
      this.histogram.recordValueWithCount(
        Math.round(seconds * HISTOGRAM_UNITS_PER_SECOND),
        count * repeats,
      );
      if (seconds > this.maxValueSeconds) this.maxValueSeconds = seconds;
    }
    for (let r = 0; r < repeats; r++)
      for (let p = 0; p < secondsList.length; p++)
        if (counts[p]! > 0) this.sumSeconds.add(secondsList[p]! * counts[p]!);
    this.numValues += numPerRound * repeats;
  }

  /** Add every value of `other` to this histogram (for totals over classes or replicas). */
  add(other: LatencyHistogram): void {
    if (other.numValues === 0) return;
    this.histogram.add(other.histogram);
    this.sumSeconds.addSum(other.sumSeconds);
    this.numValues += other.numValues;
    if (other.maxValueSeconds > this.maxValueSeconds) this.maxValueSeconds = other.maxValueSeconds;
  }

  /**
   * Percentile `percent` (0 < percent ≤ 100) in seconds, nearest rank, within 0.1 % + 0.5 µs
   * of the exact order statistic; `null` when empty.
   */
  percentileSeconds(percent: number): number | null {
    requireArg(
      percent > 0 && percent <= 100,
      'LatencyHistogram.percentileSeconds',
      `percent must be in (0, 100], got ${percent}`,
    );
    if (this.numValues === 0) return null;
    const value = this.histogram.getValueAtPercentile(percent) / HISTOGRAM_UNITS_PER_SECOND;
    return Math.min(value, this.maxValueSeconds);
  }

  /** Count, exact mean, p50/p90/p95/p99/p99.9 and exact max, in seconds (plain JSON). */
  summary(): LatencySummary {
    if (this.numValues === 0)
      return {
        count: 0,
        meanSeconds: null,
        p50Seconds: null,
        p90Seconds: null,
        p95Seconds: null,
        p99Seconds: null,
        p999Seconds: null,
        maxSeconds: null,
      };
    return {
      count: this.numValues,
      meanSeconds: this.sumSeconds.value / this.numValues,
      p50Seconds: this.percentileSeconds(50),
      p90Seconds: this.percentileSeconds(90),
      p95Seconds: this.percentileSeconds(95),
      p99Seconds: this.percentileSeconds(99),
      p999Seconds: this.percentileSeconds(99.9),
      maxSeconds: this.maxValueSeconds,
    };
  }
}
