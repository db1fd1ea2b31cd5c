/**
 * The replica scheduler, after vLLM v1's contract (`vllm/v1/core/sched/scheduler.py`):
 * `schedule()` returns a plain-data `SchedulerOutput` for one engine iteration and
 * `updateFromOutput()` applies its result. There is no prefill or decode phase: every
 * sequence has `numComputedTokens` catching up with `numTokens` (prompt + sampled tokens), and
 * chunked prefill is "schedule fewer tokens than remain" under a per-iteration token budget.
 *
 * Each iteration: running sequences first (oldest first), each allocating KV blocks for what
 * it computes; when blocks run out the lowest-priority, newest running sequence is preempted
 * by recompute (its blocks freed, `numComputedTokens` reset to 0, back to the front of the
 * waiting queue) and counted. Then, if nothing was preempted, waiting sequences in priority
 * then arrival order are admitted while the budget, `maxNumSeqs` and the KV pool allow —
 * admission needs blocks for the tokens it computes now (`prompt` admission, vLLM/SGLang) or
 * for the whole prompt and output (`full-reservation`, TensorRT-LLM GUARANTEED_NO_EVICT).
 */
import { causalPairs, type IterationBatch } from '../../perf/step-time.js';
import type { KvCacheManager, PrefixLookup, SimRequest } from '../types.js';

export interface SchedulerConfig {
  maxNumSeqs: number;
  maxNumBatchedTokens: number;
  chunkedPrefill: boolean;
  kvAdmission: 'prompt' | 'full-reservation';
  /** Longest prompt + output a request may have (the model's context window); none: no limit. */
  maxModelLenTokens?: number;
}

/** A request's progress on its replica. */
export interface Sequence {
  readonly request: SimRequest;
  /**
   * Copies of `request.classIndex`, `.promptTokens` and `.outputTokens`, read for every
   * running sequence on every iteration: kept here so those loops do not touch the request
   * object too (a cache miss per sequence in a thousand-replica fleet).
   */
  readonly classIndex: number;
  readonly promptTokens: number;
  readonly outputTokens: number;
  /** Tokens whose KV is computed. */
  numComputedTokens: number;
  /** Prompt tokens + sampled output tokens. */
  numTokens: number;
  numOutputTokens: number;
  /** Prompt tokens served from the prefix cache at the latest admission. */
  numCachedTokens: number;
  enqueuedSeconds: number;
  /** When it was first scheduled (queueing delay = this − arrival). */
  firstScheduledSeconds?: number;
  firstTokenSeconds?: number;
  lastTokenSeconds?: number;
  numPreemptions: number;
  /** Progress (prompt tokens computed + output tokens) the fleet has already accounted for. */
  accountedTokens: number;
  /** Largest token count the KV manager holds blocks for on this sequence's behalf (0: none). */
  numKvTokens: number;
  /** Admission order, for FCFS among equals and newest-first preemption. */
  admissionSeq: number;
  /** Position in the waiting order: (priority, arrivalSeq). */
  readonly arrivalSeq: number;
}

export interface ScheduledChunk {
  seq: Sequence;
  numNewTokens: number;
}

export interface SchedulerOutput {
  scheduled: ScheduledChunk[];
  /** The iteration's shape for the step-time model. */
  batch: IterationBatch;
  /** Sequences preempted while planning the iteration (usually none: a shared empty list). */
  preempted: readonly Sequence[];
  /** Admission stopped for lack of KV blocks or sequence slots (not budget). */
  admissionBlocked: boolean;
  /** Σ reload seconds of offloaded prefixes admitted this iteration. */
  reloadSeconds: number;
}

export interface StepEvents {
  /** Sequences that sampled their first token in this iteration. */
  firstTokens: readonly Sequence[];
  /** Sequences that sampled their last token; their blocks are freed. */
  finished: readonly Sequence[];
}

/** What a sequence brings from its prefill replica (disaggregated serving). */
export interface TransferCarry {
  firstTokenSeconds: number;
  firstScheduledSeconds: number | undefined;
  numCachedTokens: number;
  numPreemptions: number;
}

const NO_HIT: PrefixLookup = Object.freeze({
  cachedTokens: 0,
  fromOffloadTokens: 0,
  reloadSeconds: 0,
});

