/**
 * ShareGPT-style conversations (`ShareGPT_V3_unfiltered_cleaned_split.json` and kin): a JSON
 * array (or JSON Lines) of `{id, conversations: [{from, value}]}` with `from` ∈ human/user,
 * gpt/assistant/chatgpt/bing/bard, system. The file holds text, not token counts, and no
 * arrival times:
 * - tokens are *estimated* as ⌈characters / 4⌉ (OpenAI's rule of thumb, "one token generally
 *   corresponds to ~4 characters of text for common English text": OpenAI Help Center, "What
 *   are tokens and how to count them?"); records carry `estimated: true`;
 * - arrivals come from the caller: a list of times, or a fixed rate (request k at k / rate).
 *
 * A request is an assistant message that directly follows a human message; its prompt is
 * every message before it (system, earlier turns, the human message) and its output the
 * assistant message. `turns: 'first'` keeps the first such request per conversation (vLLM's
 * benchmark keeps turn 1: `ShareGPTDataset` in vllm/benchmarks/datasets.py — which takes
 * messages 0 and 1 whatever their roles, where this reader requires human → assistant);
 * `turns: 'all'` keeps every one as a multi-turn session whose prompt grows by the previous
 * turn's messages, with `sessionId` set. Each message is one segment whose `contentId` is
 * numbered by its text in order of first appearance (same text ⇒ same id), so turn k + 1's
 * prompt starts with turn k's segments and prefix caching sees the shared history.
 */
import { AifError, ERROR_CODES, requireArg } from '../../core/errors.js';
import type { RawTraceRecord } from './collect.js';
import { collectTrace, inFileOrder } from './collect.js';
import type { FieldContext } from './fields.js';
import { fileOf, parseJsonAt, requireObject, traceFieldError } from './fields.js';
import { iterateJsonElements } from './json-elements.js';
import type { PromptSegment } from '../types.js';
import type { SkippedLine, TraceParseResult, TraceReadOptions, TraceRecord } from './types.js';

/** Where arrivals come from: the caller's times (seconds, one per request) or a fixed rate. */
export type ShareGptArrivals = { timesSeconds: readonly number[] } | { ratePerSecond: number };

export interface ShareGptOptions extends TraceReadOptions {
  arrivals: ShareGptArrivals;
  /** `first` (default): one request per conversation; `all`: every human → assistant turn. */
  turns?: 'first' | 'all';
  /** Characters per estimated token (default 4). */
  charsPerToken?: number;
  /** Stop after this many requests. */
  maxRequests?: number;
}

export const SHAREGPT_CHARS_PER_TOKEN = 4;

type Role = 'user' | 'assistant' | 'system';

const ROLES = new Map<string, Role>([
  ['human', 'user'],
  ['user', 'user'],
  ['gpt', 'assistant'],
  ['assistant', 'assistant'],
  ['chatgpt', 'assistant'],
  ['bing', 'assistant'],
  ['bard', 'assistant'],
  ['system', 'system'],
]);

/**
 * Estimated tokens of a text: ⌈code points / charsPerToken⌉ (0 for empty text). A stated rule
 * of thumb for English, not a tokenizer: code and non-Latin scripts run more tokens per
 * character.
 * @example estimateTokensFromText('hello world') === 3 // 11 characters / 4
 */
export function estimateTokensFromText(
  text: string,
  charsPerToken = SHAREGPT_CHARS_PER_TOKEN,
): number {
  const surrogatePairs = text.match(/[\uD800-\uDBFF][\uDC00-\uDFFF]/g)?.length ?? 0;
  return Math.ceil((text.length - surrogatePairs) / charsPerToken);
}

interface Message {
  role: Role;
  segment: PromptSegment;
}

