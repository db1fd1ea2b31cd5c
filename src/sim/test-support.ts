/**
 * Tiny deterministic fixtures for the twin's own tests: a counting KV pool, a step model with
 * fixed times, and an open-loop source from plain functions. Not exported from the package.
 */
import { createRng } from '../core/rng.js';
import type { IterationBatch, StepTime } from '../perf/step-time.js';
import { createKvCacheManager } from './kv/index.js';
import type { StepModel } from './step-model.js';
import type { FollowUp, KvCacheManager, SimRequest, WorkloadSource } from './types.js';

/** A KV pool that only counts blocks: the real manager without prefix caching. */
export const countingKv = (numTotalBlocks: number, blockSizeTokens: number): KvCacheManager =>
  createKvCacheManager({ numTotalBlocks, blockSizeTokens, prefixCaching: false });

/** Step time = `fixedSeconds` + `perTokenSeconds` · tokens + `perContextSeconds` · decode context. */
export function linearStepModel(
  fixedSeconds: number,
  perTokenSeconds = 0,
  perContextSeconds = 0,
): StepModel {
  return (b: IterationBatch): StepTime => {
    const tokens = b.numDecodeSeqs + b.numPrefillTokens;
    const seconds =
      fixedSeconds + perTokenSeconds * tokens + perContextSeconds * b.decodeContextTokens;
    return {
      seconds,
      deviceSeconds: seconds,
      hostSeconds: 0,
      computeBoundSeconds: seconds / 2,
      memoryBoundSeconds: seconds / 2,
      breakdownSeconds: {
        attentionProjection: 0,
        denseMlp: 0,
        sharedExperts: 0,
        moeExperts: 0,
        lmHead: 0,
        prefillAttention: 0,
        decodeAttention: 0,
        elementwise: 0,
        communication: 0,
        layerOverhead: seconds,
      },
      flopsPerGpu: tokens * 1e9,
      bytesPerGpu: 1e9,
      numTokens: tokens,
    };
  };
}

export const request = (
  id: number,
  promptTokens: number,
  outputTokens: number,
  arrivalSeconds = 0,
  priority = 0,
): SimRequest => ({
  id,
  classIndex: 0,
  arrivalSeconds,
  promptTokens,
  outputTokens,
  segments: [{ contentId: id, tokens: promptTokens }],
  priority,
});

/** Poisson arrivals at `ratePerSecond`, lengths from `lengths(rng)`, until `count` requests. */
export function poissonSource(o: {
  ratePerSecond: number;
  count: number;
  seed: number;
  lengths: (u: () => number) => { promptTokens: number; outputTokens: number };
}): WorkloadSource {
  const rng = createRng(o.seed, 'arrivals');
  const lenRng = createRng(o.seed, 'lengths');
  let t = rng.nextExponential(o.ratePerSecond);
  let n = 0;
  return {
    peekSeconds: () => (n < o.count ? t : undefined),
    next() {
      if (n >= o.count) return undefined;
      const { promptTokens, outputTokens } = o.lengths(() => lenRng.next());
      const r = request(n++, promptTokens, outputTokens, t);
      t += rng.nextExponential(o.ratePerSecond);
      return r;
    },
    onComplete: (): FollowUp[] => [],
  };
}

/** The given requests, in order, at their arrival times (open loop, no follow-ups). */
export function listSource(requests: readonly SimRequest[]): WorkloadSource {
  let k = 0;
  return {
    peekSeconds: () => requests[k]?.arrivalSeconds,
    next: () => requests[k++],
    onComplete: (): FollowUp[] => [],
  };
}