/** The `preempted` list of an iteration that preempted nothing (never written to). */
const NONE_PREEMPTED: readonly Sequence[] = Object.freeze([]);
/** The empty list of first tokens or finished sequences (most iterations: never written to). */
const NONE: readonly Sequence[] = Object.freeze([]);

const isBefore = (a: Sequence, b: Sequence): boolean =>
  a.request.priority < b.request.priority ||
  (a.request.priority === b.request.priority && a.arrivalSeq < b.arrivalSeq);

/**
 * vLLM v1-style scheduler of one replica over a `KvCacheManager`. Deterministic; O(running +
 * admitted) per iteration plus O(log waiting) per queue operation.
 */
export class ReplicaScheduler {
  /** Waiting sequences ordered by (priority, arrival); a binary heap. */
  private readonly waiting: Sequence[] = [];
  readonly running: Sequence[] = [];
  private nextArrivalSeq = 0;
  private nextAdmissionSeq = 0;
  numPreemptions = 0;

  constructor(
    readonly config: SchedulerConfig,
    private kvCache: KvCacheManager,
  ) {}

  get kv(): KvCacheManager {
    return this.kvCache;
  }

  /**
   * Swap in a fresh KV cache (a failed replica comes back with empty HBM). Only when no
   * sequence holds blocks, i.e. after `abortAll`.
   * @throws Error while sequences are running.
   */
  replaceKvCache(kv: KvCacheManager): void {
    if (this.running.length > 0)
      throw new Error('replaceKvCache: sequences still hold blocks; abortAll first');
    this.kvCache = kv;
  }

  get numWaiting(): number {
    return this.waiting.length;
  }

  get numRunning(): number {
    return this.running.length;
  }

  hasWork(): boolean {
    return this.waiting.length > 0 || this.running.length > 0;
  }

  /**
   * Enqueue a newly routed request. `outputTokensHere` caps the tokens sampled on this replica
   * (1 on a prefill replica of a disaggregated deployment; by default all of them).
   */
  add(request: SimRequest, nowSeconds: number, outputTokensHere = request.outputTokens): Sequence {
    const seq: Sequence = {
      request,
      classIndex: request.classIndex,
      promptTokens: request.promptTokens,
      outputTokens: outputTokensHere,
      numComputedTokens: 0,
      numTokens: request.promptTokens,
      numOutputTokens: 0,
      numCachedTokens: 0,
      enqueuedSeconds: nowSeconds,
      numPreemptions: 0,
      accountedTokens: 0,
      numKvTokens: 0,
      admissionSeq: -1,
      arrivalSeq: this.nextArrivalSeq++,
    };
    this.pushWaiting(seq);
    return seq;
  }

  /**
   * Enqueue a request whose prompt was computed on a prefill replica and whose KV cache arrived
   * here (disaggregated serving, DESIGN §5): it waits with its prompt computed and its first
   * token sampled, and on admission needs blocks for prompt + 1 tokens and one decode step.
   * Its timing so far (`carry`) stays with it, so latencies count from the original arrival.
   */
  addTransferred(request: SimRequest, nowSeconds: number, carry: TransferCarry): Sequence {
    const seq = this.add(request, nowSeconds);
    seq.numComputedTokens = request.promptTokens;
    seq.numTokens = request.promptTokens + 1;
    seq.numOutputTokens = 1;
    seq.accountedTokens = request.promptTokens + 1;
    seq.numCachedTokens = carry.numCachedTokens;
    seq.numPreemptions = carry.numPreemptions;
    seq.firstTokenSeconds = carry.firstTokenSeconds;
    seq.lastTokenSeconds = carry.firstTokenSeconds;
    if (carry.firstScheduledSeconds !== undefined)
      seq.firstScheduledSeconds = carry.firstScheduledSeconds;
    return seq;
  }

