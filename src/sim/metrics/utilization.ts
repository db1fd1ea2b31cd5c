/**
 * Utilization as a set, never one number (DESIGN §3): allocation, busy time, MFU, MBU and
 * KV-cache occupancy, accumulated from what a replica reports each engine iteration, over the
 * measurement window W = [windowStartSeconds, windowEndSeconds), length T seconds.
 *
 * For a meter covering G GPUs of peak compute F (FLOP/s per GPU, at the precision in use) and
 * peak memory bandwidth B (bytes/s per GPU), with iterations i of duration dᵢ on gᵢ GPUs doing
 * fᵢ model FLOPs and moving bᵢ bytes per GPU, each clipped to the window by the share
 * wᵢ = |[sᵢ, sᵢ + dᵢ) ∩ W| / dᵢ (work spread evenly over the iteration):
 * - allocation share = G / G_installed (GPUs assigned to serving ÷ GPUs installed)
 * - busy share       = Σ wᵢ·dᵢ·gᵢ / (T·G)            (share of GPU time with work)
 * - MFU              = Σ wᵢ·fᵢ·gᵢ / (T·G·F)         (achieved model FLOP/s ÷ peak FLOP/s)
 * - MFU while busy   = Σ wᵢ·fᵢ·gᵢ / (F·Σ wᵢ·dᵢ·gᵢ)  (the same over busy time only)
 * - MBU              = Σ wᵢ·bᵢ·gᵢ / (T·G·B)         (achieved bytes/s ÷ peak bandwidth)
 * - MBU while busy   = Σ wᵢ·bᵢ·gᵢ / (B·Σ wᵢ·dᵢ·gᵢ)
 * - KV occupancy     = time-weighted mean (1/T)∫_W u(t) dt and max of u, the share of KV blocks
 *                      in use (piecewise constant, 0 before the first `setKvOccupancy`)
 *
 * MFU counts *model* FLOPs — the FLOPs the model needs (2·active params per token +
 * attention), not recomputation or padding — against peak: Chowdhery et al. 2022, "PaLM:
 * Scaling Language Modeling with Pathways", App. B. MBU is its memory-bound analogue, achieved
 * bytes/s ÷ peak bandwidth: Databricks, "LLM Inference Performance Engineering: Best Practices"
 * (2023). All shares are dimensionless in [0, 1] when the inputs are physical.
 *
 * Fleets: one meter per replica (one KV gauge each); `combineUtilization` pools them exactly
 * from the raw sums each result carries.
 */
import { requireArg } from '../../core/errors.js';
import { invalidArgument } from '../invalid.js';
import { CompensatedSum } from './compensated-sum.js';

export interface UtilizationMeterOptions {
  /** GPUs the meter accounts for (a replica's, or several replicas'). */
  numGpus: number;
  /** GPUs installed, for the allocation share (default numGpus). */
  numGpusInstalled?: number;
  /** Peak dense FLOP/s of one GPU at the precision in use. */
  peakFlopsPerSecondPerGpu: number;
  /** Peak memory (HBM) bandwidth of one GPU, bytes/s. */
  peakBytesPerSecondPerGpu: number;
  windowStartSeconds: number;
  windowEndSeconds: number;
}

/** What a replica reports about one engine iteration. */
export interface IterationSample {
  startSeconds: number;
  durationSeconds: number;
  /** Model FLOPs of the iteration executed by each GPU. */
  flopsPerGpu: number;
  /** Bytes each GPU moved to/from HBM (weights, KV, activations). */
  bytesPerGpu: number;
  /** GPUs the iteration ran on (≤ the meter's numGpus). */
  numGpus: number;
}