function* readShareGptRows(
  text: string,
  options: ShareGptOptions,
  onSkip: (skip: SkippedLine) => void,
): Generator<RawTraceRecord, string[], undefined> {
  const charsPerToken = options.charsPerToken ?? SHAREGPT_CHARS_PER_TOKEN;
  requireArg(
    Number.isFinite(charsPerToken) && charsPerToken > 0,
    'parseShareGpt',
    `charsPerToken must be a positive number (got ${charsPerToken})`,
  );
  const turns = options.turns ?? 'first';
  requireArg(
    turns === 'first' || turns === 'all',
    'parseShareGpt',
    `turns must be 'first' or 'all' (got ${String(turns)})`,
  );
  const maxRequests = options.maxRequests ?? Number.POSITIVE_INFINITY;
  requireArg(
    maxRequests === Number.POSITIVE_INFINITY ||
      (Number.isSafeInteger(maxRequests) && maxRequests >= 0),
    'parseShareGpt',
    `maxRequests must be a non-negative integer (got ${maxRequests})`,
  );
  const arrivals = options.arrivals as ShareGptArrivals | undefined;
  requireArg(
    arrivals !== undefined,
    'parseShareGpt',
    'arrivals are required (ShareGPT has no times): { timesSeconds } or { ratePerSecond }',
  );
  if ('ratePerSecond' in arrivals)
    requireArg(
      Number.isFinite(arrivals.ratePerSecond) && arrivals.ratePerSecond > 0,
      'parseShareGpt',
      `arrivals.ratePerSecond must be a positive number (got ${arrivals.ratePerSecond})`,
    );
  const arrivalOf = (k: number, line: number): number => {
    if ('ratePerSecond' in arrivals) return k / arrivals.ratePerSecond;
    const t = arrivals.timesSeconds[k];
    if (t === undefined)
      throw new AifError(
        ERROR_CODES.INVALID_ARGUMENT,
        `parseShareGpt: arrivals.timesSeconds has ${arrivals.timesSeconds.length} times but line ${line} starts request ${k + 1}; pass more times or set maxRequests`,
      );
    requireArg(
      Number.isFinite(t),
      'parseShareGpt',
      `arrivals.timesSeconds[${k}] must be a finite number (got ${t})`,
    );
    return t;
  };
  const contentIds = new Map<string, number>();
  let numRequests = 0;
  let numSessions = 0;
  const file = fileOf(options);
  for (const element of iterateJsonElements(text, { format: 'sharegpt', ...file })) {
    if (numRequests >= maxRequests) break;
    const ctx: FieldContext = { format: 'sharegpt', line: element.line, ...file };
    const at = `[${element.index}]`;
    const conversation = requireObject(parseJsonAt(element.text, ctx), ctx, at);
    const id = conversation['id'];
    if (id !== undefined && typeof id !== 'string' && typeof id !== 'number')
      throw traceFieldError(ctx, `${at}.id`, id, 'a string or a number');
    const raw = conversation['conversations'];
    if (!Array.isArray(raw))
      throw traceFieldError(ctx, `${at}.conversations`, raw, 'an array of {from, value}');
    const messages: Message[] = raw.map((m: unknown, i) => {
      const msg = requireObject(m, ctx, `${at}.conversations[${i}]`);
      const from = msg['from'];
      const role = typeof from === 'string' ? ROLES.get(from.toLowerCase()) : undefined;
      if (!role)
        throw traceFieldError(
          ctx,
          `${at}.conversations[${i}].from`,
          from,
          `one of ${[...ROLES.keys()].join(', ')}`,
        );
      const value = msg['value'];
      if (typeof value !== 'string')
        throw traceFieldError(ctx, `${at}.conversations[${i}].value`, value, 'a string');
      if (!contentIds.has(value)) contentIds.set(value, contentIds.size);
      return {
        role,
        segment: {
          contentId: contentIds.get(value)!,
          tokens: estimateTokensFromText(value, charsPerToken),
        },
      };
    });
    const history: PromptSegment[] = [];
    let turn = 0;
    let sessionId: number | undefined;
    for (let k = 0; k < messages.length && numRequests < maxRequests; k++) {
      const m = messages[k]!;
      if (m.role === 'assistant' && messages[k - 1]?.role === 'user') {
        const promptTokens = history.reduce((sum, s) => sum + s.tokens, 0);
        const outputTokens = m.segment.tokens;
        const reason =
          promptTokens === 0
            ? `zero prompt tokens (turn ${turn + 1}: empty text)`
            : outputTokens === 0
              ? `zero output tokens (turn ${turn + 1}: empty reply)`
              : undefined;
        if (reason) onSkip({ line: element.line, reason });
        else {
          const record: TraceRecord = {
            arrivalSeconds: arrivalOf(numRequests, element.line),
            promptTokens,
            outputTokens,
            segments: history.map((s) => ({ ...s })),
            estimated: true,
          };
          if (id !== undefined) record.requestId = turns === 'all' ? `${id}:${turn}` : String(id);
          if (turns === 'all') {
            sessionId ??= numSessions++;
            record.sessionId = sessionId;
          }
          numRequests++;
          yield { line: element.line, record };
        }
        turn++;
        if (turns === 'first') break;
      }
      if (m.segment.tokens > 0) history.push(m.segment);
    }
    if (turn === 0)
      onSkip({
        line: element.line,
        reason:
          messages.length < 2
            ? `no turn (fewer than two messages)`
            : `no turn (no assistant reply directly after a human message)`,
      });
  }
  const arrivalNote =
    'ratePerSecond' in arrivals
      ? `arrivals at a fixed rate of ${arrivals.ratePerSecond}/s (request k at k / rate)`
      : `arrivals from the caller's ${arrivals.timesSeconds.length} times`;
  const notes = [
    `token counts estimated as ⌈characters / ${charsPerToken}⌉ (OpenAI's ~4 characters per token rule of thumb), not tokenized`,
    turns === 'first'
      ? 'first turn of each conversation only (as vLLM benchmark does)'
      : 'every human → assistant turn, as multi-turn sessions whose prompt is the accumulated conversation',
    arrivalNote,
  ];
  if (numRequests >= maxRequests)
    notes.push(`reached maxRequests = ${maxRequests}; the rest of the file was not read`);
  return notes;
}

/**
 * Read ShareGPT-style conversations into records (estimated tokens, caller-given arrivals),
 * sorted by arrival (first = 0 s).
 * @throws AifError (E_INPUT_FORMAT) naming the line and field of a malformed conversation
 *   (not JSON, no `conversations` array, an unknown `from`, a non-string `value`);
 *   (E_INVALID_ARGUMENT) for missing or bad arrivals, or fewer times than requests.
 * @example parseShareGpt('[{"id":"a","conversations":[{"from":"human","value":"hi there"},{"from":"gpt","value":"hello!"}]}]', { arrivals: { ratePerSecond: 2 } })
 *   .records → [{ arrivalSeconds: 0, promptTokens: 2, outputTokens: 2, segments: [{ contentId: 0, tokens: 2 }], requestId: 'a', estimated: true }]
 */
export function parseShareGpt(text: string, options: ShareGptOptions): TraceParseResult {
  return collectTrace('sharegpt', readShareGptRows, text, options);
}

/** Stream ShareGPT-style conversations one conversation at a time (arrivals must ascend). */
export function iterateShareGpt(
  text: string,
  options: ShareGptOptions,
): Generator<TraceRecord, void, undefined> {
  return inFileOrder('sharegpt', readShareGptRows, text, options);
}