  /**
   * Why this replica can never serve the request (an engine rejects it at once), or undefined:
   * prompt + output beyond the model's context window (vLLM's max_model_len check), a prompt
   * over the iteration budget without chunked prefill (it never fits one iteration), or a
   * prompt whose blocks (with the first token) exceed the whole pool.
   */
  rejectReason(request: SimRequest): string | undefined {
    const { chunkedPrefill, maxNumBatchedTokens, maxModelLenTokens } = this.config;
    if (
      maxModelLenTokens !== undefined &&
      request.promptTokens + request.outputTokens > maxModelLenTokens
    )
      return `prompt + output of ${request.promptTokens + request.outputTokens} tokens exceeds the model's context window of ${maxModelLenTokens}`;
    if (!chunkedPrefill && request.promptTokens > maxNumBatchedTokens)
      return `prompt of ${request.promptTokens} tokens exceeds the iteration budget of ${maxNumBatchedTokens} without chunked prefill`;
    const blocks = Math.ceil((request.promptTokens + 1) / this.kv.blockSizeTokens);
    if (blocks > this.kv.numTotalBlocks)
      return `prompt of ${request.promptTokens} tokens needs ${blocks} KV blocks; the replica has ${this.kv.numTotalBlocks}`;
    return undefined;
  }

  /** Remove every sequence (a failure): blocks freed, sequences returned waiting first. */
  abortAll(nowSeconds: number): Sequence[] {
    const all = [...this.running, ...this.drainWaiting()];
    for (const s of this.running) this.kv.free(s.request, nowSeconds);
    this.running.length = 0;
    return all;
  }

  /**
   * Plan one iteration at `nowSeconds`. With `reuse`, the output (its object, `scheduled` and
   * its chunks, `batch`) is this scheduler's scratch space, refilled by the next `reuse` call:
   * the twin plans one iteration per replica at a time, and an output per iteration lived as
   * long as the iteration, so the garbage collector copied a thousand replicas' worth of them
   * at every scavenge. Without it, the output is new.
   */
  schedule(nowSeconds: number, reuse = false): SchedulerOutput {
    const { maxNumBatchedTokens, maxNumSeqs, chunkedPrefill, kvAdmission } = this.config;
    let budget = maxNumBatchedTokens;
    const scheduled: ScheduledChunk[] = reuse ? this.scratch.scheduled : [];
    // Chunk objects: with `reuse`, those of earlier iterations (`scratchChunks`), refilled.
    const pool = reuse ? this.scratchChunks : undefined;
    this.numScratchChunks = 0;
    if (reuse) scheduled.length = 0;
    let preempted: Sequence[] | undefined;
    let reloadSeconds = 0;

    // 1. Running sequences, oldest admission first. Preemption edits the running list, so the
    // pass continues over a snapshot of it, taken just before the first preemption (until then
    // the list is unchanged, so this equals a snapshot taken up front, without the copy per
    // iteration).
    let order: readonly Sequence[] = this.running;
    for (let i = 0; i < order.length; i++) {
      const seq = order[i]!;
      if (budget <= 0) break;
      if (seq.admissionSeq < 0) continue; // preempted earlier in this pass
      let n = seq.numTokens - seq.numComputedTokens;
      if (n <= 0) continue;
      n = Math.min(n, budget);
      let ok = this.grow(seq, seq.numComputedTokens + n, nowSeconds);
      while (!ok) {
        if (order === this.running) order = this.running.slice();
        const victim = this.pickVictim();
        this.preempt(victim, nowSeconds);
        (preempted ??= []).push(victim);
        if (victim === seq) break;
        ok = this.grow(seq, seq.numComputedTokens + n, nowSeconds);
      }
      if (!ok) continue;
      this.put(scheduled, pool, seq, n);
      budget -= n;
    }
    // Preempted sequences may have been scheduled before being chosen as victims: drop them
    // (in place: with `reuse` the array is the scratch one; its dropped chunks stay pooled).
    const live = scheduled;
    if (preempted !== undefined) {
      let w = 0;
      for (let i = 0; i < live.length; i++)
        if (live[i]!.seq.admissionSeq >= 0) live[w++] = live[i]!;
      live.length = w;
      if (pool !== undefined) {
        // Keep every pooled chunk reachable from the pool in the order `put` refills it: the
        // live ones first (they are `live[0…w)`), then the dropped ones.
        const dropped = pool.slice(0, this.numScratchChunks).filter((c) => c.seq.admissionSeq < 0);
        for (let i = 0; i < w; i++) pool[i] = live[i]!;
        for (let i = 0; i < dropped.length; i++) pool[w + i] = dropped[i]!;
        this.numScratchChunks = w;
      }
    }

    // 2. Waiting sequences, if nothing was preempted (vLLM v1 does the same).
    let admissionBlocked = false;
    if (preempted === undefined) {
      while (this.waiting.length > 0 && budget > 0) {
        if (this.running.length >= maxNumSeqs) {
          admissionBlocked = true;
          break;
        }
        const seq = this.waiting[0]!;
        // A waiting sequence has computed tokens only when its KV came from a prefill
        // replica (`addTransferred`); the others (new or preempted) look up the prefix cache.
        const remote = seq.numComputedTokens > 0;
        const hit = remote ? NO_HIT : this.kv.lookupPrefix(seq.request, nowSeconds);
        const cached = remote ? seq.numComputedTokens : hit.cachedTokens;
        let n = seq.numTokens - cached;
        if (!chunkedPrefill && n > budget) break;
        n = Math.min(n, budget);
        const reserve =
          kvAdmission === 'full-reservation'
            ? seq.request.promptTokens + seq.request.outputTokens
            : cached + n;
        const numKvTokens = Math.max(reserve, cached + n);
        if (!this.kv.allocate(seq.request, numKvTokens, nowSeconds)) {
          admissionBlocked = true;
          break;
        }
        seq.numKvTokens = numKvTokens;
        this.popWaiting();
        seq.numComputedTokens = cached;
        if (!remote) seq.numCachedTokens = cached;
        seq.admissionSeq = this.nextAdmissionSeq++;
        seq.firstScheduledSeconds ??= nowSeconds;
        reloadSeconds += hit.cachedTokens > 0 ? hit.reloadSeconds : 0;
        this.running.push(seq);
        this.put(scheduled, pool, seq, n);
        budget -= n;
      }
    }

    if (!reuse)
      return {
        scheduled: live,
        batch: batchOf(live),
        preempted: preempted ?? NONE_PREEMPTED,
        admissionBlocked,
        reloadSeconds,
      };
    const out = this.scratch;
    fillBatch(out.batch, live);
    out.preempted = preempted ?? NONE_PREEMPTED;
    out.admissionBlocked = admissionBlocked;
    out.reloadSeconds = reloadSeconds;
    return out;
  }

