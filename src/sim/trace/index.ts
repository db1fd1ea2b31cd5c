/** Trace importers and replay: the folder's public surface. */
export type {
  MeasuredTimes,
  SkippedLine,
  TraceFormat,
  TraceParseResult,
  TraceReadOptions,
  TraceRecord,
} from './types.js';
export { parseMooncake, iterateMooncake, MOONCAKE_BLOCK_SIZE_TOKENS } from './mooncake.js';
export type { MooncakeOptions } from './mooncake.js';
export { parseAzure, iterateAzure } from './azure.js';
export type { AzureOptions } from './azure.js';
export { parseBurstGpt, iterateBurstGpt, BURSTGPT_LOG_TYPES } from './burstgpt.js';
export type { BurstGptOptions } from './burstgpt.js';
export {
  parseShareGpt,
  iterateShareGpt,
  estimateTokensFromText,
  SHAREGPT_CHARS_PER_TOKEN,
} from './sharegpt.js';
export type { ShareGptArrivals, ShareGptOptions } from './sharegpt.js';
export { parseVllmRequests, iterateVllmRequests } from './vllm.js';
export type { VllmRequestsOptions } from './vllm.js';
export { detectTraceFormat, parseTrace, iterateTrace, TRACE_FORMATS } from './formats.js';
export type { ParseTraceOptions, TraceFormatInfo, TraceHead } from './formats.js';
export { traceSource } from './replay.js';
export type { TraceSourceOptions } from './replay.js';
export { iterateCsvRecords, splitCsvLine } from './csv.js';
export type { CsvRecord } from './csv.js';
export { iterateLines } from './lines.js';
export type { TextLine } from './lines.js';
export { daysFromCivil, parseCivilDateTime } from './civil-time.js';
export type { CivilDateTime } from './civil-time.js';
