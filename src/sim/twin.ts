/**
 * The serving twin's fleet loop (DESIGN §5): a discrete-event simulation of one deployment's
 * replicas. Events: open-loop arrivals (pulled lazily from the workload, one pending at a
 * time), follow-up releases (session calls after a tool wait), iteration ends, failures and
 * repairs, autoscaler evaluations and cold-start ends, and time-series samples. Each replica
 * runs iterations back to back while it has work; a request that arrives during an iteration
 * joins at the next one, as in the engines.
 */
import { createRng, type RngStream } from '../core/rng.js';
import type { IterationBatch, StepTime } from '../perf/step-time.js';
import type { AutoscalerPolicy, AutoscalerReplica } from './failures/autoscaler.js';
import { EventQueue } from './kernel/event-queue.js';
import { MinIndexTree } from './kernel/min-index-tree.js';
import { Replica, type Work } from './replica.js';
import {
  ReplicaScheduler,
  type SchedulerConfig,
  type Sequence,
  type TransferCarry,
} from './scheduler/scheduler.js';
import type { StepModel } from './step-model.js';
import type {
  FleetView,
  KvCacheManager,
  LoadMeasure,
  ReplicaLoad,
  Router,
  SimRequest,
  WorkloadSource,
} from './types.js';

/** Hooks the twin reports to (metrics, power, availability); all optional. */
export interface TwinObserver {
  /** A request finished (all output tokens sampled). */
  onCompletion?(seq: Sequence, finishSeconds: number): void;
  /** `count` inter-token gaps of `gapSeconds` for class `classIndex`. */
  onItl?(classIndex: number, gapSeconds: number, count: number): void;
  /**
   * `repeats` rounds of `onItl(classIndex, gapsSeconds[p], counts[p])` for p = 0, 1, … — how
   * the twin reports sequences that share their gaps (every sequence of a decode jump, and the
   * decodes of one iteration): the same gaps, in the same order per class, for one call. The
   * arrays are scratch space, valid during the call only. Optional: without it the twin makes
   * the `onItl` calls one by one.
   */
  onItlRepeated?(
    classIndex: number,
    gapsSeconds: readonly number[],
    counts: readonly number[],
    repeats: number,
  ): void;
  onDrop?(
    request: SimRequest,
    nowSeconds: number,
    reason: 'failure' | 'retry-limit' | 'rejected',
  ): void;
  onRetry?(request: SimRequest, nowSeconds: number): void;
  /**
   * Replica `index` starts work at `nowSeconds` whose iterations look like `time` (the middle
   * one of a decode jump): its power level changes here.
   */
  onWorkStart?(index: number, nowSeconds: number, time: StepTime): void;
  /**
   * Replica `index` completed `numIterations` iterations from `startSeconds` for
   * `durationSeconds`; `time` is one representative iteration (the middle one of a jump).
   * `batch` is valid during the call only (a decode jump's is scratch space, refilled).
   */
  onIterations?(
    index: number,
    startSeconds: number,
    durationSeconds: number,
    numIterations: number,
    time: StepTime,
    batch: IterationBatch,
  ): void;
  /**
   * `seq` sampled `count` tokens, the last at `nowSeconds` (count > 1 only for a decode jump,
   * whose tokens follow the jump's step times). For live streaming (`serve-sim`); optional.
   */
  onToken?(seq: Sequence, count: number, nowSeconds: number): void;
  /** Replica `index` went idle (no work) at `nowSeconds`. */
  onIdle?(index: number, nowSeconds: number): void;
  /**
   * Replica `index` failed (`up` false) or was repaired (`up` true). With an autoscaler a
   * repaired replica may still be off or starting: `onProvisioned` says whether it serves.
   */
  onReplicaUp?(index: number, up: boolean, nowSeconds: number): void;
  /**
   * Autoscaled pools only: replica `index` became `off` (scaled in: capacity released, no
   * power, never routed to, never failing), `starting` (scaled out: cold start — model load
   * and engine start — drawing power but not routable yet) or `serving`. Called for every slot
   * of the pool at t = 0 with its initial state, then at each change.
   */
  onProvisioned?(index: number, state: ProvisionState, nowSeconds: number): void;
  /** Periodic sample for time series. */
  onSample?(nowSeconds: number, twin: TwinState): void;
  /** Called every `PROGRESS_EVERY_EVENTS` events with simulated time (progress bars). */
  onProgress?(nowSeconds: number, horizonSeconds: number): void;
}

const PROGRESS_EVERY_EVENTS = 65_536;

/** Provisioning of a slot of an autoscaled pool (failures are tracked apart from it). */
export type ProvisionState = 'off' | 'starting' | 'serving';