  /** The output `schedule(now, true)` refills. */
  private readonly scratch: SchedulerOutput = {
    scheduled: [],
    batch: {
      numDecodeSeqs: 0,
      decodeContextTokens: 0,
      numPrefillTokens: 0,
      prefillAttentionPairs: 0,
      numPrefillSamples: 0,
      numPrefillSeqs: 0,
    },
    preempted: NONE_PREEMPTED,
    admissionBlocked: false,
    reloadSeconds: 0,
  };
  /** Chunk objects of `scratch.scheduled`, kept between iterations. */
  private readonly scratchChunks: ScheduledChunk[] = [];
  /** Chunks of `scratchChunks` in use by the iteration being planned. */
  private numScratchChunks = 0;

  /** Append a chunk to `scheduled`: a new one, or the next pooled one refilled. */
  private put(
    scheduled: ScheduledChunk[],
    pool: ScheduledChunk[] | undefined,
    seq: Sequence,
    numNewTokens: number,
  ): void {
    if (pool === undefined) {
      scheduled.push({ seq, numNewTokens });
      return;
    }
    let chunk = pool[this.numScratchChunks];
    if (chunk === undefined) pool.push((chunk = { seq, numNewTokens }));
    else {
      chunk.seq = seq;
      chunk.numNewTokens = numNewTokens;
    }
    this.numScratchChunks++;
    scheduled.push(chunk);
  }

