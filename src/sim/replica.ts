/**
 * One replica of the serving twin: a scheduler over a KV-cache manager, the iteration in
 * flight, and its power draw. The fleet loop (`twin.ts`) owns time; a replica only plans and
 * applies iterations.
 *
 * Decode jumps (DESIGN §5, "Speed"): when every running sequence decodes and nothing can join
 * the batch, the next `k` iterations are a closed-form function of the step index — the batch
 * keeps its size and each sequence's context grows by one token per step, so the step time is
 * s(i) for i = 0…k−1. The twin takes the run in one event when s is linear in i within
 * `JUMP_LINEAR_TOLERANCE` (checked at the middle step; halving k until it is), so the jump's
 * total time Σ s(i) = k·(s(0) + s(k−1))/2 differs from step-by-step simulation by at most that
 * relative tolerance. A run ends when the first sequence finishes, the KV pool would run out,
 * or it is interrupted (an arrival that could join, a failure): then it is cut at the end of
 * the iteration in flight.
 */
import type { IterationBatch, StepTime } from '../perf/step-time.js';
import type { ReplicaScheduler, SchedulerOutput } from './scheduler/scheduler.js';
import type { StepModel } from './step-model.js';

/** Largest relative gap between the middle step's time and the straight line through the ends. */
export const JUMP_LINEAR_TOLERANCE = 1e-3;

export type Work =
  | {
      kind: 'step';
      startSeconds: number;
      endSeconds: number;
      output: SchedulerOutput;
      time: StepTime;
    }
  | {
      kind: 'jump';
      startSeconds: number;
      endSeconds: number;
      numSteps: number;
      firstStepSeconds: number;
      /** Growth of the step time per step, seconds. */
      slopeSeconds: number;
      /** Step time at the middle step (activity and power of the run). */
      time: StepTime;
      numSeqs: number;
    };

/** Σ_{i<j} s(i) for a linear step time s(i) = first + slope·i. */
export const jumpElapsedSeconds = (w: Extract<Work, { kind: 'jump' }>, j: number): number =>
  j * w.firstStepSeconds + (w.slopeSeconds * j * (j - 1)) / 2;

export class Replica {
  up = true;
  /** Incremented whenever planned work is cut or cancelled; stale end events carry an old one. */
  epoch = 0;
  work: Work | undefined;
  /** Σ prompt tokens to prefill + output tokens to generate of outstanding requests. */
  outstandingTokens = 0;
  outstandingRequests = 0;
  numIterations = 0;
  numJumpedIterations = 0;

  constructor(
    readonly index: number,
    readonly scheduler: ReplicaScheduler,
    private readonly stepModel: StepModel,
    private readonly allowJumps: boolean,
  ) {}

  /** Plan the next iteration at `nowSeconds`; undefined when there is nothing to run. */
  plan(nowSeconds: number, horizonSeconds: number): Work | undefined {
    const s = this.scheduler;
    if (!s.hasWork()) return (this.work = undefined);
    if (this.allowJumps && (s.numWaiting === 0 || s.numRunning >= s.config.maxNumSeqs)) {
      const k = s.decodeRunLength();
      if (k >= 3) {
        const jump = this.planJump(nowSeconds, k, horizonSeconds);
        if (jump) return (this.work = jump);
      }
    }
    const output = s.schedule(nowSeconds, true);
    if (output.scheduled.length === 0) return (this.work = undefined);
    const time = this.stepModel(output.batch);
    const seconds = time.seconds + output.reloadSeconds;
    const step = this.stepWork;
    step.startSeconds = nowSeconds;
    step.endSeconds = nowSeconds + seconds;
    step.output = output;
    step.time = time;
    return (this.work = step);
  }

  /**
   * The replica's two `Work` objects, refilled by `plan`: it has one iteration in flight at a
   * time, and new ones per iteration lived as long as it (see `ReplicaScheduler.schedule`).
   * The scheduler's output is its scratch space too: a `Work` is valid until the next `plan`.
   */
  private readonly stepWork: Extract<Work, { kind: 'step' }> = {
    kind: 'step',
    startSeconds: 0,
    endSeconds: 0,
    output: undefined as unknown as SchedulerOutput,
    time: undefined as unknown as StepTime,
  };
  private readonly jumpWork: Extract<Work, { kind: 'jump' }> = {
    kind: 'jump',
    startSeconds: 0,
    endSeconds: 0,
    numSteps: 0,
    firstStepSeconds: 0,
    slopeSeconds: 0,
    time: undefined as unknown as StepTime,
    numSeqs: 0,
  };

