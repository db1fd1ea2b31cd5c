/**
 * vLLM per-request logs (`requests.jsonl` of the reference runs, see
 * data/reference/vllm-traces/README and `src/validation/vllm-trace.ts`): one JSON object per
 * line, `{request_id, input_toks, output_toks, arrival_time, queued_ts, scheduled_ts,
 * first_token_ts, last_token_ts}`. `arrival_time` is wall-clock epoch seconds on the client,
 * while `queued_ts` … `last_token_ts` share the engine's monotonic clock; arrivals are taken
 * from `queued_ts` (relative to the first), and the measured timestamps are kept on the same
 * relative clock, so TTFT = firstTokenSeconds − queuedSeconds.
 */
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
import type {
  MeasuredTimes,
  SkippedLine,
  TraceParseResult,
  TraceReadOptions,
  TraceRecord,
} from './types.js';

export type VllmRequestsOptions = TraceReadOptions;

/** Engine timestamps in the order they must occur, and where each one lands in `measured`. */
const STAMPS = [
  ['queued_ts', 'queuedSeconds'],
  ['scheduled_ts', 'scheduledSeconds'],
  ['first_token_ts', 'firstTokenSeconds'],
  ['last_token_ts', 'lastTokenSeconds'],
] as const;

function* readVllmRows(
  text: string,
  options: VllmRequestsOptions,
  onSkip: (skip: SkippedLine) => void,
): Generator<RawTraceRecord, string[], undefined> {
  let incomplete = 0;
  const ctx: FieldContext = { format: 'vllm', line: 0, ...fileOf(options) }; // line set per row
  for (const { line, text: lineText } of iterateLines(text)) {
    ctx.line = line;
    const row = requireObject(parseJsonAt(lineText, ctx), ctx);
    const promptTokens = readCount(row, 'input_toks', ctx);
    const outputTokens = readCount(row, 'output_toks', ctx);
    const measured: MeasuredTimes = {};
    let previous: { key: string; seconds: number } | undefined;
    for (const [key, field] of STAMPS) {
      // A request that never got scheduled or never produced a token logs null there.
      if (key !== 'queued_ts' && (row[key] === null || row[key] === undefined)) continue;
      const seconds = readFiniteNumber(row, key, ctx);
      if (previous && seconds < previous.seconds)
        throw traceFieldError(ctx, key, seconds, `a time ≥ ${previous.key} (${previous.seconds})`);
      previous = { key, seconds };
      measured[field] = seconds;
    }
    if (Object.keys(measured).length < STAMPS.length) incomplete++;
    const record: TraceRecord = {
      arrivalSeconds: measured.queuedSeconds!,
      promptTokens,
      outputTokens,
      measured,
    };
    const id = row['request_id'];
    if (id !== undefined) {
      if (typeof id !== 'string' && typeof id !== 'number')
        throw traceFieldError(ctx, 'request_id', id, 'a string or a number');
      record.requestId = String(id);
    }
    const why = unreplayableReason(promptTokens, outputTokens, 'input_toks', 'output_toks');
    if (why) onSkip({ line, reason: why });
    else yield { line, record };
  }
  const notes = [
    'arrivals from queued_ts (engine monotonic clock) relative to the first; measured queued/scheduled/first-token/last-token times on the same clock; arrival_time (client wall clock) not used',
  ];
  if (incomplete > 0)
    notes.push(`${incomplete} requests lack some engine timestamps (null in the log)`);
  return notes;
}

/**
 * Read a vLLM `requests.jsonl` into records sorted by arrival (first queued = 0 s) with the
 * measured engine times kept.
 * @throws AifError (E_INPUT_FORMAT) for a line that is not JSON, a missing count or
 *   `queued_ts`, or engine timestamps out of order (queued ≤ scheduled ≤ first ≤ last token).
 */
export function parseVllmRequests(
  text: string,
  options: VllmRequestsOptions = {},
): TraceParseResult {
  return collectTrace('vllm', readVllmRows, text, options);
}

/** Stream a vLLM `requests.jsonl` line by line (rows must be in queued order). */
export function iterateVllmRequests(
  text: string,
  options: VllmRequestsOptions = {},
): Generator<TraceRecord, void, undefined> {
  return inFileOrder('vllm', readVllmRows, text, options);
}