/** Utilization over the window, plus the raw sums that let results be combined exactly. */
export interface UtilizationResult {
  windowSeconds: number;
  numGpus: number;
  numGpusInstalled: number;
  allocationShare: number;
  /** T·G: GPU-seconds available in the window. */
  gpuSeconds: number;
  /** Σ wᵢ·dᵢ·gᵢ: GPU-seconds with work. */
  busyGpuSeconds: number;
  busyShare: number;
  /** Σ wᵢ·fᵢ·gᵢ: model FLOPs done in the window. */
  modelFlops: number;
  /** T·G·F: FLOPs at peak over the window. */
  peakFlops: number;
  /** F·busyGpuSeconds: FLOPs at peak over the busy time. */
  busyPeakFlops: number;
  mfu: number;
  /** null when the GPUs were never busy in the window. */
  mfuWhileBusy: number | null;
  /** Σ wᵢ·bᵢ·gᵢ: bytes moved in the window. */
  bytesMoved: number;
  /** T·G·B. */
  peakBytes: number;
  /** B·busyGpuSeconds. */
  busyPeakBytes: number;
  mbu: number;
  mbuWhileBusy: number | null;
  kvOccupancyMean: number;
  kvOccupancyMax: number;
}

const isPositiveFinite = (x: number): boolean => Number.isFinite(x) && x > 0;

export class UtilizationMeter {
  private readonly options: Required<UtilizationMeterOptions>;
  /**
   * The three per-iteration sums (busy GPU-seconds, model FLOPs, bytes moved), each a running
   * sum and its Neumaier compensation as `CompensatedSum` keeps them, in one array: a fleet
   * meter reports an iteration per event, and one array is one cache line where three sum
   * objects with boxed doubles were several.
   */
  private readonly sums = new Float64Array(6);
  private readonly numGpusMax: number;
  private readonly windowStartSeconds: number;
  private readonly windowEndSeconds: number;
  private readonly kvIntegral = new CompensatedSum();
  private kvValue = 0;
  private kvSinceSeconds = -Infinity;
  private kvMax = 0;

  /** @throws AifError E_INVALID_ARGUMENT for non-positive peaks or GPU counts, or an empty window. */
  constructor(options: UtilizationMeterOptions) {
    const fn = 'UtilizationMeter';
    const numGpusInstalled = options.numGpusInstalled ?? options.numGpus;
    requireArg(
      Number.isSafeInteger(options.numGpus) &&
        options.numGpus >= 1 &&
        Number.isSafeInteger(numGpusInstalled) &&
        numGpusInstalled >= options.numGpus,
      fn,
      `need integers 1 ≤ numGpus (${options.numGpus}) ≤ numGpusInstalled (${numGpusInstalled})`,
    );
    requireArg(
      isPositiveFinite(options.peakFlopsPerSecondPerGpu) &&
        isPositiveFinite(options.peakBytesPerSecondPerGpu),
      fn,
      'peak FLOP/s and peak bytes/s per GPU must be positive',
    );
    requireArg(
      Number.isFinite(options.windowStartSeconds) &&
        Number.isFinite(options.windowEndSeconds) &&
        options.windowEndSeconds > options.windowStartSeconds,
      fn,
      `the window needs finite start < end, got [${options.windowStartSeconds}, ${options.windowEndSeconds})`,
    );
    this.options = { ...options, numGpusInstalled };
    this.numGpusMax = options.numGpus;
    this.windowStartSeconds = options.windowStartSeconds;
    this.windowEndSeconds = options.windowEndSeconds;
  }

  /**
   * One engine iteration; the part inside the window counts (an iteration of zero duration
   * counts wholly when it starts inside).
   * @throws AifError E_INVALID_ARGUMENT for negative or non-finite quantities, or more GPUs
   * than the meter covers.
   */
  onIteration(it: IterationSample): void {
    this.addIteration(
      it.startSeconds,
      it.durationSeconds,
      it.flopsPerGpu,
      it.bytesPerGpu,
      it.numGpus,
    );
  }

