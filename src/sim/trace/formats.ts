/**
 * The trace formats as a typed registry: each format says how to recognise itself and how to
 * read a file, so `detectTraceFormat` and `parseTrace` never branch on format names.
 */
import { AifError, ERROR_CODES } from '../../core/errors.js';
import { iterateAzure, parseAzure } from './azure.js';
import type { BurstGptOptions } from './burstgpt.js';
import { iterateBurstGpt, parseBurstGpt } from './burstgpt.js';
import { splitCsvLine } from './csv.js';
import type { MooncakeOptions } from './mooncake.js';
import { iterateMooncake, parseMooncake } from './mooncake.js';
import type { ShareGptOptions } from './sharegpt.js';
import { iterateShareGpt, parseShareGpt } from './sharegpt.js';
import type { TraceFormat, TraceParseResult, TraceReadOptions, TraceRecord } from './types.js';
import { iterateVllmRequests, parseVllmRequests } from './vllm.js';

/** What detection looks at: the first non-blank line, read three ways. */
export interface TraceHead {
  firstLine: string;
  /** Keys of the first line when it is a JSON object. */
  jsonKeys?: ReadonlySet<string>;
  /** Header names (trimmed, lower case) when the first line reads as CSV with 2+ fields. */
  csvHeader?: ReadonlySet<string>;
  /** The first 64 KiB of the text (a JSON array's first element may span many lines). */
  prefix: string;
}

export interface ParseTraceOptions extends TraceReadOptions {
  /** The format; detected from the text (then the file name) when absent. */
  format?: TraceFormat;
  mooncake?: Omit<MooncakeOptions, keyof TraceReadOptions>;
  burstgpt?: Omit<BurstGptOptions, keyof TraceReadOptions>;
  /** Required for ShareGPT (it has no arrival times). */
  sharegpt?: Omit<ShareGptOptions, keyof TraceReadOptions>;
}

export interface TraceFormatInfo {
  readonly name: TraceFormat;
  readonly description: string;
  matchesHead(head: TraceHead): boolean;
  /** Fallback when the content says nothing: the lower-case base name of the file. */
  matchesFileName(baseName: string): boolean;
  parse(text: string, options: ParseTraceOptions): TraceParseResult;
  iterate(text: string, options: ParseTraceOptions): Generator<TraceRecord, void, undefined>;
}

const common = (o: ParseTraceOptions): TraceReadOptions => ({
  ...(o.fileName !== undefined ? { fileName: o.fileName } : {}),
  ...(o.onSkip !== undefined ? { onSkip: o.onSkip } : {}),
});

function shareGptOptions(o: ParseTraceOptions): ShareGptOptions {
  if (!o.sharegpt)
    throw new AifError(
      ERROR_CODES.INVALID_ARGUMENT,
      'parseTrace: a ShareGPT file needs options.sharegpt.arrivals (it has no times)',
    );
  return { ...o.sharegpt, ...common(o) };
}

const hasAll = (set: ReadonlySet<string> | undefined, keys: readonly string[]): boolean =>
  set !== undefined && keys.every((k) => set.has(k));