export interface TwinFailures {
  /** Seconds from `nowSeconds` to replica `index`'s next failure (Infinity: never). */
  nextFailureDelaySeconds(index: number): number;
  /** Seconds from `nowSeconds` (the failure) until replica `index` serves again. */
  repairDelaySeconds(index: number, nowSeconds: number): number;
  /** Times a request may be retried after its replica failed, before it is dropped. */
  retryLimit: number;
}

/**
 * The decode pool of a disaggregated deployment (DESIGN §5): with it, the twin's
 * `numReplicas` replicas (indices 0…P−1) only prefill — each request samples its first token
 * there — and hand the request to a decode replica (indices P…P+D−1 in every observer hook)
 * once its prompt KV has crossed the link, `transferSeconds` later.
 */
export interface TwinDecodePool {
  numReplicas: number;
  scheduler: SchedulerConfig;
  /** A fresh KV cache for decode replica `index` (the fleet-wide index, P…P+D−1). */
  createKvCache(index: number): KvCacheManager;
  stepModel: StepModel;
  /** Picks a decode replica; it sees the decode pool as a fleet of its own (0…D−1). */
  router: Router;
  /** Seconds to move the request's prompt KV from its prefill replica to a decode replica. */
  transferSeconds(request: SimRequest): number;
}

export interface TwinOptions {
  /**
   * Replicas that serve requests end to end, or the prefill pool when `decode` is given. With
   * `autoscaler`: the replicas serving at t = 0 (the pool has `autoscaler.maxReplicas` slots).
   */
  numReplicas: number;
  scheduler: SchedulerConfig;
  /** A fresh KV-cache manager for replica `index` (at the start, and after each failure). */
  createKvCache(index: number): KvCacheManager;
  stepModel: StepModel;
  router: Router;
  workload: WorkloadSource;
  durationSeconds: number;
  seed: number;
  /** Advance unchanged decode batches in one event (DESIGN §5); default true. */
  decodeJumps?: boolean;
  failures?: TwinFailures;
  sampleIntervalSeconds?: number;
  observer?: TwinObserver;
  /** Disaggregated prefill/decode: the decode pool. */
  decode?: TwinDecodePool;
  /**
   * Scales the entry pool (not with `decode`: a disaggregated deployment is refused). The pool
   * holds `maxReplicas` slots (default `numReplicas`); the first `numReplicas` serve at t = 0,
   * the rest are off. Every `evaluateEverySeconds` the twin observes the pool — load = the
   * outstanding requests (waiting + running) of the serving replicas plus those held because no
   * replica was up, a count of requests, so a policy's target is requests per replica — and
   * applies the action: scale-outs turn the lowest-numbered off slots into `starting` replicas
   * that become routable at `readyAtSeconds`; scale-ins turn the named replicas off at once
   * (each must have no outstanding request). Off replicas do not fail: a failure that lands
   * on one is ignored and its failure clock stops until it is scaled out again; a replica
   * repaired after it was scaled in stays off. The provisioning at t = 0 counts as the last
   * scaling action, so a scale-in cooldown also runs from the start.
   */
  autoscaler?: AutoscalerPolicy;
  /** Checked after every event: true ends the run there (e.g. enough requests measured). */
  stopWhen?(): boolean;
}

export interface TwinState {
  readonly replicas: readonly Replica[];
  readonly numInSystem: number;
}

export interface TwinCounters {
  numArrivals: number;
  numCompleted: number;
  numDropped: number;
  /** Of the dropped: refused at once by the replica (prompt over the budget or the KV pool). */
  numRejected: number;
  numRetries: number;
  numPreemptions: number;
  /** Prefill → decode handoffs (disaggregated deployments; 0 otherwise). */
  numKvTransfers: number;
  /** Replicas turned on by the autoscaler (each one cold start); 0 without one. */
  numScaleOuts: number;
  /** Replicas turned off by the autoscaler; 0 without one. */
  numScaleIns: number;
  numIterations: number;
  numJumpedIterations: number;
  numEvents: number;
  /** Requests still queued or running at the horizon. */
  numInFlightAtEnd: number;
  outputTokens: number;
  promptTokens: number;
  cachedPromptTokens: number;
  endSeconds: number;
}

/**
 * An event's payload. The end of a replica's iteration — the most frequent event, one per
 * replica in flight at any time — is a number, `iterationEndEvent(replica, epoch)`, not an
 * object: an object per iteration lived as long as the iteration, and the garbage collector
 * copied a thousand replicas' worth of them at every scavenge.
 */
