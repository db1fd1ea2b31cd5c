/**
 * Tiny deterministic fixtures for the twin's own tests: a counting KV pool, a step model with
 * fixed times, and an open-loop source from plain functions. Not exported from the package.
 */
import { createRng } from '../core/rng.js';
import type { IterationBatch, StepTime } from '../perf/step-time.js';
import type { StepModel } from './step-model.js';
import type { FollowUp, KvCacheManager, SimRequest, WorkloadSource } from './types.js';

/** A KV pool that only counts blocks (no prefix cache). */
export function countingKv(numTotalBlocks: number, blockSizeTokens: number): KvCacheManager {
  const held = new Map<number, number>();
  let used = 0;
  const blocks = (t: number) => Math.ceil(t / blockSizeTokens);
  return {
    blockSizeTokens,
    numTotalBlocks,
    numFreeBlocks: () => numTotalBlocks - used,
    numUsedBlocks: () => used,
    lookupPrefix: () => ({ cachedTokens: 0, fromOffloadTokens: 0, reloadSeconds: 0 }),
    allocate(req, numTokens) {
      const have = held.get(req.id) ?? 0;
      const need = Math.max(0, blocks(numTokens) - have);
      if (need > numTotalBlocks - used) return false;
      used += need;
      held.set(req.id, have + need);
      return true;
    },
    free(req) {
      used -= held.get(req.id) ?? 0;
      held.delete(req.id);
    },
    stats: () => ({
      lookupTokens: 0,
      hitTokens: 0,
      offloadHitTokens: 0,
      evictedBlocks: 0,
      offloadedBlocks: 0,
      numCachedBlocks: 0,
    }),
  };
}

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
