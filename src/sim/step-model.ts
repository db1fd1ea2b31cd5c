/**
 * The serving twin's view of the performance model: one function from an iteration's batch to
 * its duration and activity. Memoised by exact batch shape (bounded), because a replica at a
 * steady batch repeats shapes: decode-only batches differ only in context tokens, so those are
 * keyed by context rounded to whole KV blocks per sequence — at most one block of context per
 * sequence changes the decode-attention bytes by < 1/blockSize of a step's KV traffic.
 *
 * Keys, and why not strings: the twin asks for a shape several times per event (three or more
 * per decode jump), and a key string of six numbers — prefill attention pairs run to 10¹⁰, so
 * they format as doubles — costs microseconds to build and hash, more than the step-time
 * model itself. A decode-only shape (n sequences, context rounded to r blocks per sequence) is
 * the number r·2¹² + n while n < 2¹² (exact as a double for r < 2⁴¹); any other shape is
 * looked up by a 32-bit hash of its numbers in chained buckets that compare every number, so
 * two shapes share an entry exactly when the former key strings `d${n}/${r}` and
 * `${n}/${ctx}/${prefill}/${pairs}/${samples}/${seqs}` were equal (the counts are finite and
 * never −0). The memo holds at most `STEP_MODEL_MEMO_LIMIT` shapes and is cleared when full, as before:
 * which batch first fills a key, and so the value every later batch with that key gets, is
 * unchanged.
 *
 * Shapes with prefill tokens are exact keys and almost never repeat (a prompt's length and
 * cached prefix rarely meet again), so their step times are not kept: such a shape is costed
 * on every call (the model is pure: a repeat gets the same numbers, as a new object). The memo
 * still records which of them it has seen since the last clear — their six numbers in a
 * typed-array hash set, no objects — because they count toward the limit, and when it fills
 * decides which decode entries survive. Keeping a step time (~20 boxed numbers) per prefill
 * shape cost more in garbage collection than the few repeats saved. Decode step times are kept
 * as numbers (`DecodeMemo`), and a hit returns a new object with them.
 */
import type { CalibrationParams } from '../perf/calibration.js';
import type { PreparedDeployment } from '../perf/costs.js';
import { stepTime, type IterationBatch, type StepTime } from '../perf/step-time.js';

/**
 * Iteration time of a batch. Reads `batch` during the call only (callers may pass one scratch
 * object, refilled per call); the returned `StepTime` may be shared between calls.
 */
export type StepModel = ((batch: IterationBatch) => StepTime) & {
  /**
   * Optional: `model(batch).seconds` without building a `StepTime` (the same numbers and the
   * same memo updates). A decode jump needs only the seconds of its first and last steps.
   */
  readonly secondsOf?: (batch: IterationBatch) => number;
};

/** Most shapes the memo holds; it is cleared when full. */
export const STEP_MODEL_MEMO_LIMIT = 200_000;
/** Decode batches with fewer sequences than this get a numeric key. */
const NUMERIC_KEY_SEQS = 4096;

/** A shape without a numeric key, chained in its hash bucket. */
interface ShapeEntry {
  /** Decode sequences; for a large decode-only batch, its sequences (with `a` = r, rest 0). */
  readonly n: number;
  readonly a: number;
  readonly b: number;
  readonly c: number;
  readonly d: number;
  readonly e: number;
  readonly time: StepTime;
  next: ShapeEntry | undefined;
}

/** Numbers per shape in `ShapeSet`. */
const SHAPE_WIDTH = 6;

/**
 * A set of exact six-number shapes: open addressing with linear probing over typed arrays,
 * grown ×2 at half full. No objects per entry, so it adds nothing for the garbage collector
 * to trace or copy.
 */
class ShapeSet {
  size = 0;
  private capacity = 1024;
  private keys = new Float64Array(this.capacity * SHAPE_WIDTH);
  private used = new Uint8Array(this.capacity);

  /** Whether the shape is in the set. */
  has(h: number, n: number, a: number, b: number, c: number, d: number, e: number): boolean {
    const mask = this.capacity - 1;
    const keys = this.keys;
    const used = this.used;
    for (let i = h & mask; used[i] === 1; i = (i + 1) & mask) {
      const k = i * SHAPE_WIDTH;
      if (
        keys[k] === n &&
        keys[k + 1] === a &&
        keys[k + 2] === b &&
        keys[k + 3] === c &&
        keys[k + 4] === d &&
        keys[k + 5] === e
      )
        return true;
    }
    return false;
  }

  /** Add a shape that is not in the set. */
  add(h: number, n: number, a: number, b: number, c: number, d: number, e: number): void {
    const mask = this.capacity - 1;
    const used = this.used;
    let i = h & mask;
    while (used[i] === 1) i = (i + 1) & mask;
    used[i] = 1;
    const keys = this.keys;
    const k = i * SHAPE_WIDTH;
    keys[k] = n;
    keys[k + 1] = a;
    keys[k + 2] = b;
    keys[k + 3] = c;
    keys[k + 4] = d;
    keys[k + 5] = e;
    if (++this.size * 2 > this.capacity) this.grow();
  }