type Ev =
  | number
  | { kind: 'arrival' }
  | { kind: 'release'; request: SimRequest; retries: number }
  | { kind: 'handoff'; request: SimRequest; retries: number; carry: TransferCarry }
  | { kind: 'failure'; replica: number }
  | { kind: 'repair'; replica: number }
  | { kind: 'autoscale' }
  | { kind: 'scale-ready'; replica: number; generation: number }
  | { kind: 'sample' };

/** A replica's load as `FleetView.leastLoadedUp` indexes it. */
const LOAD_OF: Readonly<Record<LoadMeasure, (r: Replica) => number>> = {
  numOutstandingTokens: (r) => r.outstandingTokens,
  numOutstandingRequests: (r) => r.outstandingRequests,
};

/**
 * Event priorities at equal times: iterations end before new work arrives (engine order);
 * capacity that comes back (repair, end of a cold start) before the arrivals that may use it;
 * the autoscaler sees the fleet after everything else at that time but the sample.
 */
const PRIORITY = {
  iterationEnd: 0,
  repair: 1,
  scaleReady: 1,
  failure: 2,
  release: 3,
  arrival: 3,
  handoff: 3,
  autoscale: 8,
  sample: 9,
} as const;

/** Run the twin from t = 0 to the horizon (or until `stopWhen`); returns its counters. */
export function runTwin(o: TwinOptions): TwinCounters {
  const twin = createTwin(o);
  if (o.stopWhen) twin.runWhile(() => !o.stopWhen!());
  else twin.advanceTo(o.durationSeconds);
  return twin.finish();
}

/**
 * A twin driven from outside, step by step: `advanceTo` processes every event up to a time,
 * `inject` adds a request arriving at a time (live traffic, e.g. `serve-sim`). `runTwin` is
 * `advanceTo(horizon)` then `finish()`.
 */
export interface Twin {
  readonly state: TwinState;
  /** Process every event at or before `timeSeconds` (never past the horizon). */
  advanceTo(timeSeconds: number): void;
  /** Process events while `more()` is true and events remain before the horizon. */
  runWhile(more: () => boolean): void;
  /** Time of the next event, or undefined when none is left before the horizon. */
  nextEventSeconds(): number | undefined;
  /** A request that arrives at `atSeconds` (≥ the current time), routed like any arrival. */
  inject(request: SimRequest, atSeconds: number): void;
  /** Counters at the end (preemptions summed from the schedulers, requests still in flight). */
  finish(): TwinCounters;
}