  /**
   * Apply an iteration that ended at `endSeconds`: computed tokens catch up; a sequence whose
   * computed tokens reach its token count samples one token; one that reaches its output
   * length finishes and frees its blocks.
   */
  updateFromOutput(output: SchedulerOutput, endSeconds: number): StepEvents {
    // Lists allocated on their first entry: most iterations have neither.
    let firstTokens: Sequence[] | undefined;
    let finished: Sequence[] | undefined;
    const scheduled = output.scheduled;
    for (let i = 0; i < scheduled.length; i++) {
      const { seq, numNewTokens } = scheduled[i]!;
      seq.numComputedTokens += numNewTokens;
      if (seq.numComputedTokens < seq.numTokens) continue;
      seq.numOutputTokens++;
      seq.numTokens++;
      seq.lastTokenSeconds = endSeconds;
      if (seq.firstTokenSeconds === undefined) {
        seq.firstTokenSeconds = endSeconds;
        (firstTokens ??= []).push(seq);
      }
      if (seq.numOutputTokens >= seq.outputTokens) (finished ??= []).push(seq);
    }
    if (finished !== undefined) this.finish(finished, endSeconds);
    return { firstTokens: firstTokens ?? NONE, finished: finished ?? NONE };
  }

  /**
   * Decode-only fast path: advance every running sequence by `numSteps` decode iterations at
   * once (the caller proved the batch does not change in between). Returns finished sequences.
   */
  advanceDecode(numSteps: number, endSeconds: number): readonly Sequence[] {
    let finished: Sequence[] | undefined;
    const running = this.running;
    for (let i = 0; i < running.length; i++) {
      const seq = running[i]!;
      const ok = this.grow(seq, seq.numComputedTokens + numSteps, endSeconds);
      if (!ok) throw new Error('advanceDecode: KV blocks ran out in a step the caller proved fit');
      seq.numComputedTokens += numSteps;
      seq.numTokens += numSteps;
      seq.numOutputTokens += numSteps;
      seq.lastTokenSeconds = endSeconds;
      if (seq.numOutputTokens >= seq.outputTokens) (finished ??= []).push(seq);
    }
    if (finished === undefined) return NONE;
    this.finish(finished, endSeconds);
    return finished;
  }

  /**
   * How many decode-only iterations the current running set can take unchanged: until the
   * first sequence finishes, bounded by the free KV blocks. 0 when the next iteration is not a
   * pure decode of every running sequence or admission could change the batch.
   */
  decodeRunLength(): number {
    const r = this.running;
    if (r.length === 0 || r.length > this.config.maxNumBatchedTokens) return 0;
    let steps = Number.MAX_SAFE_INTEGER;
    for (const seq of r) {
      if (seq.numOutputTokens === 0 || seq.numTokens - seq.numComputedTokens !== 1) return 0;
      steps = Math.min(steps, seq.outputTokens - seq.numOutputTokens);
    }
    // Blocks needed for `s` steps: Σ ceil((computed + s) / B) − ceil(computed / B) per seq.
    const free = this.kv.numFreeBlocks();
    if (this.blocksNeededFor(steps) > free) {
      let lo = 0;
      let hi = steps;
      while (lo < hi) {
        const mid = Math.ceil((lo + hi) / 2);
        if (this.blocksNeededFor(mid) <= free) lo = mid;
        else hi = mid - 1;
      }
      steps = lo;
    }
    return steps;
  }

  /** New KV blocks the running sequences need to decode `numSteps` more tokens each. */
  private blocksNeededFor(numSteps: number): number {
    const bs = this.kv.blockSizeTokens;
    let n = 0;
    for (const seq of this.running)
      n +=
        Math.ceil((seq.numComputedTokens + numSteps) / bs) - Math.ceil(seq.numComputedTokens / bs);
    return n;
  }

  /**
   * Have the KV manager hold blocks for `numTokens` tokens of a running sequence. The call is
   * skipped when it could change nothing: the sequence already holds its whole prompt (so the
   * prompt blocks it will cache are settled) and the blocks for `numTokens`, as a decode step
   * that stays inside its last block does (15 of 16 steps at 16-token blocks). Every manager
   * answers such a call with true and no change in blocks, stats or cache.
   */
  private grow(seq: Sequence, numTokens: number, nowSeconds: number): boolean {
    const bs = this.kv.blockSizeTokens;
    if (
      seq.numKvTokens >= seq.promptTokens &&
      Math.ceil(numTokens / bs) <= Math.ceil(seq.numKvTokens / bs)
    )
      return true;
    if (!this.kv.allocate(seq.request, numTokens, nowSeconds)) return false;
    if (numTokens > seq.numKvTokens) seq.numKvTokens = numTokens;
    return true;
  }

