/**
 * Arrival processes of open-loop traffic (DESIGN §5): when requests (or agent sessions) arrive.
 * A process is an object with a `name` that yields successive arrival times lazily, built from
 * a plain spec by a typed registry keyed by `process`. All randomness comes from the stream
 * passed to the factory; time starts at 0 s.
 */
import { requireArg } from '../../core/errors.js';
import type { RngStream } from '../../core/rng.js';
import { invalidArgument } from '../invalid.js';
import { sampleGamma } from './sample.js';

/** A source of arrival times: non-decreasing, lazily generated, possibly finite (traces). */
export interface ArrivalProcess {
  readonly name: string;
  /** The next arrival time in seconds (≥ the previous one), or undefined when exhausted. */
  nextArrivalSeconds(): number | undefined;
}

/** Homogeneous Poisson arrivals: exponential gaps with mean 1/rate. */
export interface PoissonArrivalSpec {
  process: 'poisson';
  ratePerSecond: number;
}

/** Renewal process with gamma gaps: mean 1/rate, coefficient of variation `cv` (1 = Poisson). */
export interface GammaArrivalSpec {
  process: 'gamma';
  ratePerSecond: number;
  cv: number;
}

/** A point of a diurnal profile: `multiplier` at `hour` ∈ [0, 24) of the period. */
export interface DiurnalPoint {
  hour: number;
  multiplier: number;
}

/**
 * Non-homogeneous Poisson arrivals with a periodic rate. `profile` is either N multipliers
 * (piecewise constant, N equal slots per period: 24 = hourly) or points `(hour, multiplier)`,
 * linear in between and wrapping around the period. Multipliers are relative: the rate is
 * normalised so that its time average over a period is `meanRatePerSecond`.
 */
export interface DiurnalArrivalSpec {
  process: 'diurnal';
  meanRatePerSecond: number;
  profile: readonly number[] | readonly DiurnalPoint[];
  /** Length of one period, seconds (default 86 400: a day). Hours scale to it (hour h ↦ h/24 of it). */
  periodSeconds?: number;
}

/** Replay of recorded arrival times (seconds, non-decreasing), `timeScale` times as fast. */
export interface TraceArrivalSpec {
  process: 'trace';
  arrivalSeconds: readonly number[];
  /** Speed-up factor: replayed time = recorded time / timeScale (2 = twice as fast; default 1). */
  timeScale?: number;
}

export type ArrivalSpec =
  PoissonArrivalSpec | GammaArrivalSpec | DiurnalArrivalSpec | TraceArrivalSpec;

type ArrivalFactory<K extends ArrivalSpec['process']> = (
  spec: Extract<ArrivalSpec, { process: K }>,
  rng: RngStream,
) => ArrivalProcess;

const positiveFinite = (x: number): boolean => x > 0 && Number.isFinite(x);

/**
 * Poisson process: gaps ~ Exp(λ), drawn by inversion −ln(1 − U)/λ (`RngStream.nextExponential`).
 * Long-run rate λ, gap cv 1.
 */
export function createPoissonArrivals(spec: PoissonArrivalSpec, rng: RngStream): ArrivalProcess {
  const rate = spec.ratePerSecond;
  requireArg(
    positiveFinite(rate),
    'createPoissonArrivals',
    `ratePerSecond must be > 0, got ${rate}`,
  );
  let nowSeconds = 0;
  return {
    name: 'poisson',
    nextArrivalSeconds: () => (nowSeconds += rng.nextExponential(rate)),
  };
}

/**
 * Gamma renewal process: gaps ~ Gamma(k = 1/cv², θ = 1/(λk)), so E[gap] = kθ = 1/λ and
 * sd/mean = 1/√k = cv (gamma moments; sampler: Marsaglia & Tsang 2000, `sampleGamma`).
 * cv > 1 is bursty (clustered arrivals), cv < 1 more regular than Poisson.
 */
