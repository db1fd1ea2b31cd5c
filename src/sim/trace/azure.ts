/**
 * Azure LLM inference traces (Azure/AzurePublicDataset, CC-BY-4.0; 2023 `AzureLLMInferenceTrace_
 * {code,conv}.csv` and the 2024 week-long files): CSV `TIMESTAMP,ContextTokens,GeneratedTokens`.
 * `TIMESTAMP` is a wall-clock date-time such as `2023-11-16 18:15:46.6805900` (7 fraction
 * digits, 100 ns ticks), possibly with a UTC offset (`+00:00`). It is parsed arithmetically
 * (`civil-time.ts`) relative to the first row's day, so sub-microsecond differences survive.
 */
import type { RawTraceRecord } from './collect.js';
import { collectTrace, inFileOrder } from './collect.js';
import { CIVIL_DATE_TIME_FORMAT, parseCivilDateTime } from './civil-time.js';
import { openCsvTable } from './csv-table.js';
import type { FieldContext } from './fields.js';
import { fileOf, parseCountField, traceFieldError, unreplayableReason } from './fields.js';
import type { SkippedLine, TraceParseResult, TraceReadOptions, TraceRecord } from './types.js';

export type AzureOptions = TraceReadOptions;

const SECONDS_PER_DAY = 86400;

function* readAzureRows(
  text: string,
  options: AzureOptions,
  onSkip: (skip: SkippedLine) => void,
): Generator<RawTraceRecord, string[], undefined> {
  const { columns, rows } = openCsvTable(text, {
    format: 'azure',
    ...fileOf(options),
    required: { timestamp: 'TIMESTAMP', context: 'ContextTokens', generated: 'GeneratedTokens' },
    optional: {},
  });
  let anchorDays: number | undefined;
  let zoned: boolean | undefined;
  const ctx: FieldContext = { format: 'azure', line: 0, ...fileOf(options) }; // line set per row
  for (const { line, fields } of rows) {
    ctx.line = line;
    const stamp = fields[columns.timestamp]!;
    const t = parseCivilDateTime(stamp);
    if (!t) throw traceFieldError(ctx, 'TIMESTAMP', stamp, CIVIL_DATE_TIME_FORMAT);
    const hasZone = t.utcOffsetSeconds !== undefined;
    zoned ??= hasZone;
    if (hasZone !== zoned)
      throw traceFieldError(
        ctx,
        'TIMESTAMP',
        stamp,
        `a date-time ${zoned ? 'with' : 'without'} a UTC offset, like the first row`,
      );
    anchorDays ??= t.days;
    const arrivalSeconds =
      (t.days - anchorDays) * SECONDS_PER_DAY + t.secondsOfDay - (t.utcOffsetSeconds ?? 0);
    const promptTokens = parseCountField(fields[columns.context]!, 'ContextTokens', ctx);
    const outputTokens = parseCountField(fields[columns.generated]!, 'GeneratedTokens', ctx);
    const why = unreplayableReason(promptTokens, outputTokens, 'ContextTokens', 'GeneratedTokens');
    const record: TraceRecord = { arrivalSeconds, promptTokens, outputTokens };
    if (why) onSkip({ line, reason: why });
    else yield { line, record };
  }
  return [
    `TIMESTAMP parsed as a calendar date-time ${zoned ? 'with its UTC offset applied' : '(no UTC offset written; differences only)'}; no prompt content (one segment per request on replay)`,
  ];
}

/**
 * Read an Azure LLM inference trace into records sorted by arrival (first = 0 s).
 * @throws AifError (E_INPUT_FORMAT) for a missing column, a malformed TIMESTAMP or count, a row
 *   with the wrong number of fields, or rows that mix written and absent UTC offsets.
 * @example parseAzure('TIMESTAMP,ContextTokens,GeneratedTokens\n2023-11-16 18:15:46.5,10,2\n2023-11-16 18:15:47.25,20,3')
 *   .records.map((r) => r.arrivalSeconds) → [0, 0.75]
 */
export function parseAzure(text: string, options: AzureOptions = {}): TraceParseResult {
  return collectTrace('azure', readAzureRows, text, options);
}

/** Stream an Azure trace row by row (rows must be in time order; skips go to `onSkip`). */
export function iterateAzure(
  text: string,
  options: AzureOptions = {},
): Generator<TraceRecord, void, undefined> {
  return inFileOrder('azure', readAzureRows, text, options);
}
