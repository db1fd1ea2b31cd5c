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
 */
import type { CalibrationParams } from '../perf/calibration.js';
import type { PreparedDeployment } from '../perf/costs.js';
import { stepTime, type IterationBatch, type StepTime } from '../perf/step-time.js';

/**
 * Iteration time of a batch. Reads `batch` during the call only (callers may pass one scratch
 * object, refilled per call); the returned `StepTime` may be shared between calls.
 */
export type StepModel = (batch: IterationBatch) => StepTime;

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
  const byNumber = new Map<number, StepTime>();
  const byHash = new Map<number, ShapeEntry>();
  let numHashed = 0;
  const blockSize = prepared.deployment.engine.blockSizeTokens;

  const remember = (): void => {
    if (byNumber.size + numHashed < STEP_MODEL_MEMO_LIMIT) return;
    byNumber.clear();
    byHash.clear();
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
    const h = mix(mix(mix(mix(mix(mix(0x811c9dc5, n), a), b), c), d), e);
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

  return (batch) => {
    if (batch.numPrefillTokens !== 0)
      return hashed(
        batch,
        batch.numDecodeSeqs,
        batch.decodeContextTokens,
        batch.numPrefillTokens,
        batch.prefillAttentionPairs,
        batch.numPrefillSamples,
        batch.numPrefillSeqs,
      );
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
}
