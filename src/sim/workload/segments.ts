/**
 * Prompt-segment arithmetic under the `PromptSegment` contract (src/sim/types.ts): segments with
 * the same `contentId` hold the same token stream, so two prompts share their equal leading
 * segments plus the overlap of the first differing pair when both carry the same `contentId`.
 */
import type { PromptSegment } from '../types.js';

/**
 * Tokens two prompts share from the start: Σ tokens of the leading segments equal in both
 * (`contentId` and `tokens`), plus min(a_i.tokens, b_i.tokens) at the first differing index i
 * when a_i and b_i carry the same `contentId`. O(common segments).
 * @example sharedPrefixTokens([{contentId: 1, tokens: 10}], [{contentId: 1, tokens: 25}]) === 10
 */
export function sharedPrefixTokens(
  a: readonly PromptSegment[],
  b: readonly PromptSegment[],
): number {
  let shared = 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x.contentId !== y.contentId) return shared;
    if (x.tokens !== y.tokens) return shared + Math.min(x.tokens, y.tokens);
    shared += x.tokens;
  }
  return shared;
}

/** Σ tokens of the segments. O(segments). */
export function segmentTokens(segments: readonly PromptSegment[]): number {
  let total = 0;
  for (const s of segments) total += s.tokens;
  return total;
}