  /**
   * `onIteration` with the sample's fields as arguments (the twin reports an iteration per
   * event: no sample object per call). Same checks and sums.
   */
  addIteration(
    startSeconds: number,
    durationSeconds: number,
    flopsPerGpu: number,
    bytesPerGpu: number,
    numGpus: number,
  ): void {
    const fn = 'UtilizationMeter.onIteration';
    requireArg(
      Number.isFinite(startSeconds) &&
        Number.isFinite(durationSeconds) &&
        durationSeconds >= 0 &&
        Number.isFinite(flopsPerGpu) &&
        flopsPerGpu >= 0 &&
        Number.isFinite(bytesPerGpu) &&
        bytesPerGpu >= 0,
      fn,
      'startSeconds must be finite; durationSeconds, flopsPerGpu and bytesPerGpu finite and ≥ 0',
    );
    // Hot path (every iteration): the message is built only on failure.
    if (!(Number.isSafeInteger(numGpus) && numGpus >= 1 && numGpus <= this.numGpusMax))
      invalidArgument(fn, `numGpus must be an integer in [1, ${this.numGpusMax}], got ${numGpus}`);
    const w0 = this.windowStartSeconds;
    const w1 = this.windowEndSeconds;
    const endSeconds = startSeconds + durationSeconds;
    let share: number;
    if (durationSeconds === 0) share = startSeconds >= w0 && startSeconds < w1 ? 1 : 0;
    else
      share = Math.max(0, Math.min(endSeconds, w1) - Math.max(startSeconds, w0)) / durationSeconds;
    if (share === 0) return;
    const sums = this.sums;
    addCompensated(sums, 0, share * durationSeconds * numGpus);
    addCompensated(sums, 2, share * flopsPerGpu * numGpus);
    addCompensated(sums, 4, share * bytesPerGpu * numGpus);
  }

  /**
   * From `nowSeconds` on, `usedShare` (0..1) of the KV-cache blocks are in use.
   * @throws AifError E_INVALID_ARGUMENT for a share outside [0, 1] or time running backwards.
   */
  setKvOccupancy(usedShare: number, nowSeconds: number): void {
    const fn = 'UtilizationMeter.setKvOccupancy';
    if (!(usedShare >= 0 && usedShare <= 1))
      invalidArgument(fn, `usedShare must be in [0, 1], got ${usedShare}`);
    if (!(Number.isFinite(nowSeconds) && nowSeconds >= this.kvSinceSeconds))
      invalidArgument(
        fn,
        `nowSeconds must be finite and ≥ the last update (${this.kvSinceSeconds}), got ${nowSeconds}`,
      );
    const segment = this.kvSegment(nowSeconds);
    this.kvIntegral.add(segment.area);
    if (segment.inWindow) this.kvMax = Math.max(this.kvMax, this.kvValue);
    this.kvValue = usedShare;
    this.kvSinceSeconds = nowSeconds;
  }

  /**
   * The current KV value held over [since, untilSeconds): its area inside W (share·seconds),
   * and whether it is in effect at some instant of W (then it counts toward the max).
   */
  private kvSegment(untilSeconds: number): { area: number; inWindow: boolean } {
    const { windowStartSeconds: w0, windowEndSeconds: w1 } = this.options;
    const since = this.kvSinceSeconds;
    const overlap = Math.max(0, Math.min(untilSeconds, w1) - Math.max(since, w0));
    return {
      area: this.kvValue * overlap,
      inWindow: since < w1 && (untilSeconds > w0 || since >= w0),
    };
  }

  /** The utilization set over the window; does not change the meter. */
  finish(): UtilizationResult {
    const o = this.options;
    const windowSeconds = o.windowEndSeconds - o.windowStartSeconds;
    const last = this.kvSegment(o.windowEndSeconds);
    const kvIntegral = new CompensatedSum().addSum(this.kvIntegral).add(last.area);
    const kvOccupancyMax = last.inWindow ? Math.max(this.kvMax, this.kvValue) : this.kvMax;
    const sums = this.sums;
    const busyGpuSeconds = sums[0]! + sums[1]!;
    const modelFlops = sums[2]! + sums[3]!;
    const bytesMoved = sums[4]! + sums[5]!;
    const gpuSeconds = windowSeconds * o.numGpus;
    return utilizationFromSums({
      windowSeconds,
      numGpus: o.numGpus,
      numGpusInstalled: o.numGpusInstalled,
      gpuSeconds,
      busyGpuSeconds,
      modelFlops,
      peakFlops: gpuSeconds * o.peakFlopsPerSecondPerGpu,
      busyPeakFlops: busyGpuSeconds * o.peakFlopsPerSecondPerGpu,
      bytesMoved,
      peakBytes: gpuSeconds * o.peakBytesPerSecondPerGpu,
      busyPeakBytes: busyGpuSeconds * o.peakBytesPerSecondPerGpu,
      kvOccupancyMean: kvIntegral.value / windowSeconds,
      kvOccupancyMax,
    });
  }
}