export function createTwin(o: TwinOptions): Twin {
  const q = new EventQueue<Ev>();
  const horizon = o.durationSeconds;
  const obs = o.observer ?? {};
  const jumps = o.decodeJumps ?? true;
  const dec = o.decode;
  const scaler = o.autoscaler;
  if (scaler && dec)
    throw new Error(
      'runTwin: an autoscaler scales a pool that serves requests end to end; a disaggregated deployment (with a decode pool) cannot be autoscaled',
    );
  const numEntry = scaler?.maxReplicas ?? o.numReplicas;
  if (
    scaler &&
    !(Number.isInteger(o.numReplicas) && o.numReplicas >= 0 && numEntry >= o.numReplicas)
  )
    throw new Error(
      `runTwin: autoscaler ${scaler.name} needs 0 ≤ numReplicas (${o.numReplicas}) ≤ maxReplicas (${numEntry})`,
    );
  const replicas = Array.from({ length: numEntry + (dec?.numReplicas ?? 0) }, (_, i) =>
    i < numEntry
      ? new Replica(i, new ReplicaScheduler(o.scheduler, o.createKvCache(i)), o.stepModel, jumps)
      : new Replica(
          i,
          new ReplicaScheduler(dec!.scheduler, dec!.createKvCache(i)),
          dec!.stepModel,
          jumps,
        ),
  );
  const retriesOf = new Map<number, number>();
  const numAll = replicas.length;
  /** The payload of the end of replica `r`'s work planned in its current epoch. */
  const iterationEndEvent = (r: Replica): number => r.epoch * numAll + r.index;
  const c: TwinCounters = {
    numArrivals: 0,
    numCompleted: 0,
    numDropped: 0,
    numRejected: 0,
    numRetries: 0,
    numPreemptions: 0,
    numKvTransfers: 0,
    numScaleOuts: 0,
    numScaleIns: 0,
    numIterations: 0,
    numJumpedIterations: 0,
    numEvents: 0,
    numInFlightAtEnd: 0,
    outputTokens: 0,
    promptTokens: 0,
    cachedPromptTokens: 0,
    endSeconds: horizon,
  };
  // Failure state per replica, apart from routability (`Replica.up`), which also needs the
  // slot to serve when autoscaled. `failureClock`: a failure or repair of the replica is due.
  const failed = new Array<boolean>(replicas.length).fill(false);
  const failureClock = new Array<boolean>(replicas.length).fill(false);
  // Autoscaled pool: the provisioning of each slot, and a generation per slot so that the end
  // of a cold start that was overtaken by a scale-in is recognised as stale.
  const provision: ProvisionState[] | undefined = scaler
    ? Array.from({ length: numEntry }, (_, i) => (i < o.numReplicas ? 'serving' : 'off'))
    : undefined;
  const provisionGeneration = new Array<number>(scaler ? numEntry : 0).fill(0);
  const isOff = (i: number): boolean => provision !== undefined && provision[i] === 'off';
  const routable = (i: number): boolean =>
    !failed[i] && (provision === undefined || i >= numEntry || provision[i] === 'serving');
  if (provision) for (let i = 0; i < numEntry; i++) replicas[i]!.up = routable(i);
  let lastScaleSeconds = 0;
  let numInSystem = 0;
  const state: TwinState = {
    replicas,
    get numInSystem() {
      return numInSystem;
    },
  };

  // The fleet as routers see it: one pool of replicas, or the prefill and decode pools of a
  // disaggregated deployment, each a `FleetView` of its own.
  const entry = createPool(replicas, 0, numEntry, o.router, createRng(o.seed, 'router'));
  const decodePool = dec
    ? createPool(
        replicas,
        numEntry,
        dec.numReplicas,
        dec.router,
        createRng(o.seed, 'router/decode'),
      )
    : undefined;
  const poolOf = (r: Replica): Pool => (r.index < numEntry ? entry : decodePool!);
  const loadChanged = (r: Replica): void => poolOf(r).loadChanged(r);

  const scheduleArrival = (): void => {
    const t = o.workload.peekSeconds();
    if (t !== undefined && t <= horizon)
      q.schedule(Math.max(t, q.now), { kind: 'arrival' }, PRIORITY.arrival);
  };

  const startWork = (r: Replica, now: number): void => {
    const w = r.plan(now, horizon);
    if (!w) {
      obs.onIdle?.(r.index, now);
      return;
    }
    obs.onWorkStart?.(r.index, now, w.time);
    q.schedule(w.endSeconds, iterationEndEvent(r), PRIORITY.iterationEnd);
  };

  /** Route a request to a replica of `pool`; `carry` when its KV arrives from a prefill replica. */
  const routeTo = (
    pool: Pool,
    request: SimRequest,
    now: number,
    retries: number,
    carry?: TransferCarry,
  ): void => {
    const local = pool.router.route(request, pool.view, { nowSeconds: now, rng: pool.rng });
    if (local < 0) {
      // No replica up: hold the request and try again when one is repaired.
      pool.pending.push({ request, retries, ...(carry ? { carry } : {}) });
      return;
    }
    const r = replicas[pool.offset + local]!;
    if (!r.up) throw new Error(`router ${pool.router.name} chose replica ${local}, which is down`);
    if (r.scheduler.rejectReason(request) !== undefined) {
      // The engine refuses it at once (as vLLM and TensorRT-LLM answer an over-long prompt).
      numInSystem--;
      c.numDropped++;
      c.numRejected++;
      retriesOf.delete(request.id);
      obs.onDrop?.(request, now, 'rejected');
      releaseAfter(request, now, false);
      return;
    }
    if (retries > 0) retriesOf.set(request.id, retries);
    if (carry) {
      r.scheduler.addTransferred(request, now, carry);
      r.outstandingTokens += request.outputTokens - 1;
    } else if (dec) {
      r.scheduler.add(request, now, 1);
      r.outstandingTokens += request.promptTokens + 1;
    } else {
      r.scheduler.add(request, now);
      r.outstandingTokens += request.promptTokens + request.outputTokens;
    }
    r.outstandingRequests++;
    loadChanged(r);
    if (!r.work) startWork(r, now);
    else if (r.work.kind === 'jump' && r.scheduler.numRunning < r.scheduler.config.maxNumSeqs) {
      // The new request could join: end the decode jump after the iteration in flight.
      const epoch = r.epoch;
      const end = r.cut(now);
      if (r.epoch !== epoch) q.schedule(end, iterationEndEvent(r), PRIORITY.iterationEnd);
    }
  };
  const route = (request: SimRequest, now: number, retries: number): void =>
    routeTo(entry, request, now, retries);

  /** Keep the replica's outstanding tokens in step with a sequence's progress (may go back on preemption). */
  const account = (r: Replica, seq: Sequence): void => {
    const progress = Math.min(seq.numComputedTokens, seq.promptTokens) + seq.numOutputTokens;
    r.outstandingTokens -= progress - seq.accountedTokens;
    seq.accountedTokens = progress;
  };

  /** A prefill replica sampled the first token: send the KV to the decode pool. */
  const handOff = (r: Replica, seq: Sequence, now: number): void => {
    const req = seq.request;
    r.outstandingRequests--;
    c.numKvTransfers++;
    o.router.onComplete?.(req, r.index);
    const carry: TransferCarry = {
      firstTokenSeconds: seq.firstTokenSeconds!,
      firstScheduledSeconds: seq.firstScheduledSeconds,
      numCachedTokens: seq.numCachedTokens,
      numPreemptions: seq.numPreemptions,
    };
    q.schedule(
      now + dec!.transferSeconds(req),
      { kind: 'handoff', request: req, retries: retriesOf.get(req.id) ?? 0, carry },
      PRIORITY.handoff,
    );
  };

  const complete = (r: Replica, seq: Sequence, now: number): void => {
    const req = seq.request;
    if (seq.outputTokens < req.outputTokens) {
      handOff(r, seq, now);
      return;
    }
    r.outstandingRequests--;
    numInSystem--;
    c.numCompleted++;
    c.outputTokens += req.outputTokens;
    c.promptTokens += req.promptTokens;
    c.cachedPromptTokens += seq.numCachedTokens;
    retriesOf.delete(req.id);
    obs.onCompletion?.(seq, now);
    const pool = poolOf(r);
    pool.router.onComplete?.(req, r.index - pool.offset);
    releaseAfter(req, now, true);
  };

  /** The workload's follow-ups of a request that ended (`ok`) or was dropped. */
  const releaseAfter = (req: SimRequest, now: number, ok: boolean): void => {
    for (const f of o.workload.onComplete(req, now, ok))
      q.schedule(
        Math.max(f.atSeconds, now),
        { kind: 'release', request: f.request, retries: 0 },
        PRIORITY.release,
      );
  };

  // Scratch space for inter-token gaps, allocated once: `gapsOf[m]` and `countsOf[m]` hold m
  // entries (m = 1…4), so no array is resized or allocated per iteration.
  const prevTokenSeconds: (number | undefined)[] = [];
  const gapsOf = [0, 1, 2, 3, 4].map((m) => new Array<number>(m).fill(0));
  const countsOf = [0, 1, 2, 3, 4].map((m) => new Array<number>(m).fill(1));
  /** The batch `onIterations` reports for a decode jump (refilled per jump). */
  const jumpBatch: IterationBatch = {
    numDecodeSeqs: 0,
    decodeContextTokens: 0,
    numPrefillTokens: 0,
    prefillAttentionPairs: 0,
    numPrefillSamples: 0,
    numPrefillSeqs: 0,
  };

  /** Report `repeats` rounds of the gaps in `gapsOf[parts]`/`countsOf[parts]` for a class. */
  const reportItl = (classIndex: number, parts: number, repeats: number): void => {
    const gaps = gapsOf[parts]!;
    const counts = countsOf[parts]!;
    if (obs.onItlRepeated !== undefined) {
      obs.onItlRepeated(classIndex, gaps, counts, repeats);
      return;
    }
    for (let k = 0; k < repeats; k++)
      for (let p = 0; p < parts; p++) obs.onItl?.(classIndex, gaps[p]!, counts[p]!);
  };

  const endIteration = (r: Replica, w: Work, now: number): void => {
    if (w.kind === 'step') {
      const scheduled = w.output.scheduled;
      const n = scheduled.length;
      for (let i = 0; i < n; i++) prevTokenSeconds[i] = scheduled[i]!.seq.lastTokenSeconds;
      const ev = r.scheduler.updateFromOutput(w.output, now);
      if (obs.onToken)
        for (let i = 0; i < n; i++) {
          const seq = scheduled[i]!.seq;
          if (seq.lastTokenSeconds === now) obs.onToken(seq, 1, now);
        }
      obs.onIterations?.(r.index, w.startSeconds, now - w.startSeconds, 1, w.time, w.output.batch);
      r.numIterations++;
      c.numIterations++;
      // ITL: one gap per sequence that sampled a token after an earlier one; consecutive
      // sequences of one class with equal gaps (the decodes of a batch) go as one report.
      let runClass = -1;
      let runGap = 0;
      let runLength = 0;
      for (let i = 0; i < n; i++) {
        const seq = scheduled[i]!.seq;
        const prev = prevTokenSeconds[i];
        if (prev !== undefined && seq.lastTokenSeconds === now) {
          const classIndex = seq.classIndex;
          const gap = now - prev;
          if (runLength > 0 && classIndex === runClass && gap === runGap) runLength++;
          else {
            if (runLength > 0) {
              gapsOf[1]![0] = runGap;
              countsOf[1]![0] = 1;
              reportItl(runClass, 1, runLength);
            }
            runClass = classIndex;
            runGap = gap;
            runLength = 1;
          }
        }
        account(r, seq);
      }
      if (runLength > 0) {
        gapsOf[1]![0] = runGap;
        countsOf[1]![0] = 1;
        reportItl(runClass, 1, runLength);
      }
      for (const seq of w.output.preempted) account(r, seq);
      for (const seq of ev.finished) complete(r, seq, now);
    } else {
      const k = w.numSteps;
      // ITL: k gaps per sequence following s(i) = first + slope·i, recorded as up to four
      // quantile midpoints with their counts — the same for every sequence of the jump, so
      // each run of sequences of one class is one report.
      const parts = Math.min(4, k);
      const gaps = gapsOf[parts]!;
      const counts = countsOf[parts]!;
      for (let p = 0; p < parts; p++) {
        const i0 = Math.floor((p * k) / parts);
        const i1 = Math.floor(((p + 1) * k) / parts);
        const mid = (i0 + i1 - 1) / 2;
        gaps[p] = w.firstStepSeconds + w.slopeSeconds * mid;
        counts[p] = i1 - i0;
      }
      const running = r.scheduler.running;
      for (let i = 0; i < running.length;) {
        const classIndex = running[i]!.classIndex;
        let j = i + 1;
        while (j < running.length && running[j]!.classIndex === classIndex) j++;
        reportItl(classIndex, parts, j - i);
        i = j;
      }
      if (obs.onToken) for (const seq of running) obs.onToken(seq, k, now);
      for (const seq of running) seq.accountedTokens += k;
      r.outstandingTokens -= k * w.numSeqs;
      r.numIterations += k;
      r.numJumpedIterations += k;
      c.numIterations += k;
      c.numJumpedIterations += k;
      if (obs.onIterations !== undefined) {
        jumpBatch.numDecodeSeqs = w.numSeqs;
        obs.onIterations(r.index, w.startSeconds, now - w.startSeconds, k, w.time, jumpBatch);
      }
      for (const seq of r.scheduler.advanceDecode(k, now)) complete(r, seq, now);
    }
    loadChanged(r);
  };

  const fail = (r: Replica, now: number): void => {
    r.up = false;
    failed[r.index] = true;
    obs.onReplicaUp?.(r.index, false, now);
    r.cancel();
    const lost = r.scheduler.abortAll(now);
    // The replica comes back with empty HBM: its cached prefixes are gone.
    r.scheduler.replaceKvCache(o.createKvCache(r.index));
    r.outstandingRequests = 0;
    r.outstandingTokens = 0;
    const pool = poolOf(r);
    for (const seq of lost) {
      const req = seq.request;
      pool.router.onComplete?.(req, r.index - pool.offset);
      const retries = (retriesOf.get(req.id) ?? 0) + 1;
      if (o.failures && retries <= o.failures.retryLimit) {
        c.numRetries++;
        obs.onRetry?.(req, now);
        q.schedule(now, { kind: 'release', request: req, retries }, PRIORITY.release);
        numInSystem--; // re-enters on release
      } else {
        numInSystem--;
        c.numDropped++;
        retriesOf.delete(req.id);
        obs.onDrop?.(req, now, 'retry-limit');
        releaseAfter(req, now, false);
      }
    }
    loadChanged(r);
    q.schedule(
      now + o.failures!.repairDelaySeconds(r.index, now),
      { kind: 'repair', replica: r.index },
      PRIORITY.repair,
    );
  };

  /** Observe the autoscaled pool, ask the policy, apply its action (see `TwinOptions.autoscaler`). */
  const autoscale = (now: number): void => {
    const policy = scaler!;
    const slots = provision!;
    const observed: AutoscalerReplica[] = [];
    let load = entry.pending.length;
    for (let i = 0; i < numEntry; i++) {
      const p = slots[i]!;
      if (p === 'off') continue;
      const r = replicas[i]!;
      const serving = failed[i] ? 'failed' : p;
      if (serving === 'serving') load += r.outstandingRequests;
      observed.push({ index: i, state: serving, numOutstandingRequests: r.outstandingRequests });
    }
    const action = policy.decide({
      nowSeconds: now,
      load,
      replicas: observed,
      lastScaleSeconds,
    });
    if (action.kind === 'scale-out') {
      const ready = action.readyAtSeconds;
      if (!(ready >= now))
        throw new Error(
          `runTwin: autoscaler ${policy.name} scaled out at ${now} s with replicas ready at ${ready} s, before the decision`,
        );
      let left = action.scaleOut;
      for (let i = 0; i < numEntry && left > 0; i++) {
        if (slots[i] !== 'off') continue;
        left--;
        slots[i] = 'starting';
        const generation = ++provisionGeneration[i]!;
        c.numScaleOuts++;
        obs.onProvisioned?.(i, 'starting', now);
        if (o.failures && !failureClock[i]) {
          failureClock[i] = true;
          const d = o.failures.nextFailureDelaySeconds(i);
          if (now + d <= horizon)
            q.schedule(now + d, { kind: 'failure', replica: i }, PRIORITY.failure);
        }
        if (ready <= horizon)
          q.schedule(ready, { kind: 'scale-ready', replica: i, generation }, PRIORITY.scaleReady);
      }
      if (left > 0)
        throw new Error(
          `runTwin: autoscaler ${policy.name} asked for ${action.scaleOut} more replicas at ${now} s, but only ${action.scaleOut - left} of the pool's ${numEntry} slots were off`,
        );
      if (action.scaleOut > 0) lastScaleSeconds = now;
    } else if (action.kind === 'scale-in') {
      for (const i of action.scaleIn) {
        const r = replicas[i];
        if (r === undefined || i >= numEntry || slots[i] === 'off' || r.outstandingRequests > 0)
          throw new Error(
            `runTwin: autoscaler ${policy.name} scaled in replica ${i} at ${now} s, which is ${r === undefined || i >= numEntry ? 'not in the pool' : slots[i] === 'off' ? 'already off' : `serving ${r.outstandingRequests} requests`}; only provisioned replicas without outstanding requests can be turned off`,
          );
        slots[i] = 'off';
        provisionGeneration[i]!++;
        c.numScaleIns++;
        r.up = false;
        r.cancel();
        // Its accelerators are released: the next scale-out loads the model into empty HBM.
        r.scheduler.replaceKvCache(o.createKvCache(i));
        loadChanged(r);
        obs.onProvisioned?.(i, 'off', now);
      }
      if (action.scaleIn.length > 0) lastScaleSeconds = now;
    }
  };

  // Initial events.
  scheduleArrival();
  if (o.failures) {
    for (const r of replicas) {
      if (isOff(r.index)) continue;
      failureClock[r.index] = true;
      const d = o.failures.nextFailureDelaySeconds(r.index);
      if (d <= horizon) q.schedule(d, { kind: 'failure', replica: r.index }, PRIORITY.failure);
    }
  }
  if (scaler) {
    for (let i = 0; i < numEntry; i++) obs.onProvisioned?.(i, provision![i]!, 0);
    if (scaler.evaluateEverySeconds <= horizon)
      q.schedule(scaler.evaluateEverySeconds, { kind: 'autoscale' }, PRIORITY.autoscale);
  }
  if (o.sampleIntervalSeconds) q.schedule(0, { kind: 'sample' }, PRIORITY.sample);

  const handle = (ev: Ev, now: number): void => {
    if ((++c.numEvents & (PROGRESS_EVERY_EVENTS - 1)) === 0) obs.onProgress?.(now, horizon);
    if (typeof ev === 'number') {
      // The end of an iteration (or a decode jump): stale when its work was cut or cancelled.
      const r = replicas[ev % numAll]!;
      if (Math.floor(ev / numAll) !== r.epoch || !r.work || r.work.endSeconds !== now) return;
      endIteration(r, r.work, now);
      r.work = undefined;
      if (now < horizon) startWork(r, now);
      return;
    }
    switch (ev.kind) {
      case 'arrival': {
        const req = o.workload.next()!;
        c.numArrivals++;
        numInSystem++;
        route(req, now, 0);
        scheduleArrival();
        break;
      }
      case 'release': {
        if (ev.retries === 0) c.numArrivals++;
        numInSystem++;
        route(ev.request, now, ev.retries);
        break;
      }
      case 'handoff':
        routeTo(decodePool!, ev.request, now, ev.retries, ev.carry);
        break;
      case 'failure': {
        const r = replicas[ev.replica]!;
        // An off (scaled-in) replica does not fail: its clock stops until it is scaled out.
        if (isOff(r.index)) failureClock[r.index] = false;
        else if (!failed[r.index]) fail(r, now);
        break;
      }
      case 'repair': {
        const r = replicas[ev.replica]!;
        failed[r.index] = false;
        r.up = routable(r.index);
        loadChanged(r);
        obs.onReplicaUp?.(r.index, true, now);
        if (isOff(r.index)) {
          // Scaled in while it was down: it stays off, and off replicas do not fail.
          failureClock[r.index] = false;
          break;
        }
        const d = o.failures!.nextFailureDelaySeconds(r.index);
        if (now + d <= horizon)
          q.schedule(now + d, { kind: 'failure', replica: r.index }, PRIORITY.failure);
        const pool = poolOf(r);
        for (const p of pool.pending.splice(0)) routeTo(pool, p.request, now, p.retries, p.carry);
        break;
      }
      case 'autoscale': {
        autoscale(now);
        const next = now + scaler!.evaluateEverySeconds;
        if (next <= horizon) q.schedule(next, { kind: 'autoscale' }, PRIORITY.autoscale);
        break;
      }
      case 'scale-ready': {
        const i = ev.replica;
        if (ev.generation !== provisionGeneration[i] || provision![i] !== 'starting') break;
        const r = replicas[i]!;
        provision![i] = 'serving';
        r.up = routable(i);
        loadChanged(r);
        obs.onProvisioned?.(i, 'serving', now);
        for (const p of entry.pending.splice(0)) routeTo(entry, p.request, now, p.retries, p.carry);
        break;
      }
      case 'sample': {
        obs.onSample?.(now, state);
        const next = now + o.sampleIntervalSeconds!;
        if (next <= horizon) q.schedule(next, { kind: 'sample' }, PRIORITY.sample);
        break;
      }
    }
  };
  const nextEventSeconds = (): number | undefined => {
    const next = q.peekSeconds();
    return next === undefined || next > horizon ? undefined : next;
  };
  let stoppedEarly = false;
  return {
    state,
    advanceTo(timeSeconds: number): void {
      q.drain(Math.min(timeSeconds, horizon), handle);
    },
    runWhile(more: () => boolean): void {
      while (more()) {
        if (nextEventSeconds() === undefined) return;
        q.stepInto(handle);
      }
      stoppedEarly = true;
    },
    nextEventSeconds,
    inject(request: SimRequest, atSeconds: number): void {
      q.schedule(
        Math.max(atSeconds, q.now),
        { kind: 'release', request, retries: 0 },
        PRIORITY.release,
      );
    },
    finish(): TwinCounters {
      if (stoppedEarly) c.endSeconds = Math.min(horizon, q.now);
      // Preemptions happen while an iteration is planned: count them from the schedulers.
      c.numPreemptions = 0;
      for (const r of replicas) c.numPreemptions += r.scheduler.numPreemptions;
      c.numInFlightAtEnd = numInSystem;
      return c;
    },
  };
}

