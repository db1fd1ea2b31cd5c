/**
 * Trace importers' boundary types. An importer turns a trace file's *text* into `TraceRecord`s;
 * `replay.ts` turns records into the twin's `SimRequest`s. Plain data only.
 */
import type { PromptSegment } from '../types.js';

/** The trace formats the importers read (see `formats.ts` for what each one is). */
export type TraceFormat = 'mooncake' | 'azure' | 'burstgpt' | 'sharegpt' | 'vllm';

/** Timestamps a real run measured for one request, on the same clock as `arrivalSeconds`. */
export interface MeasuredTimes {
  queuedSeconds?: number;
  scheduledSeconds?: number;
  firstTokenSeconds?: number;
  lastTokenSeconds?: number;
}

/** One request of a trace, times relative to the trace's first request. */
export interface TraceRecord {
  /** Seconds after the first record (the first is 0); records come sorted ascending. */
  arrivalSeconds: number;
  promptTokens: number;
  outputTokens: number;
  /**
   * Prompt content as runs, when the trace says which prompts share content (Mooncake
   * `hash_ids`, ShareGPT turns). `contentId`s are trace-local keys (same key ⇒ same tokens);
   * `traceSource` maps them to run-unique ids. Σ tokens = promptTokens.
   */
  segments?: PromptSegment[];
  /** Session or conversation the request belongs to (a dense trace-local number). */
  sessionId?: number;
  requestId?: string;
  /** Measured timestamps of a real run (vLLM `requests.jsonl`, BurstGPT `Elapsed time`). */
  measured?: MeasuredTimes;
  /** True when token counts are estimates from text length, not tokenizer counts. */
  estimated?: boolean;
}

/** A row the importer read and deliberately left out, with why (1-based line of the file). */
export interface SkippedLine {
  line: number;
  reason: string;
}

export interface TraceParseResult {
  records: TraceRecord[];
  skipped: SkippedLine[];
  format: TraceFormat;
  /** What the importer assumed or did, in words (units, estimates, re-sorting, skip counts). */
  notes: string[];
}

/** Options every importer takes. */
export interface TraceReadOptions {
  /** Named in error messages and issues. */
  fileName?: string;
  /** Called for each skipped row (the streaming readers report skips only this way). */
  onSkip?: (skip: SkippedLine) => void;
}
