/**
 * The load generator's raw event log (DESIGN §9): one plain object per event, written as JSONL,
 * from which every metric is derived by the pure functions of `metrics.ts`. Times are seconds
 * since the start of the run on a monotonic clock (`performance.now()`), so they never step
 * backwards when the wall clock is adjusted; `stage-start` carries the wall-clock start once.
 *
 * Per request the log holds, in order: `scheduled` (the intended send time), `dispatched`,
 * `status` (HTTP status), `first-byte`, one `chunk` per SSE data message, `usage` (each time
 * the stream reports one; the last one counts), and exactly one terminal event: `done` or
 * `error`. A request that never reached the wire (the run stopped first) still gets its
 * terminal `error` of kind `cancelled`, so every scheduled request is accounted for once.
 */

/** Why a request failed. Each kind is counted on its own; all are in the goodput denominator. */
export const ERROR_KINDS = [
  /** No HTTP response: connection refused or reset before headers, DNS failure. */
  'connect',
  /** HTTP 4xx (bad request, 429 rate limit, …). */
  'http-4xx',
  /** HTTP 5xx. */
  'http-5xx',
  /** No byte for `stallTimeoutSeconds`, or the request exceeded `requestTimeoutSeconds`. */
  'timeout',
  /** The connection closed after the headers and before the stream finished. */
  'disconnect',
  /** A data message that is not JSON or not a completion chunk, or a non-SSE 200 response. */
  'malformed-sse',
  /** The server sent an `{"error": …}` object inside the stream. */
  'stream-error',
  /** The run stopped the request (drain deadline passed). */
  'cancelled',
  /** Derived, not logged by the client: the stream finished without generating any content. */
  'no-content',
] as const;

export type ErrorKind = (typeof ERROR_KINDS)[number];

/** What a chunk carried: generated text, reasoning text, a tool-call delta, or nothing. */
export type ChunkContent = 'text' | 'reasoning' | 'tool-call';

/**
 * How a chunk's token count was obtained: the difference of two cumulative `usage` counts in
 * consecutive chunks (servers with continuous usage stats), or one token per content chunk
 * (what vLLM, SGLang and llama.cpp stream without speculative decoding — an assumption).
 */
export type ChunkTokenBasis = 'usage-delta' | 'one-per-chunk';

/** The load point a stage ran at (see `load.ts`). */
export interface StageStartEvent {
  type: 'stage-start';
  stage: number;
  tSeconds: number;
  /** Wall-clock start, ISO 8601 (for joining with power logs). */
  startedAtIso: string;
  /** Human label of the load point, e.g. `concurrency 8` or `poisson 4 req/s`. */
  label: string;
  /** The offered load as a number for charts (concurrency, or requests/s), null for the scenario's own. */
  offeredLoad: number | null;
  offeredLoadUnit: 'concurrency' | 'requests/s' | 'scenario';
}

export interface StageEndEvent {
  type: 'stage-end';
  stage: number;
  tSeconds: number;
  /** Configured duration of the stage, if it had one; else null (bounded by request count). */
  durationSeconds: number | null;
}

export interface ScheduledEvent {
  type: 'scheduled';
  requestId: number;
  stage: number;
  /** The intended send time: latencies count from here (no coordinated omission). */
  tSeconds: number;
  className: string;
  sessionId?: number;
  /** Prompt length the workload asked for, tokens (the synthetic text approximates it). */
  promptTokens: number;
  /** `max_tokens` sent: the sampled output length. */
  maxTokens: number;
}

export interface DispatchedEvent {
  type: 'dispatched';
  requestId: number;
  tSeconds: number;
}

export interface StatusEvent {
  type: 'status';
  requestId: number;
  tSeconds: number;
  httpStatus: number;
}

export interface FirstByteEvent {
  type: 'first-byte';
  requestId: number;
  tSeconds: number;
}

export interface ChunkEvent {
  type: 'chunk';
  requestId: number;
  tSeconds: number;
  /** The message had a non-empty `choices` array (what vLLM bench stamps TTFT on). */
  choices: boolean;
  /** Generated content the chunk carried, or null (role-only, empty, usage-only chunks). */
  content: ChunkContent | null;
  /** Output tokens the chunk carried (0 without content). */
  tokens: number;
  tokenBasis: ChunkTokenBasis;
}

export interface UsageEvent {
  type: 'usage';
  requestId: number;
  tSeconds: number;
  promptTokens: number | null;
  completionTokens: number | null;
}

export interface DoneEvent {
  type: 'done';
  requestId: number;
  tSeconds: number;
  finishReason: string | null;
  /** Output tokens counted by the client tokenizer, or null when none was available. */
  clientTokens: number | null;
  /** Name of that tokenizer, or null. */
  tokenizer: string | null;
}

export interface RequestErrorEvent {
  type: 'error';
  requestId: number;
  tSeconds: number;
  kind: ErrorKind;
  message: string;
  httpStatus?: number;
}

export type RequestEvent =
  | ScheduledEvent
  | DispatchedEvent
  | StatusEvent
  | FirstByteEvent
  | ChunkEvent
  | UsageEvent
  | DoneEvent
  | RequestErrorEvent;

export type LoadgenEvent = StageStartEvent | StageEndEvent | RequestEvent;

/** Where events go: an in-memory array, a JSONL file, or both. */
export interface EventSink {
  write(event: LoadgenEvent): void;
}

/** One event per line (JSONL). */
export const eventLine = (event: LoadgenEvent): string => `${JSON.stringify(event)}\n`;

/**
 * Parse a JSONL event log (blank lines skipped).
 * @throws SyntaxError naming the 1-based line when a line is not JSON or has no `type`.
 */
export function parseEventLog(text: string): LoadgenEvent[] {
  const out: LoadgenEvent[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (e) {
      throw new SyntaxError(`parseEventLog: line ${i + 1} is not JSON (${String(e)})`);
    }
    if (
      typeof value !== 'object' ||
      value === null ||
      typeof (value as { type?: unknown }).type !== 'string'
    )
      throw new SyntaxError(`parseEventLog: line ${i + 1} has no event type`);
    out.push(value as LoadgenEvent);
  }
  return out;
}