  clear(): void {
    this.used.fill(0);
    this.size = 0;
  }

  private grow(): void {
    const oldKeys = this.keys;
    const oldUsed = this.used;
    this.capacity *= 2;
    this.keys = new Float64Array(this.capacity * SHAPE_WIDTH);
    this.used = new Uint8Array(this.capacity);
    const mask = this.capacity - 1;
    for (let j = 0; j < oldUsed.length; j++) {
      if (oldUsed[j] !== 1) continue;
      const o = j * SHAPE_WIDTH;
      const h = hashShape(
        oldKeys[o]!,
        oldKeys[o + 1]!,
        oldKeys[o + 2]!,
        oldKeys[o + 3]!,
        oldKeys[o + 4]!,
        oldKeys[o + 5]!,
      );
      let i = h & mask;
      while (this.used[i] === 1) i = (i + 1) & mask;
      this.used[i] = 1;
      this.keys.set(oldKeys.subarray(o, o + SHAPE_WIDTH), i * SHAPE_WIDTH);
    }
  }
}

/** Numbers of a `StepTime` kept per decode shape in `DecodeMemo`. */
const TIME_WIDTH = 18;

/**
 * The decode-only memo: numeric key → the first step time costed for it since the last clear,
 * kept as its 18 numbers in a typed array (open addressing over the keys, linear probing,
 * grown ×2 at half full). A hit builds a new `StepTime` with those numbers: equal, not the
 * same object. Kept objects (a step time is about twenty boxed numbers) were most of what the
 * garbage collector copied and promoted in a fleet run; numbers in a typed array are never
 * traced, and a fresh object per hit dies young.
 */
class DecodeMemo {
  size = 0;
  private capacity = 1024;
  private keys = new Float64Array(this.capacity);
  /** Slot of each key in `times`, -1: empty. */
  private slots = new Int32Array(this.capacity).fill(-1);
  private times = new Float64Array(1024 * TIME_WIDTH);

  /** The step time stored for `key`, as a new object; undefined when absent. */
  get(key: number): StepTime | undefined {
    const slot = this.find(key);
    return slot < 0 ? undefined : timeAt(this.times, slot * TIME_WIDTH);
  }

  /** The seconds of the step time stored for `key`; undefined when absent. */
  secondsOf(key: number): number | undefined {
    const slot = this.find(key);
    return slot < 0 ? undefined : this.times[slot * TIME_WIDTH]!;
  }

  /** Slot of `key` in `times`, or -1. */
  private find(key: number): number {
    const mask = this.capacity - 1;
    for (let i = hashKey(key) & mask; this.slots[i]! >= 0; i = (i + 1) & mask)
      if (this.keys[i] === key) return this.slots[i]!;
    return -1;
  }

  /** Store `time` for `key` (absent). */
  set(key: number, time: StepTime): void {
    const mask = this.capacity - 1;
    let i = hashKey(key) & mask;
    while (this.slots[i]! >= 0) i = (i + 1) & mask;
    const slot = this.size++;
    this.keys[i] = key;
    this.slots[i] = slot;
    if ((slot + 1) * TIME_WIDTH > this.times.length) {
      const grown = new Float64Array(2 * this.times.length);
      grown.set(this.times);
      this.times = grown;
    }
    storeTime(this.times, slot * TIME_WIDTH, time);
    if (this.size * 2 > this.capacity) this.grow();
  }

  clear(): void {
    this.slots.fill(-1);
    this.size = 0;
  }

  private grow(): void {
    const oldKeys = this.keys;
    const oldSlots = this.slots;
    this.capacity *= 2;
    this.keys = new Float64Array(this.capacity);
    this.slots = new Int32Array(this.capacity).fill(-1);
    const mask = this.capacity - 1;
    for (let j = 0; j < oldSlots.length; j++) {
      if (oldSlots[j]! < 0) continue;
      let i = hashKey(oldKeys[j]!) & mask;
      while (this.slots[i]! >= 0) i = (i + 1) & mask;
      this.keys[i] = oldKeys[j]!;
      this.slots[i] = oldSlots[j]!;
    }
  }
}

/** 32-bit hash of a numeric key. */
const hashKey = (key: number): number => mix(0x811c9dc5, key);

/** Write `t`'s numbers at `times[o…o + TIME_WIDTH)`. */
function storeTime(times: Float64Array, o: number, t: StepTime): void {
  const b = t.breakdownSeconds;
  times[o] = t.seconds;
  times[o + 1] = t.deviceSeconds;
  times[o + 2] = t.hostSeconds;
  times[o + 3] = t.computeBoundSeconds;
  times[o + 4] = t.memoryBoundSeconds;
  times[o + 5] = b.attentionProjection;
  times[o + 6] = b.denseMlp;
  times[o + 7] = b.sharedExperts;
  times[o + 8] = b.moeExperts;
  times[o + 9] = b.lmHead;
  times[o + 10] = b.prefillAttention;
  times[o + 11] = b.decodeAttention;
  times[o + 12] = b.elementwise;
  times[o + 13] = b.communication;
  times[o + 14] = b.layerOverhead;
  times[o + 15] = t.flopsPerGpu;
  times[o + 16] = t.bytesPerGpu;
  times[o + 17] = t.numTokens;
}