export const TRACE_FORMATS: Readonly<Record<TraceFormat, TraceFormatInfo>> = {
  mooncake: {
    name: 'mooncake',
    description: 'Mooncake JSONL {timestamp (ms), input_length, output_length, hash_ids}',
    matchesHead: (h) => hasAll(h.jsonKeys, ['timestamp', 'input_length', 'output_length']),
    matchesFileName: (n) => n.includes('mooncake'),
    parse: (t, o) => parseMooncake(t, { ...o.mooncake, ...common(o) }),
    iterate: (t, o) => iterateMooncake(t, { ...o.mooncake, ...common(o) }),
  },
  azure: {
    name: 'azure',
    description: 'Azure LLM inference CSV TIMESTAMP,ContextTokens,GeneratedTokens',
    matchesHead: (h) => hasAll(h.csvHeader, ['timestamp', 'contexttokens', 'generatedtokens']),
    matchesFileName: (n) => n.includes('azurellminference'),
    parse: (t, o) => parseAzure(t, common(o)),
    iterate: (t, o) => iterateAzure(t, common(o)),
  },
  burstgpt: {
    name: 'burstgpt',
    description: 'BurstGPT CSV Timestamp,[Session ID,Elapsed time,]Model,Request tokens,…',
    matchesHead: (h) => hasAll(h.csvHeader, ['timestamp', 'request tokens', 'response tokens']),
    matchesFileName: (n) => n.includes('burstgpt'),
    parse: (t, o) => parseBurstGpt(t, { ...o.burstgpt, ...common(o) }),
    iterate: (t, o) => iterateBurstGpt(t, { ...o.burstgpt, ...common(o) }),
  },
  sharegpt: {
    name: 'sharegpt',
    description: 'ShareGPT JSON [{id, conversations: [{from, value}]}]',
    matchesHead: (h) =>
      h.jsonKeys?.has('conversations') === true ||
      (h.firstLine.startsWith('[') && h.prefix.includes('"conversations"')),
    matchesFileName: (n) => n.includes('sharegpt'),
    parse: (t, o) => parseShareGpt(t, shareGptOptions(o)),
    iterate: (t, o) => iterateShareGpt(t, shareGptOptions(o)),
  },
  vllm: {
    name: 'vllm',
    description: 'vLLM requests.jsonl {request_id, input_toks, output_toks, queued_ts, …}',
    matchesHead: (h) => hasAll(h.jsonKeys, ['input_toks', 'output_toks', 'queued_ts']),
    matchesFileName: (n) => n === 'requests.jsonl',
    parse: (t, o) => parseVllmRequests(t, common(o)),
    iterate: (t, o) => iterateVllmRequests(t, common(o)),
  },
};

const HEAD_CHARS = 65536;

function readHead(text: string): TraceHead {
  const prefix = text.slice(0, HEAD_CHARS).replace(/^\uFEFF/, '');
  const firstLine = (prefix.split('\n').find((l) => l.trim() !== '') ?? '').trim();
  const head: TraceHead = { firstLine, prefix };
  if (firstLine.startsWith('{')) {
    try {
      const v: unknown = JSON.parse(firstLine);
      if (typeof v === 'object' && v !== null && !Array.isArray(v))
        head.jsonKeys = new Set(Object.keys(v));
    } catch {
      // Not one object per line (e.g. pretty-printed JSON): nothing to read here.
    }
  } else if (!firstLine.startsWith('[')) {
    try {
      const fields = splitCsvLine(firstLine);
      if (fields.length >= 2) head.csvHeader = new Set(fields.map((f) => f.trim().toLowerCase()));
    } catch {
      // Not a CSV line.
    }
  }
  return head;
}

/**
 * The format of a trace from its first line (JSON keys or CSV header names), else from the
 * file name (`requests.jsonl`, names containing mooncake / burstgpt / sharegpt /
 * AzureLLMInference); undefined when neither tells. O(64 KiB).
 * @example detectTraceFormat('TIMESTAMP,ContextTokens,GeneratedTokens\n…') === 'azure'
 */
export function detectTraceFormat(text: string, fileName?: string): TraceFormat | undefined {
  const head = readHead(text);
  const formats = Object.values(TRACE_FORMATS);
  const byContent = formats.find((f) => f.matchesHead(head));
  if (byContent) return byContent.name;
  if (fileName === undefined) return undefined;
  const baseName = (fileName.split(/[\\/]/).pop() ?? '').toLowerCase();
  return formats.find((f) => f.matchesFileName(baseName))?.name;
}

function resolveFormat(text: string, options: ParseTraceOptions): TraceFormatInfo {
  const format = options.format ?? detectTraceFormat(text, options.fileName);
  if (format === undefined)
    throw new AifError(
      ERROR_CODES.INPUT_FORMAT,
      `parseTrace: cannot tell the format of ${options.fileName ?? 'the trace'}; expected one of: ${Object.values(
        TRACE_FORMATS,
      )
        .map((f) => f.description)
        .join('; ')} (or pass options.format)`,
    );
  return TRACE_FORMATS[format];
}

/**
 * Read a trace of any supported format (given or detected) into sorted records.
 * @throws AifError (E_INPUT_FORMAT) when the format cannot be told, and whatever the format's
 *   importer throws.
 */
export function parseTrace(text: string, options: ParseTraceOptions = {}): TraceParseResult {
  return resolveFormat(text, options).parse(text, options);
}

/** Stream a trace of any supported format (given or detected) in file order. */
export function iterateTrace(
  text: string,
  options: ParseTraceOptions = {},
): Generator<TraceRecord, void, undefined> {
  return resolveFormat(text, options).iterate(text, options);
}