  private finish(finished: Sequence[], endSeconds: number): void {
    for (const s of finished) this.kv.free(s.request, endSeconds);
    if (finished.length === 1) {
      // The common case, without a Set: remove the one sequence, keeping the order.
      this.running.splice(this.running.indexOf(finished[0]!), 1);
      return;
    }
    const done = new Set(finished);
    let w = 0;
    for (const s of this.running) if (!done.has(s)) this.running[w++] = s;
    this.running.length = w;
  }

  /** Lowest priority (largest number), then newest admission. */
  private pickVictim(): Sequence {
    let v = this.running[0]!;
    for (const s of this.running)
      if (
        s.request.priority > v.request.priority ||
        (s.request.priority === v.request.priority && s.admissionSeq > v.admissionSeq)
      )
        v = s;
    return v;
  }

  private preempt(seq: Sequence, nowSeconds: number): void {
    this.kv.free(seq.request, nowSeconds);
    const i = this.running.indexOf(seq);
    this.running.splice(i, 1);
    seq.numComputedTokens = 0;
    seq.numCachedTokens = 0;
    seq.numKvTokens = 0;
    seq.admissionSeq = -1;
    seq.numPreemptions++;
    this.numPreemptions++;
    this.pushWaiting(seq);
  }

  private pushWaiting(seq: Sequence): void {
    const h = this.waiting;
    h.push(seq);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!isBefore(seq, h[p]!)) break;
      h[i] = h[p]!;
      i = p;
    }
    h[i] = seq;
  }

  private popWaiting(): Sequence | undefined {
    const h = this.waiting;
    const top = h[0];
    const last = h.pop();
    if (h.length > 0 && last !== undefined) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= h.length) break;
        const r = l + 1;
        const c = r < h.length && isBefore(h[r]!, h[l]!) ? r : l;
        if (!isBefore(h[c]!, last)) break;
        h[i] = h[c]!;
        i = c;
      }
      h[i] = last;
    }
    return top;
  }

  private drainWaiting(): Sequence[] {
    const out: Sequence[] = [];
    for (let s = this.popWaiting(); s !== undefined; s = this.popWaiting()) out.push(s);
    return out;
  }
}

/** The iteration shape of a set of scheduled chunks (DESIGN §4 inputs). */
export function batchOf(chunks: readonly ScheduledChunk[]): IterationBatch {
  return fillBatch(
    {
      numDecodeSeqs: 0,
      decodeContextTokens: 0,
      numPrefillTokens: 0,
      prefillAttentionPairs: 0,
      numPrefillSamples: 0,
      numPrefillSeqs: 0,
    },
    chunks,
  );
}

/** `batchOf` into an existing batch object. */
function fillBatch(batch: IterationBatch, chunks: readonly ScheduledChunk[]): IterationBatch {
  let numDecodeSeqs = 0;
  let decodeContextTokens = 0;
  let numPrefillTokens = 0;
  let prefillAttentionPairs = 0;
  let numPrefillSamples = 0;
  let numPrefillSeqs = 0;
  for (const { seq, numNewTokens } of chunks) {
    const decoding = seq.numOutputTokens > 0 && numNewTokens === 1;
    if (decoding) {
      numDecodeSeqs++;
      decodeContextTokens += seq.numComputedTokens;
    } else {
      numPrefillSeqs++;
      numPrefillTokens += numNewTokens;
      prefillAttentionPairs += causalPairs(numNewTokens, seq.numComputedTokens);
      if (seq.numComputedTokens + numNewTokens >= seq.numTokens) numPrefillSamples++;
    }
  }
  batch.numDecodeSeqs = numDecodeSeqs;
  batch.decodeContextTokens = decodeContextTokens;
  batch.numPrefillTokens = numPrefillTokens;
  batch.prefillAttentionPairs = prefillAttentionPairs;
  batch.numPrefillSamples = numPrefillSamples;
  batch.numPrefillSeqs = numPrefillSeqs;
  return batch;
}