  private planJump(nowSeconds: number, maxSteps: number, horizonSeconds: number): Work | undefined {
    const running = this.scheduler.running;
    const n = running.length;
    let context = 0;
    for (const seq of running) context += seq.numComputedTokens;
    const first = this.decodeSecondsAt(n, context);
    let k = maxSteps;
    for (;;) {
      if (k < 3) return undefined;
      const last = this.decodeSecondsAt(n, context + (k - 1) * n);
      const mid = this.decodeStepAt(n, context + ((k - 1) / 2) * n);
      const line = (first + last) / 2;
      if (Math.abs(mid.seconds - line) <= JUMP_LINEAR_TOLERANCE * mid.seconds) {
        const slope = (last - first) / (k - 1);
        const jump = this.jumpWork;
        jump.startSeconds = nowSeconds;
        jump.endSeconds = 0;
        jump.numSteps = k;
        jump.firstStepSeconds = first;
        jump.slopeSeconds = slope;
        jump.time = mid;
        jump.numSeqs = n;
        // Do not run past the horizon by more than one iteration.
        const room = horizonSeconds - nowSeconds;
        if (jumpElapsedSeconds(jump, k) > room) {
          const j = stepsWithin(jump, room);
          if (j + 1 < 3) return undefined;
          jump.numSteps = j + 1;
        }
        jump.endSeconds = nowSeconds + jumpElapsedSeconds(jump, jump.numSteps);
        return jump;
      }
      k = Math.floor(k / 2);
    }
  }

  /**
   * Cut a decode jump in flight at the end of the iteration running at `nowSeconds`.
   * Returns the new end time (unchanged for a single step).
   */
  cut(nowSeconds: number): number {
    const w = this.work;
    if (!w || w.kind !== 'jump') return w?.endSeconds ?? nowSeconds;
    const j = stepsWithin(w, nowSeconds - w.startSeconds);
    const steps = Math.min(w.numSteps, j + 1);
    if (steps === w.numSteps) return w.endSeconds;
    w.numSteps = steps;
    w.endSeconds = w.startSeconds + jumpElapsedSeconds(w, steps);
    this.epoch++;
    return w.endSeconds;
  }

  /**
   * Step time of a decode of `numSeqs` sequences over `contextTokens` tokens of context. The
   * batch is one scratch object, refilled per call: a `StepModel` reads its batch during the
   * call only, and a jump asks for three or more shapes per event.
   */
  private decodeStepAt(numSeqs: number, contextTokens: number): StepTime {
    const b = this.decodeScratch;
    b.numDecodeSeqs = numSeqs;
    b.decodeContextTokens = contextTokens;
    return this.stepModel(b);
  }

  /** `decodeStepAt(…).seconds`, without a `StepTime` when the model can (`secondsOf`). */
  private decodeSecondsAt(numSeqs: number, contextTokens: number): number {
    const b = this.decodeScratch;
    b.numDecodeSeqs = numSeqs;
    b.decodeContextTokens = contextTokens;
    const secondsOf = this.stepModel.secondsOf;
    return secondsOf !== undefined ? secondsOf(b) : this.stepModel(b).seconds;
  }

  private readonly decodeScratch: IterationBatch = decodeAt(0, 0);

  /** The whole iteration(s) in flight are lost (failure): forget them. */
  cancel(): void {
    this.work = undefined;
    this.epoch++;
  }
}

const decodeAt = (numSeqs: number, contextTokens: number): IterationBatch => ({
  numDecodeSeqs: numSeqs,
  decodeContextTokens: contextTokens,
  numPrefillTokens: 0,
  prefillAttentionPairs: 0,
  numPrefillSamples: 0,
  numPrefillSeqs: 0,
});

/** Largest j ≤ numSteps with jumpElapsed(j) ≤ seconds (binary search; elapsed is increasing). */
function stepsWithin(w: Extract<Work, { kind: 'jump' }>, seconds: number): number {
  let lo = 0;
  let hi = w.numSteps;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (jumpElapsedSeconds(w, mid) <= seconds) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