interface Pool {
  /** Fleet index of the pool's first replica. */
  offset: number;
  view: FleetView;
  router: Router;
  rng: RngStream;
  /** Requests waiting for a replica of this pool to come up. */
  pending: { request: SimRequest; retries: number; carry?: TransferCarry }[];
  loadChanged(r: Replica): void;
}

/** A pool of `size` replicas from fleet index `offset`, seen by its router as indices 0…size−1. */
function createPool(
  replicas: readonly Replica[],
  offset: number,
  size: number,
  router: Router,
  rng: RngStream,
): Pool {
  // Least-loaded indexes, built on a router's first `leastLoadedUp` call and then kept up to
  // date by `loadChanged` after every change of a replica's load or health, so a least-loaded
  // router picks from a thousand replicas in O(1) instead of a scan per new session.
  const loadIndexes: { measure: LoadMeasure; tree: MinIndexTree }[] = [];
  const at = (local: number): Replica => replicas[offset + local]!;
  const view: FleetView = {
    numReplicas: size,
    leastLoadedUp(measure: LoadMeasure): number {
      let e = loadIndexes.find((x) => x.measure === measure);
      if (e === undefined) {
        e = { measure, tree: new MinIndexTree(size) };
        loadIndexes.push(e);
        for (let i = 0; i < size; i++) {
          const r = at(i);
          e.tree.set(i, r.up ? LOAD_OF[measure](r) : Infinity);
        }
      }
      return e.tree.argmin;
    },
    load(i: number): ReplicaLoad {
      const r = at(i);
      return {
        index: i,
        up: r.up,
        numOutstandingRequests: r.outstandingRequests,
        numOutstandingTokens: r.outstandingTokens,
        numFreeKvBlocks: r.scheduler.kv.numFreeBlocks(),
        numTotalKvBlocks: r.scheduler.kv.numTotalBlocks,
      };
    },
  };
  return {
    offset,
    view,
    router,
    rng,
    pending: [],
    loadChanged(r: Replica): void {
      for (const { measure, tree } of loadIndexes)
        tree.set(r.index - offset, r.up ? LOAD_OF[measure](r) : Infinity);
    },
  };
}