/** A `StepTime` with the numbers at `times[o…)` (the property order of `stepTime`'s result). */
function timeAt(times: Float64Array, o: number): StepTime {
  return {
    seconds: times[o]!,
    deviceSeconds: times[o + 1]!,
    hostSeconds: times[o + 2]!,
    computeBoundSeconds: times[o + 3]!,
    memoryBoundSeconds: times[o + 4]!,
    breakdownSeconds: {
      attentionProjection: times[o + 5]!,
      denseMlp: times[o + 6]!,
      sharedExperts: times[o + 7]!,
      moeExperts: times[o + 8]!,
      lmHead: times[o + 9]!,
      prefillAttention: times[o + 10]!,
      decodeAttention: times[o + 11]!,
      elementwise: times[o + 12]!,
      communication: times[o + 13]!,
      layerOverhead: times[o + 14]!,
    },
    flopsPerGpu: times[o + 15]!,
    bytesPerGpu: times[o + 16]!,
    numTokens: times[o + 17]!,
  };
}

/** 32-bit hash of a six-number shape. */
const hashShape = (n: number, a: number, b: number, c: number, d: number, e: number): number =>
  mix(mix(mix(mix(mix(mix(0x811c9dc5, n), a), b), c), d), e);

/** Mix a number into a 32-bit hash (its low and high 32-bit words; FNV-style multiply). */
const mix = (h: number, x: number): number => {
  h = Math.imul(h ^ (x >>> 0), 0x01000193);
  return Math.imul(h ^ (Math.floor(x / 4294967296) >>> 0), 0x01000193);
};

/** Step-time model of a prepared deployment with its calibration, memoised by batch shape. */
export function createStepModel(
  prepared: PreparedDeployment,
  calibration: CalibrationParams,
): StepModel {
  const byNumber = new DecodeMemo();
  const byHash = new Map<number, ShapeEntry>();
  let numHashed = 0;
  /** Prefill shapes seen since the last clear (counted in `numHashed`, their times not kept). */
  const prefillShapes = new ShapeSet();
  const blockSize = prepared.deployment.engine.blockSizeTokens;

  const remember = (): void => {
    if (byNumber.size + numHashed < STEP_MODEL_MEMO_LIMIT) return;
    byNumber.clear();
    byHash.clear();
    prefillShapes.clear();
    numHashed = 0;
  };

  /** The entry for shape (n, a, b, c, d, e), computing `batch` on a miss. */
  const hashed = (
    batch: IterationBatch,
    n: number,
    a: number,
    b: number,
    c: number,
    d: number,
    e: number,
  ): StepTime => {
    const h = hashShape(n, a, b, c, d, e);
    const head = byHash.get(h);
    for (let x = head; x !== undefined; x = x.next)
      if (x.n === n && x.a === a && x.b === b && x.c === c && x.d === d && x.e === e) return x.time;
    const time = stepTime(prepared, calibration, batch);
    remember();
    // After a clear the bucket is gone: chain onto what is there now.
    byHash.set(h, { n, a, b, c, d, e, time, next: byHash.get(h) });
    numHashed++;
    return time;
  };

  const model = (batch: IterationBatch): StepTime => {
    if (batch.numPrefillTokens !== 0) {
      const n = batch.numDecodeSeqs;
      const a = batch.decodeContextTokens;
      const b = batch.numPrefillTokens;
      const c = batch.prefillAttentionPairs;
      const d = batch.numPrefillSamples;
      const e = batch.numPrefillSeqs;
      const h = hashShape(n, a, b, c, d, e);
      if (!prefillShapes.has(h, n, a, b, c, d, e)) {
        // A new shape takes a memo slot, as a kept entry did (after a clear of a full memo).
        remember();
        prefillShapes.add(h, n, a, b, c, d, e);
        numHashed++;
      }
      return stepTime(prepared, calibration, batch);
    }
    const n = batch.numDecodeSeqs;
    const blocksPerSeq = Math.round(batch.decodeContextTokens / (blockSize * Math.max(1, n)));
    if (n >= NUMERIC_KEY_SEQS) return hashed(batch, n, blocksPerSeq, 0, 0, 0, 0);
    const key = blocksPerSeq * NUMERIC_KEY_SEQS + n;
    const hit = byNumber.get(key);
    if (hit !== undefined) return hit;
    const time = stepTime(prepared, calibration, batch);
    remember();
    byNumber.set(key, time);
    return time;
  };
  const secondsOf = (batch: IterationBatch): number => {
    const n = batch.numDecodeSeqs;
    if (batch.numPrefillTokens !== 0 || n >= NUMERIC_KEY_SEQS) return model(batch).seconds;
    const blocksPerSeq = Math.round(batch.decodeContextTokens / (blockSize * Math.max(1, n)));
    const hit = byNumber.secondsOf(blocksPerSeq * NUMERIC_KEY_SEQS + n);
    return hit !== undefined ? hit : model(batch).seconds;
  };
  return Object.assign(model, { secondsOf });
}