export function createGammaArrivals(spec: GammaArrivalSpec, rng: RngStream): ArrivalProcess {
  const { ratePerSecond: rate, cv } = spec;
  requireArg(positiveFinite(rate), 'createGammaArrivals', `ratePerSecond must be > 0, got ${rate}`);
  requireArg(positiveFinite(cv), 'createGammaArrivals', `cv must be > 0, got ${cv}`);
  const shape = 1 / (cv * cv);
  const scaleSeconds = 1 / (rate * shape);
  let nowSeconds = 0;
  return {
    name: 'gamma',
    nextArrivalSeconds: () => (nowSeconds += scaleSeconds * sampleGamma(shape, rng)),
  };
}

/** A periodic relative rate m(t) on [0, period): its value, maximum and time average. */
interface PeriodicProfile {
  at(phaseSeconds: number): number;
  readonly maxMultiplier: number;
  readonly meanMultiplier: number;
}

const isPointProfile = (p: DiurnalArrivalSpec['profile']): p is readonly DiurnalPoint[] =>
  typeof p[0] === 'object';

/** N equal slots, constant within each: mean = Σm/N. */
function stepProfile(multipliers: readonly number[], periodSeconds: number): PeriodicProfile {
  const slotSeconds = periodSeconds / multipliers.length;
  const values = multipliers.slice();
  let sum = 0;
  for (const m of values) sum += m;
  return {
    at: (phase) => values[Math.min(values.length - 1, Math.floor(phase / slotSeconds))]!,
    maxMultiplier: Math.max(...values),
    meanMultiplier: sum / values.length,
  };
}

/**
 * Points (hour, m) joined linearly, wrapping from the last point to the first + 24 h.
 * Time average = Σ over segments of (m_i + m_{i+1})/2 · Δt_i / period (trapezoid rule, exact
 * for piecewise-linear functions).
 */
function linearProfile(points: readonly DiurnalPoint[], periodSeconds: number): PeriodicProfile {
  const sorted = points.slice().sort((a, b) => a.hour - b.hour);
  for (let i = 0; i < sorted.length; i++) {
    const h = sorted[i]!.hour;
    requireArg(
      h >= 0 && h < 24 && (i === 0 || h > sorted[i - 1]!.hour),
      'createDiurnalArrivals',
      `profile hours must be distinct and in [0, 24), got ${h}`,
    );
  }
  const secondsPerHour = periodSeconds / 24;
  const first = sorted[0]!;
  // Knots over one period, with the first point repeated one period later to close the loop.
  const knotSeconds = sorted.map((p) => p.hour * secondsPerHour);
  const knotValues = sorted.map((p) => p.multiplier);
  knotSeconds.push(first.hour * secondsPerHour + periodSeconds);
  knotValues.push(first.multiplier);
  let area = 0;
  for (let i = 0; i + 1 < knotSeconds.length; i++) {
    area += ((knotValues[i]! + knotValues[i + 1]!) / 2) * (knotSeconds[i + 1]! - knotSeconds[i]!);
  }
  const startSeconds = knotSeconds[0]!;
  return {
    at: (phase) => {
      // Shift the phase into [first knot, first knot + period).
      const t = phase < startSeconds ? phase + periodSeconds : phase;
      let i = 0;
      while (i + 2 < knotSeconds.length && knotSeconds[i + 1]! <= t) i++;
      const t0 = knotSeconds[i]!;
      const t1 = knotSeconds[i + 1]!;
      const w = t1 > t0 ? (t - t0) / (t1 - t0) : 0;
      return knotValues[i]! + w * (knotValues[i + 1]! - knotValues[i]!);
    },
    maxMultiplier: Math.max(...knotValues),
    meanMultiplier: area / periodSeconds,
  };
}

