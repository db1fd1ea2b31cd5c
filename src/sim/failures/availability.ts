/**
 * Exact time-weighted availability of a fleet (DESIGN §3 "uptime / availability").
 *
 * Every replica's state is piecewise constant between the calls that change it, so each share
 * is a sum of interval lengths, accumulated at the change points (O(1) per call; no sampling):
 * - capacity fraction(t) = numUp(t) / numReplicas; its time mean over the window;
 * - capacity availability = |{t : numUp(t) ≥ minReplicasUp}| / window;
 * - service availability = |{t : numUp(t) ≥ minReplicasUp and slosMet(t)}| / window, where
 *   `slosMet` is a piecewise-constant signal the caller sets (e.g. at the end of each metrics
 *   interval, for the interval that starts then) — DESIGN's "meets its minimum capacity and
 *   SLOs";
 * - per replica: up share, failures (up → down), completed repairs (down → up after a
 *   failure; a replica that starts down and comes up is not a repair),
 *   observed MTBF = up time / failures (the exponential MLE; it counts the up time of a
 *   still-running interval), observed MTTR = Σ completed down intervals / repairs (a repair
 *   still running at the end of the window is not counted).
 * What "up" means (failed, cold-starting, scaled in) is the caller's choice.
 */
import { requireArg } from '../../core/errors.js';

export interface AvailabilityTrackerOptions {
  numReplicas: number;
  /** The service counts as available while at least this many replicas are up. */
  minReplicasUp: number;
  /** Start of the window, seconds (default 0). */
  startSeconds?: number;
  /** Whether every replica starts up (default true). */
  initiallyUp?: boolean;
  /** Whether SLOs count as met until the caller says otherwise (default true). */
  initiallySlosMet?: boolean;
}

export interface ReplicaAvailability {
  index: number;
  upSeconds: number;
  downSeconds: number;
  /** upSeconds / window. */
  availability: number;
  numFailures: number;
  numRepairs: number;
  /** Up time per failure, seconds; undefined without failures. */
  observedMtbfSeconds: number | undefined;
  /** Mean completed repair, seconds; undefined without completed repairs. */
  observedMttrSeconds: number | undefined;
}

export interface CapacityStep {
  atSeconds: number;
  numUp: number;
}

export interface AvailabilityReport {
  startSeconds: number;
  endSeconds: number;
  windowSeconds: number;
  numReplicas: number;
  minReplicasUp: number;
  /** Time mean of numUp / numReplicas. */
  meanCapacityFraction: number;
  /** Share of time with numUp ≥ minReplicasUp. */
  capacityAvailability: number;
  /** Share of time with numUp ≥ minReplicasUp and the SLO signal true. */
  serviceAvailability: number;
  replicas: ReplicaAvailability[];
  /** Fleet totals and the observed MTBF/MTTR over all replicas pooled. */
  numFailures: number;
  numRepairs: number;
  observedMtbfSeconds: number | undefined;
  observedMttrSeconds: number | undefined;
  /** numUp after each change, starting with the window's start (same-time changes merged). */
  capacitySteps: CapacityStep[];
}

export interface AvailabilityTracker {
  /** Set replica `index` up or down at `nowSeconds`; setting its current state is a no-op. */
  setUp(index: number, up: boolean, nowSeconds: number): void;
  /** Set the SLO signal from `nowSeconds` on. */
  setSlosMet(met: boolean, nowSeconds: number): void;
  numUp(): number;
  isUp(index: number): boolean;
  /** The report for [start, endSeconds]; does not change the tracker (callable mid-run). */
  report(endSeconds: number): AvailabilityReport;
}

interface ReplicaState {
  up: boolean;
  /** When the current state began. */
  sinceSeconds: number;
  closedUpSeconds: number;
  /** Σ completed down intervals (ended by a repair). */
  completedDownSeconds: number;
  numFailures: number;
  numRepairs: number;
  /** Down because it failed (an up → down change), not because it started down. */
  downFromFailure: boolean;
}

/**
 * Create a tracker.
 * @throws AifError(E_INVALID_ARGUMENT) when numReplicas is not an integer ≥ 1 or minReplicasUp
 *   is not an integer in [0, numReplicas]; calls throw on an unknown index or on time going
 *   backwards.
 */
