import { describe, expect, it } from 'vitest';
import { stepTime, type IterationBatch, type StepTime } from '../perf/step-time.js';
import { IDEAL, deployment, prepared } from '../perf/test-support.js';
import { STEP_MODEL_MEMO_LIMIT, createStepModel } from './step-model.js';

const p = prepared(deployment('llama-3.1-8b', 'h100-sxm', 'bf16'));
const blockSize = p.deployment.engine.blockSizeTokens;

/** The memo as first written: one map keyed by strings, cleared when full. */
function stringKeyedReference(): { model: (batch: IterationBatch) => StepTime; clears: number } {
  const memo = new Map<string, StepTime>();
  const ref = {
    clears: 0,
    model: (batch: IterationBatch): StepTime => {
      const key =
        batch.numPrefillTokens === 0
          ? `d${batch.numDecodeSeqs}/${Math.round(batch.decodeContextTokens / (blockSize * Math.max(1, batch.numDecodeSeqs)))}`
          : `${batch.numDecodeSeqs}/${batch.decodeContextTokens}/${batch.numPrefillTokens}/${batch.prefillAttentionPairs}/${batch.numPrefillSamples}/${batch.numPrefillSeqs}`;
      const hit = memo.get(key);
      if (hit) return hit;
      const t = stepTime(p, IDEAL, batch);
      if (memo.size >= STEP_MODEL_MEMO_LIMIT) {
        memo.clear();
        ref.clears++;
      }
      memo.set(key, t);
      return t;
    },
  };
  return ref;
}

/** A deterministic mix of decode, large-decode and mixed batches with many repeats. */
function batchAt(i: number): IterationBatch {
  const r = (i * 2654435761) >>> 0;
  const kind = r % 7;
  const n = kind === 0 ? 4096 + (r % 5) : 1 + (r % 300);
  const context = n * (1 + ((r >>> 8) % 90_000));
  if (kind < 5)
    return {
      numDecodeSeqs: n,
      decodeContextTokens: context + (r % 3),
      numPrefillTokens: 0,
      prefillAttentionPairs: 0,
      numPrefillSamples: 0,
      numPrefillSeqs: 0,
    };
  const prefill = 1 + ((r >>> 4) % 8192);
  return {
    numDecodeSeqs: n % 64,
    decodeContextTokens: (n % 64) * 1000,
    numPrefillTokens: prefill,
    prefillAttentionPairs: prefill * 150_000 + (prefill * (prefill + 1)) / 2,
    numPrefillSamples: r % 2,
    numPrefillSeqs: 1 + (r % 2),
  };
}

describe('step model memo', () => {
  it('returns what the string-keyed memo returned, through a clear of the full memo', () => {
    const model = createStepModel(p, IDEAL);
    const reference = stringKeyedReference();
    // Enough distinct shapes to fill the memo once; every 3rd batch repeats an earlier one.
    for (let i = 0; i < 2 * STEP_MODEL_MEMO_LIMIT; i++) {
      const batch = batchAt(i % 3 === 0 ? Math.floor(i / 7) : i);
      const got = model(batch);
      const want = reference.model(batch);
      if (got.seconds !== want.seconds || got.flopsPerGpu !== want.flopsPerGpu)
        expect({ i, seconds: got.seconds }).toEqual({ i, seconds: want.seconds });
    }
    expect(reference.clears).toBeGreaterThan(0);
  }, 60_000);

  it('gives one decode shape per whole block of context per sequence', () => {
    const model = createStepModel(p, IDEAL);
    const at = (context: number) =>
      model({
        numDecodeSeqs: 4,
        decodeContextTokens: context,
        numPrefillTokens: 0,
        prefillAttentionPairs: 0,
        numPrefillSamples: 0,
        numPrefillSeqs: 0,
      });
    expect(at(4 * blockSize * 100)).toEqual(at(4 * blockSize * 100 + 3));
    expect(at(4 * blockSize * 100)).not.toEqual(at(4 * blockSize * 101));
  });
});