/**
 * Non-homogeneous Poisson process with periodic rate λ(t) = λ̄·m(t mod P)/m̄ (m̄ the time
 * average of the profile, so the long-run rate is λ̄), simulated by thinning: Lewis & Shedler,
 * "Simulation of nonhomogeneous Poisson processes by thinning", Naval Research Logistics
 * Quarterly 26(3):403–413, 1979. Candidates arrive as a Poisson process of rate
 * λ_max = λ̄·max m/m̄ and each is kept with probability λ(t)/λ_max. Expected candidates per
 * arrival: max m/m̄.
 */
export function createDiurnalArrivals(spec: DiurnalArrivalSpec, rng: RngStream): ArrivalProcess {
  const fn = 'createDiurnalArrivals';
  const periodSeconds = spec.periodSeconds ?? 86_400;
  requireArg(positiveFinite(spec.meanRatePerSecond), fn, 'meanRatePerSecond must be > 0');
  requireArg(positiveFinite(periodSeconds), fn, 'periodSeconds must be > 0');
  requireArg(spec.profile.length > 0, fn, 'profile needs at least one multiplier');
  const profile = isPointProfile(spec.profile)
    ? linearProfile(spec.profile, periodSeconds)
    : stepProfile(spec.profile, periodSeconds);
  const multipliers = isPointProfile(spec.profile)
    ? spec.profile.map((p) => p.multiplier)
    : spec.profile;
  requireArg(
    multipliers.every((m) => m >= 0 && Number.isFinite(m)),
    fn,
    'profile multipliers must be finite and ≥ 0',
  );
  requireArg(profile.meanMultiplier > 0, fn, 'profile must not be zero everywhere');
  const ratePerMultiplier = spec.meanRatePerSecond / profile.meanMultiplier;
  const maxRatePerSecond = ratePerMultiplier * profile.maxMultiplier;
  let nowSeconds = 0;
  return {
    name: 'diurnal',
    nextArrivalSeconds: () => {
      for (;;) {
        nowSeconds += rng.nextExponential(maxRatePerSecond);
        const phase = nowSeconds - Math.floor(nowSeconds / periodSeconds) * periodSeconds;
        const rate = ratePerMultiplier * profile.at(phase);
        if (rng.next() * maxRatePerSecond < rate) return nowSeconds;
      }
    },
  };
}

/**
 * Replay recorded arrival times t_i as t_i / timeScale. The array is read, not copied.
 * @throws AifError(E_INVALID_ARGUMENT) unless times are finite, ≥ 0 and non-decreasing, and
 *   timeScale > 0. O(n) validation once.
 */
export function createTraceArrivals(spec: TraceArrivalSpec, _rng?: RngStream): ArrivalProcess {
  const fn = 'createTraceArrivals';
  const timeScale = spec.timeScale ?? 1;
  requireArg(positiveFinite(timeScale), fn, `timeScale must be > 0, got ${timeScale}`);
  const times = spec.arrivalSeconds;
  for (let i = 0; i < times.length; i++) {
    const t = times[i]!;
    if (!(t >= 0 && Number.isFinite(t) && (i === 0 || t >= times[i - 1]!)))
      invalidArgument(
        fn,
        `arrival times must be finite, ≥ 0 and non-decreasing (index ${i}: ${t})`,
      );
  }
  let index = 0;
  return {
    name: 'trace',
    nextArrivalSeconds: () => (index < times.length ? times[index++]! / timeScale : undefined),
  };
}

/** Arrival processes by `process` key (typed registry: add a kind here and in `ArrivalSpec`). */
export const ARRIVAL_PROCESSES: { [K in ArrivalSpec['process']]: ArrivalFactory<K> } = {
  poisson: createPoissonArrivals,
  gamma: createGammaArrivals,
  diurnal: createDiurnalArrivals,
  trace: createTraceArrivals,
};

/** Build the arrival process a spec describes, drawing from `rng`. */
export function createArrivalProcess(spec: ArrivalSpec, rng: RngStream): ArrivalProcess {
  return (ARRIVAL_PROCESSES[spec.process] as ArrivalFactory<typeof spec.process>)(spec, rng);
}
