import { requireArg } from '../../core/errors.js';

/**
 * Map a tool's own timestamps onto this process's monotonic clock.
 *
 * A tool such as nvidia-smi stamps each reading when it takes it, but the line reaches us later
 * (pipe buffering, scheduling). The delay is never negative, so the smallest observed
 * `arrival − toolTime` is the best estimate of the clock offset:
 *
 *     offset = min_i (arrivalSeconds_i − toolSeconds_i);  monotonic_i = toolSeconds_i + offset
 *
 * Tool-clock spacing is kept, and no reading is placed after it arrived. O(n).
 *
 * @throws AifError E_INVALID_ARGUMENT when the arrays differ in length.
 * @example anchorToolTimestamps([100, 100.1], [5.02, 5.13]) // → [5.02, 5.12]
 */
export function anchorToolTimestamps(
  toolSeconds: readonly number[],
  arrivalSeconds: readonly number[],
): number[] {
  requireArg(
    toolSeconds.length === arrivalSeconds.length,
    'anchorToolTimestamps',
    'toolSeconds and arrivalSeconds must have the same length',
  );
  if (toolSeconds.length === 0) return [];
  let offset = Infinity;
  for (let i = 0; i < toolSeconds.length; i++) {
    offset = Math.min(offset, arrivalSeconds[i]! - toolSeconds[i]!);
  }
  return toolSeconds.map((t) => t + offset);
}
