/**
 * KV-capacity-aware routing: least outstanding tokens among the replicas whose free KV blocks
 * can hold the request's prompt now; least outstanding tokens overall when none can.
 *
 * Score (minimised lexicographically, one O(n) scan):
 *   ( fits ? 0 : 1,  numOutstandingTokens,  index )
 *   fits = numFreeKvBlocks ≥ ⌈promptTokens / blockSizeTokens⌉
 * A replica that cannot admit the prompt would queue it until running requests free blocks
 * (or preempt one, DESIGN §5), so a fitting replica wins even when it has more tokens queued.
 * Free blocks include cached blocks no running request holds (evictable, `KvCacheManager`), so
 * "fits" means "can be allocated without preemption". Decode growth is not reserved: like vLLM's
 * scheduler, admission needs blocks for the prompt only.
 *
 * Source: the filter-then-score endpoint picker of the Kubernetes Gateway API Inference
 * Extension, on which the llm-d inference scheduler builds — a KV-cache-utilisation filter/scorer
 * keeps endpoints with KV room, a queue scorer then prefers the shortest queue. This is that
 * pipeline with a hard "fits this prompt" filter and outstanding tokens as the queue measure.
 */
import { requireArg } from '../../core/errors.js';
import type { Router } from '../types.js';

export interface KvAwareOptions {
  /**
   * Tokens per KV block, to turn the prompt into blocks. Default 16, vLLM's default block size.
   * Must match the replicas' KV-cache managers (`KvCacheManager.blockSizeTokens`).
   */
  blockSizeTokens?: number;
}

export const KV_AWARE_DEFAULT_BLOCK_SIZE_TOKENS = 16;

/**
 * See the module comment for the score. Ties go to the lowest index; -1 when none is up.
 * O(n) per route.
 * @throws AifError INVALID_ARGUMENT when `blockSizeTokens` is not a positive integer.
 */
export function createKvAwareRouter(options: KvAwareOptions = {}): Router {
  const blockSizeTokens = options.blockSizeTokens ?? KV_AWARE_DEFAULT_BLOCK_SIZE_TOKENS;
  requireArg(
    Number.isInteger(blockSizeTokens) && blockSizeTokens > 0,
    'createKvAwareRouter',
    `blockSizeTokens must be a positive integer, got ${blockSizeTokens}`,
  );
  return {
    name: 'kv-aware',
    route(request, fleet) {
      const numPromptBlocks = Math.ceil(request.promptTokens / blockSizeTokens);
      let bestFitIndex = -1;
      let bestFitTokens = Infinity;
      let bestAnyIndex = -1;
      let bestAnyTokens = Infinity;
      for (let i = 0; i < fleet.numReplicas; i++) {
        const load = fleet.load(i);
        if (!load.up) continue;
        const tokens = load.numOutstandingTokens;
        if (bestAnyIndex < 0 || tokens < bestAnyTokens) {
          bestAnyIndex = i;
          bestAnyTokens = tokens;
        }
        if (
          load.numFreeKvBlocks >= numPromptBlocks &&
          (bestFitIndex < 0 || tokens < bestFitTokens)
        ) {
          bestFitIndex = i;
          bestFitTokens = tokens;
        }
      }
      return bestFitIndex >= 0 ? bestFitIndex : bestAnyIndex;
    },
  };
}
