/**
 * The serving twin's view of the performance model: one function from an iteration's batch to
 * its duration and activity. Memoised by exact batch shape (bounded), because a replica at a
 * steady batch repeats shapes: decode-only batches differ only in context tokens, so those are
 * keyed by context rounded to whole KV blocks per sequence — at most one block of context per
 * sequence changes the decode-attention bytes by < 1/blockSize of a step's KV traffic.
 */
import type { CalibrationParams } from '../perf/calibration.js';
import type { PreparedDeployment } from '../perf/costs.js';
import { stepTime, type IterationBatch, type StepTime } from '../perf/step-time.js';

export type StepModel = (batch: IterationBatch) => StepTime;

const MEMO_LIMIT = 200_000;

/** Step-time model of a prepared deployment with its calibration, memoised by batch shape. */
export function createStepModel(
  prepared: PreparedDeployment,
  calibration: CalibrationParams,
): StepModel {
  const memo = new Map<string, StepTime>();
  const blockSize = prepared.deployment.engine.blockSizeTokens;
  return (batch) => {
    const decodeOnly = batch.numPrefillTokens === 0;
    const key = decodeOnly
      ? `d${batch.numDecodeSeqs}/${Math.round(batch.decodeContextTokens / (blockSize * Math.max(1, batch.numDecodeSeqs)))}`
      : `${batch.numDecodeSeqs}/${batch.decodeContextTokens}/${batch.numPrefillTokens}/${batch.prefillAttentionPairs}/${batch.numPrefillSamples}/${batch.numPrefillSeqs}`;
    const hit = memo.get(key);
    if (hit) return hit;
    const t = stepTime(prepared, calibration, batch);
    if (memo.size >= MEMO_LIMIT) memo.clear();
    memo.set(key, t);
    return t;
  };
}