export function createAvailabilityTracker(o: AvailabilityTrackerOptions): AvailabilityTracker {
  const fn = 'createAvailabilityTracker';
  const n = o.numReplicas;
  requireArg(Number.isInteger(n) && n >= 1, fn, `numReplicas must be an integer ≥ 1, got ${n}`);
  const min = o.minReplicasUp;
  requireArg(
    Number.isInteger(min) && min >= 0 && min <= n,
    fn,
    `minReplicasUp must be an integer in [0, ${n}], got ${min}`,
  );
  const startSeconds = o.startSeconds ?? 0;
  requireArg(Number.isFinite(startSeconds), fn, `startSeconds must be finite, got ${startSeconds}`);
  const initiallyUp = o.initiallyUp ?? true;

  const replicas: ReplicaState[] = Array.from({ length: n }, () => ({
    up: initiallyUp,
    sinceSeconds: startSeconds,
    closedUpSeconds: 0,
    completedDownSeconds: 0,
    numFailures: 0,
    numRepairs: 0,
    downFromFailure: false,
  }));
  let numUp = initiallyUp ? n : 0;
  let slosMet = o.initiallySlosMet ?? true;
  let lastSeconds = startSeconds;
  let upReplicaSeconds = 0;
  let capacityOkSeconds = 0;
  let serviceOkSeconds = 0;
  const steps: CapacityStep[] = [{ atSeconds: startSeconds, numUp }];

  const checkTime = (method: string, nowSeconds: number): void => {
    requireArg(
      Number.isFinite(nowSeconds) && nowSeconds >= lastSeconds,
      `AvailabilityTracker.${method}`,
      `time must be finite and ≥ ${lastSeconds}, got ${nowSeconds}`,
    );
  };

  const advance = (nowSeconds: number): void => {
    const dt = nowSeconds - lastSeconds;
    if (dt > 0) {
      upReplicaSeconds += dt * numUp;
      if (numUp >= min) {
        capacityOkSeconds += dt;
        if (slosMet) serviceOkSeconds += dt;
      }
    }
    lastSeconds = nowSeconds;
  };

  const replica = (method: string, index: number): ReplicaState => {
    const r = Number.isInteger(index) ? replicas[index] : undefined;
    requireArg(
      r !== undefined,
      `AvailabilityTracker.${method}`,
      `no replica ${index} (0..${n - 1})`,
    );
    return r;
  };

  return {
    setUp(index, up, nowSeconds) {
      const r = replica('setUp', index);
      checkTime('setUp', nowSeconds);
      if (r.up === up) return;
      advance(nowSeconds);
      if (up) {
        if (r.downFromFailure) {
          r.completedDownSeconds += nowSeconds - r.sinceSeconds;
          r.numRepairs++;
        }
        numUp++;
      } else {
        r.closedUpSeconds += nowSeconds - r.sinceSeconds;
        r.numFailures++;
        r.downFromFailure = true;
        numUp--;
      }
      r.up = up;
      r.sinceSeconds = nowSeconds;
      const last = steps[steps.length - 1]!;
      if (last.atSeconds === nowSeconds) last.numUp = numUp;
      else steps.push({ atSeconds: nowSeconds, numUp });
    },

    setSlosMet(met, nowSeconds) {
      checkTime('setSlosMet', nowSeconds);
      advance(nowSeconds);
      slosMet = met;
    },

    numUp: () => numUp,
    isUp: (index) => replica('isUp', index).up,

    report(endSeconds) {
      checkTime('report', endSeconds);
      const tail = endSeconds - lastSeconds;
      const okTail = numUp >= min ? tail : 0;
      const window = endSeconds - startSeconds;
      const share = (x: number): number => (window > 0 ? x / window : 0);
      let upTotal = 0;
      let downDoneTotal = 0;
      let failures = 0;
      let repairs = 0;
      const rows = replicas.map((r, index): ReplicaAvailability => {
        const upSeconds = r.closedUpSeconds + (r.up ? endSeconds - r.sinceSeconds : 0);
        upTotal += upSeconds;
        downDoneTotal += r.completedDownSeconds;
        failures += r.numFailures;
        repairs += r.numRepairs;
        return {
          index,
          upSeconds,
          downSeconds: window - upSeconds,
          availability: share(upSeconds),
          numFailures: r.numFailures,
          numRepairs: r.numRepairs,
          observedMtbfSeconds: r.numFailures > 0 ? upSeconds / r.numFailures : undefined,
          observedMttrSeconds: r.numRepairs > 0 ? r.completedDownSeconds / r.numRepairs : undefined,
        };
      });
      return {
        startSeconds,
        endSeconds,
        windowSeconds: window,
        numReplicas: n,
        minReplicasUp: min,
        meanCapacityFraction: share((upReplicaSeconds + tail * numUp) / n),
        capacityAvailability: share(capacityOkSeconds + okTail),
        serviceAvailability: share(serviceOkSeconds + (slosMet ? okTail : 0)),
        replicas: rows,
        numFailures: failures,
        numRepairs: repairs,
        observedMtbfSeconds: failures > 0 ? upTotal / failures : undefined,
        observedMttrSeconds: repairs > 0 ? downDoneTotal / repairs : undefined,
        capacitySteps: steps.map((s) => ({ ...s })),
      };
    },
  };
}
