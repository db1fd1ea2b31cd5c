/**
 * BurstGPT traces (HPMLL/BurstGPT, CC-BY-4.0): GPT-3.5/GPT-4 calls through Azure OpenAI over
 * 121 days. Two releases, read alike because columns are found by header name:
 * - v1 (`BurstGPT_1.csv`, 6 columns): `Timestamp,Model,Request tokens,Response tokens,
 *   Total tokens,Log Type`;
 * - v2 (`BurstGPT_3.csv`, 8 columns): adds `Session ID` (a UUID on `Conversation log` rows,
 *   blank on `API log` rows) and `Elapsed time` (the request's response time, seconds).
 * `Timestamp` is seconds since 0:00 of the first day. Failed requests are logged with
 * `Response tokens` = 0 (the README: "some failure that Response tokens are 0s"); they carry no
 * output to replay, so they are skipped and counted, as are rows whose `Log Type` names a
 * failure or error and rows left out by the `models` / `logTypes` filters.
 */
import type { RawTraceRecord } from './collect.js';
import { collectTrace, inFileOrder } from './collect.js';
import { openCsvTable } from './csv-table.js';
import type { FieldContext } from './fields.js';
import {
  fileOf,
  parseCountField,
  parseDecimalField,
  traceFieldError,
  unreplayableReason,
} from './fields.js';
import type { SkippedLine, TraceParseResult, TraceReadOptions, TraceRecord } from './types.js';

export interface BurstGptOptions extends TraceReadOptions {
  /** Keep only rows whose `Model` is listed (e.g. `['ChatGPT']`); the rest are skipped. */
  models?: readonly string[];
  /** Keep only rows whose `Log Type` is listed (e.g. `['Conversation log']`). */
  logTypes?: readonly string[];
}

/** The `Log Type` values of the published releases. */
export const BURSTGPT_LOG_TYPES = ['Conversation log', 'API log'] as const;

const FAILURE_LOG_TYPE = /fail|error/i;

function* readBurstGptRows(
  text: string,
  options: BurstGptOptions,
  onSkip: (skip: SkippedLine) => void,
): Generator<RawTraceRecord, string[], undefined> {
  const { columns, rows } = openCsvTable(text, {
    format: 'burstgpt',
    ...fileOf(options),
    required: {
      timestamp: 'Timestamp',
      request: 'Request tokens',
      response: 'Response tokens',
    },
    optional: {
      session: 'Session ID',
      elapsed: 'Elapsed time',
      model: 'Model',
      total: 'Total tokens',
      logType: 'Log Type',
    },
  });
  const models = options.models ? new Set(options.models) : undefined;
  const logTypes = options.logTypes ? new Set(options.logTypes) : undefined;
  if (models && columns.model === undefined)
    throw traceFieldError(
      { format: 'burstgpt', line: 1, ...fileOf(options) },
      'header',
      'no Model column',
      'a Model column when the models filter is set',
    );
  if (logTypes && columns.logType === undefined)
    throw traceFieldError(
      { format: 'burstgpt', line: 1, ...fileOf(options) },
      'header',
      'no Log Type column',
      'a Log Type column when the logTypes filter is set',
    );
  const sessions = new Map<string, number>();
  const otherLogTypes = new Map<string, number>();
  let totalMismatches = 0;
  const ctx: FieldContext = { format: 'burstgpt', line: 0, ...fileOf(options) }; // line set per row
  for (const { line, fields } of rows) {
    ctx.line = line;
    const at = (i: number | undefined): string | undefined =>
      i === undefined ? undefined : fields[i]!.trim();
    const timestampSeconds = parseDecimalField(fields[columns.timestamp]!, 'Timestamp', ctx);
    const promptTokens = parseCountField(fields[columns.request]!, 'Request tokens', ctx);
    const outputTokens = parseCountField(fields[columns.response]!, 'Response tokens', ctx);
    const totalText = at(columns.total);
    if (
      totalText !== undefined &&
      parseCountField(totalText, 'Total tokens', ctx) !== promptTokens + outputTokens
    )
      totalMismatches++;
    const logType = at(columns.logType);
    const model = at(columns.model);
    if (logType !== undefined && FAILURE_LOG_TYPE.test(logType)) {
      onSkip({ line, reason: `failed request (Log Type = ${logType})` });
      continue;
    }
    if (outputTokens === 0) {
      onSkip({ line, reason: 'failed request (Response tokens = 0)' });
      continue;
    }
    if (models && !models.has(model!)) {
      onSkip({ line, reason: `model not selected (Model = ${model})` });
      continue;
    }
    if (logTypes && !logTypes.has(logType!)) {
      onSkip({ line, reason: `log type not selected (Log Type = ${logType})` });
      continue;
    }
    if (logType !== undefined && !(BURSTGPT_LOG_TYPES as readonly string[]).includes(logType))
      otherLogTypes.set(logType, (otherLogTypes.get(logType) ?? 0) + 1);
    const why = unreplayableReason(promptTokens, outputTokens, 'Request tokens', 'Response tokens');
    if (why) {
      onSkip({ line, reason: why });
      continue;
    }
    const record: TraceRecord = { arrivalSeconds: timestampSeconds, promptTokens, outputTokens };
    const session = at(columns.session);
    if (session) {
      if (!sessions.has(session)) sessions.set(session, sessions.size);
      record.sessionId = sessions.get(session)!;
    }
    const elapsedText = at(columns.elapsed);
    if (elapsedText) {
      const elapsedSeconds = parseDecimalField(elapsedText, 'Elapsed time', ctx);
      if (elapsedSeconds < 0)
        throw traceFieldError(ctx, 'Elapsed time', elapsedText, 'a non-negative number of seconds');
      record.measured = { lastTokenSeconds: timestampSeconds + elapsedSeconds };
    }
    yield { line, record };
  }
  const notes = [
    `${columns.session !== undefined ? '8-column (v2, with Session ID and Elapsed time)' : '6-column (v1)'} release; Timestamp read as seconds`,
  ];
  if (sessions.size > 0)
    notes.push(`${sessions.size} Session ID values numbered 0… in order of first appearance`);
  if (columns.elapsed !== undefined)
    notes.push('Elapsed time kept as measured.lastTokenSeconds = arrival + elapsed');
  if (totalMismatches > 0)
    notes.push(
      `${totalMismatches} rows with Total tokens ≠ Request tokens + Response tokens; the two parts were used`,
    );
  for (const [type, n] of otherLogTypes)
    notes.push(`${n} rows with an unlisted Log Type "${type}" were kept`);
  return notes;
}

/**
 * Read a BurstGPT trace (6- or 8-column release) into records sorted by arrival (first = 0 s).
 * @throws AifError (E_INPUT_FORMAT) for a missing column, a malformed number, a row with the
 *   wrong number of fields, or a filter on a column the file lacks.
 * @example parseBurstGpt('Timestamp,Model,Request tokens,Response tokens,Total tokens,Log Type\n5,ChatGPT,10,0,10,API log\n7,GPT-4,12,3,15,API log')
 *   → one record (arrival 0, 12 → 3 tokens) and one skipped failure on line 2
 */
export function parseBurstGpt(text: string, options: BurstGptOptions = {}): TraceParseResult {
  return collectTrace('burstgpt', readBurstGptRows, text, options);
}

/** Stream a BurstGPT trace row by row (rows must be in time order; skips go to `onSkip`). */
export function iterateBurstGpt(
  text: string,
  options: BurstGptOptions = {},
): Generator<TraceRecord, void, undefined> {
  return inFileOrder('burstgpt', readBurstGptRows, text, options);
}