/**
 * `CompensatedSum.add` on the sum at `sums[i]` with its compensation at `sums[i + 1]`: the
 * same operations in the same order, so the same bits.
 */
function addCompensated(sums: Float64Array, i: number, x: number): void {
  const sum = sums[i]!;
  const t = sum + x;
  if (Math.abs(sum) >= Math.abs(x)) sums[i + 1]! += sum - t + x;
  else sums[i + 1]! += x - t + sum;
  sums[i] = t;
}

type RawSums = Omit<
  UtilizationResult,
  'allocationShare' | 'busyShare' | 'mfu' | 'mfuWhileBusy' | 'mbu' | 'mbuWhileBusy'
>;

function utilizationFromSums(s: RawSums): UtilizationResult {
  return {
    windowSeconds: s.windowSeconds,
    numGpus: s.numGpus,
    numGpusInstalled: s.numGpusInstalled,
    allocationShare: s.numGpus / s.numGpusInstalled,
    gpuSeconds: s.gpuSeconds,
    busyGpuSeconds: s.busyGpuSeconds,
    busyShare: s.busyGpuSeconds / s.gpuSeconds,
    modelFlops: s.modelFlops,
    peakFlops: s.peakFlops,
    busyPeakFlops: s.busyPeakFlops,
    mfu: s.modelFlops / s.peakFlops,
    mfuWhileBusy: s.busyPeakFlops > 0 ? s.modelFlops / s.busyPeakFlops : null,
    bytesMoved: s.bytesMoved,
    peakBytes: s.peakBytes,
    busyPeakBytes: s.busyPeakBytes,
    mbu: s.bytesMoved / s.peakBytes,
    mbuWhileBusy: s.busyPeakBytes > 0 ? s.bytesMoved / s.busyPeakBytes : null,
    kvOccupancyMean: s.kvOccupancyMean,
    kvOccupancyMax: s.kvOccupancyMax,
  };
}

/**
 * Pool the utilization of several meters over the same window (a fleet from its replicas):
 * sums add; shares are recomputed from the pooled sums, so MFU = Σ model FLOPs ÷ Σ peak FLOPs
 * (heterogeneous peaks weigh correctly); KV occupancy mean is weighted by GPU-seconds, and its
 * max is the largest of the parts.
 * @throws AifError E_INVALID_ARGUMENT for no parts or parts with different window lengths.
 */
export function combineUtilization(parts: readonly UtilizationResult[]): UtilizationResult {
  const fn = 'combineUtilization';
  requireArg(parts.length > 0, fn, 'at least one result is required');
  const windowSeconds = parts[0]!.windowSeconds;
  requireArg(
    parts.every((p) => p.windowSeconds === windowSeconds),
    fn,
    'all results must cover the same window length',
  );
  const sum = (f: (p: UtilizationResult) => number): number =>
    parts.reduce((acc, p) => acc.add(f(p)), new CompensatedSum()).value;
  const gpuSeconds = sum((p) => p.gpuSeconds);
  return utilizationFromSums({
    windowSeconds,
    numGpus: sum((p) => p.numGpus),
    numGpusInstalled: sum((p) => p.numGpusInstalled),
    gpuSeconds,
    busyGpuSeconds: sum((p) => p.busyGpuSeconds),
    modelFlops: sum((p) => p.modelFlops),
    peakFlops: sum((p) => p.peakFlops),
    busyPeakFlops: sum((p) => p.busyPeakFlops),
    bytesMoved: sum((p) => p.bytesMoved),
    peakBytes: sum((p) => p.peakBytes),
    busyPeakBytes: sum((p) => p.busyPeakBytes),
    kvOccupancyMean: sum((p) => p.kvOccupancyMean * p.gpuSeconds) / gpuSeconds,
    kvOccupancyMax: Math.max(...parts.map((p) => p.kvOccupancyMax)),
  });
}
