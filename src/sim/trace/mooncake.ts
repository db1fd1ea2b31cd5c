/**
 * Mooncake traces (kvcache-ai/Mooncake `FAST25-release/traces/*.jsonl`, Apache-2.0): one JSON
 * object per line, `{timestamp, input_length, output_length, hash_ids}`. `timestamp` is the
 * arrival in milliseconds since the trace start; `hash_ids` names the prompt's 512-token
 * blocks, prefix-chained (equal leading ids ⇒ equal leading tokens), so
 * `hash_ids.length = ⌈input_length / 512⌉` and the last block may be partial. Each block
 * becomes one `PromptSegment` whose `contentId` is the hash id itself (same id ⇒ same
 * content); `traceSource` maps them to run-unique ids. An optional `session_id` (string or
 * number, used by some converted traces) becomes a dense `sessionId`.
 */
import { requireArg } from '../../core/errors.js';
import type { RawTraceRecord } from './collect.js';
import { collectTrace, inFileOrder } from './collect.js';
import type { FieldContext } from './fields.js';
import {
  fileOf,
  parseJsonAt,
  readCount,
  readFiniteNumber,
  requireObject,
  traceFieldError,
  unreplayableReason,
} from './fields.js';
import { iterateLines } from './lines.js';
import type { PromptSegment } from '../types.js';
import type { SkippedLine, TraceParseResult, TraceReadOptions, TraceRecord } from './types.js';

export interface MooncakeOptions extends TraceReadOptions {
  /** Tokens per hash block: 512 in the Mooncake release (other traces use 16 or 64). */
  blockSizeTokens?: number;
}

export const MOONCAKE_BLOCK_SIZE_TOKENS = 512;

/** One segment per block, the last one holding the remainder. */
function blockSegments(
  hashIds: readonly number[],
  promptTokens: number,
  blockSizeTokens: number,
): PromptSegment[] {
  return hashIds.map((contentId, i) => ({
    contentId,
    tokens:
      i < hashIds.length - 1
        ? blockSizeTokens
        : promptTokens - (hashIds.length - 1) * blockSizeTokens,
  }));
}

function* readMooncakeRows(
  text: string,
  options: MooncakeOptions,
  onSkip: (skip: SkippedLine) => void,
): Generator<RawTraceRecord, string[], undefined> {
  const blockSizeTokens = options.blockSizeTokens ?? MOONCAKE_BLOCK_SIZE_TOKENS;
  requireArg(
    Number.isSafeInteger(blockSizeTokens) && blockSizeTokens >= 1,
    'parseMooncake',
    `blockSizeTokens must be a positive integer (got ${blockSizeTokens})`,
  );
  const sessions = new Map<string, number>();
  let withoutHashes = 0;
  const ctx: FieldContext = { format: 'mooncake', line: 0, ...fileOf(options) }; // line set per row
  for (const { line, text: lineText } of iterateLines(text)) {
    ctx.line = line;
    const row = requireObject(parseJsonAt(lineText, ctx), ctx);
    const timestampMs = readFiniteNumber(row, 'timestamp', ctx);
    const promptTokens = readCount(row, 'input_length', ctx);
    const outputTokens = readCount(row, 'output_length', ctx);
    const record: TraceRecord = { arrivalSeconds: timestampMs / 1000, promptTokens, outputTokens };
    const hashIds = row['hash_ids'];
    if (hashIds === undefined) {
      withoutHashes++;
    } else {
      if (!Array.isArray(hashIds) || !hashIds.every((h) => Number.isSafeInteger(h) && h >= 0))
        throw traceFieldError(ctx, 'hash_ids', hashIds, 'an array of non-negative integers');
      const expectedBlocks = Math.ceil(promptTokens / blockSizeTokens);
      if (hashIds.length !== expectedBlocks)
        throw traceFieldError(
          ctx,
          'hash_ids',
          hashIds,
          `⌈input_length ${promptTokens} / ${blockSizeTokens}⌉ = ${expectedBlocks} block ids (is the block size ${blockSizeTokens}?)`,
        );
      if (promptTokens > 0)
        record.segments = blockSegments(hashIds as number[], promptTokens, blockSizeTokens);
    }
    const session = row['session_id'];
    if (session !== undefined) {
      if (typeof session !== 'string' && typeof session !== 'number')
        throw traceFieldError(ctx, 'session_id', session, 'a string or a number');
      const key = String(session);
      if (!sessions.has(key)) sessions.set(key, sessions.size);
      record.sessionId = sessions.get(key)!;
    }
    const why = unreplayableReason(promptTokens, outputTokens, 'input_length', 'output_length');
    if (why) onSkip({ line, reason: why });
    else yield { line, record };
  }
  const notes = [
    `timestamp read as milliseconds; hash_ids as ${blockSizeTokens}-token blocks (one segment each, last one partial; contentId = hash id)`,
  ];
  if (withoutHashes > 0) notes.push(`${withoutHashes} rows had no hash_ids (no segments)`);
  if (sessions.size > 0)
    notes.push(`${sessions.size} session_id values numbered 0… in order of first appearance`);
  return notes;
}

/**
 * Read a Mooncake trace into records sorted by arrival (first = 0 s).
 * @throws AifError (E_INPUT_FORMAT) naming the line, field, value and expectation for a line
 *   that is not JSON, a missing or non-integer count, or `hash_ids` of the wrong length.
 * @example parseMooncake('{"timestamp": 0, "input_length": 600, "output_length": 5, "hash_ids": [7, 8]}')
 *   .records[0].segments → [{ contentId: 7, tokens: 512 }, { contentId: 8, tokens: 88 }]
 */
export function parseMooncake(text: string, options: MooncakeOptions = {}): TraceParseResult {
  return collectTrace('mooncake', readMooncakeRows, text, options);
}

/** Stream a Mooncake trace line by line (rows must be in time order; skips go to `onSkip`). */
export function iterateMooncake(
  text: string,
  options: MooncakeOptions = {},
): Generator<TraceRecord, void, undefined> {
  return inFileOrder('mooncake', readMooncakeRows, text, options);
}
